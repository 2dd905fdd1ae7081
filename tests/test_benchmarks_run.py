"""The benchmarks run (their figures are reported by `make bench`, not asserted here)."""

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_the_quick_benchmarks_run_and_report_every_figure():
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "warm postcode look-up" in out.stdout and "whole-UK map HTML" in out.stdout
    results = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text())
    assert {r["name"] for r in results} == {
        "warm postcode look-up",
        "whole-UK map HTML",
        "atlas map bytes sent per rerun (whole UK, police)",
        "click to card, server time (median)",
        "simulation, 30 years x 2888 lots (median of 3)",
        "Monte Carlo, 30 years, on 2 processes",
        "centrifuge calibrate, on 2 processes",
    }
    assert all(isinstance(r.get("met", True), bool) for r in results)
