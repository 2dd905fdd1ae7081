"""The benchmarks run (their figures are reported by `make bench`, not asserted here)."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

BROWSER = {
    f"browser: {what}, {figure} (median)"
    for what in (
        "first load (warm server) to a drawn map",
        "postcode search to card",
        "map click to card",
        "switching service to new map colours",
        "studio: add an area to a lot, to new tallies",
        "changing the As of day (another vintage) to its caption",
    )
    for figure in ("time", "bytes")
} | {
    "browser: server memory (RSS) with sessions open",
    "browser: search to card, sessions searching at once (p95)",
}
NOT_FIGURES = ("name", "target", "met", "ratio_to_naive")


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@pytest.mark.browser
def test_the_quick_benchmarks_run_and_report_every_figure():
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    assert out.returncode == 0, out.stderr
    assert "warm postcode look-up" in out.stdout and "whole-UK map geometry" in out.stdout
    assert "browser: postcode search to card, time (median)" in out.stdout
    results = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text())
    assert {r["name"] for r in results} == {
        "warm postcode look-up",
        "whole-UK map geometry (TopoJSON file)",
        "atlas map bytes sent per rerun (whole UK, police)",
        "click to card, server time (median)",
        "simulation, 30 years x 2888 lots (median of 3)",
        "Monte Carlo, 30 years, on 2 processes",
        "centrifuge calibrate, on 2 processes",
        *BROWSER,
    }
    assert all(isinstance(r.get("met", True), bool) for r in results)
    for r in (r for r in results if r["name"] in BROWSER):
        ours = [k for k in r if k not in NOT_FIGURES and not k.startswith("naive_")]
        assert ours and all(is_number(r[k]) for k in ours), r
        # The naive build's figures are numbers, or None where it is not measured (the studio;
        # the many-sessions part in --quick).
        naive = [r[k] for k in r if k.startswith("naive_")]
        assert all(v is None or is_number(v) for v in naive), r
        assert r["ratio_to_naive"] is None or is_number(r["ratio_to_naive"]), r
    search = next(
        r for r in results if r["name"] == "browser: postcode search to card, time (median)"
    )
    assert is_number(search["naive_seconds"]), "the naive atlas was not measured"
