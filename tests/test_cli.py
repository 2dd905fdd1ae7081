import json
import subprocess
import sys

from tests.conftest import ROOT


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    full = {k: v for k, v in os.environ.items() if k != "CENTRIFUGE_BOUNDARIES"}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=full,
        check=False,
    )


def test_who_runs_a_postcode_names_its_area_as_json():
    out = run("who-runs", "SW1A 1AA", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["query"] == "SW1A 1AA"
    assert doc["area"] == {"code": "E09000033", "name": "Westminster", "country": "England"}
    assert isinstance(doc["holdings"], list)


def test_who_runs_prints_a_readable_line_without_json():
    out = run("who-runs", "cardiff")
    assert out.returncode == 0
    assert "Cardiff" in out.stdout and "W06000015" in out.stdout


def test_an_invalid_postcode_exits_2_with_one_line_on_stderr():
    out = run("who-runs", "SW1A 1CA", "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and "not a valid UK postcode" in out.stderr


def test_an_unknown_postcode_exits_2():
    out = run("who-runs", "ZZ9 9ZZ")
    assert out.returncode == 2 and "not in the ONS Postcode Directory" in out.stderr


def test_an_unknown_name_exits_2_with_suggestions():
    out = run("who-runs", "Manchestr")
    assert out.returncode == 2
    assert "did you mean Manchester" in out.stderr and out.stderr.count("\n") == 1


def test_an_official_boundary_file_replaces_ours(official_file):
    out = run("who-runs", "kensington", "--json", env={"CENTRIFUGE_BOUNDARIES": str(official_file)})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["area"]["code"] == "E09000020"
