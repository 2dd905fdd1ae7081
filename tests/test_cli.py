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
    assert doc["area"] == {
        "code": "E09000033",
        "name": "Westminster",
        "country": "England",
        "provisional_code": False,
    }
    assert doc["as_of"] and doc["vintage"] == "LAD 2025"
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


def test_who_runs_answers_every_service_with_holder_kind_dates_and_source():
    out = run("who-runs", "sw1a1aa", "--json")
    assert out.returncode == 0, out.stderr
    held = {h["service_id"]: h for h in json.loads(out.stdout)["holdings"]}
    assert list(held) == [
        "council_tax",
        "housing_benefit",
        "universal_credit",
        "police",
        "fire",
        "ambulance",
        "adult_social_care",
        "childrens_social_care",
    ]
    police = held["police"]
    assert police["holder"] == "Metropolitan Police Service"
    assert police["holder_kind"] == "police"
    assert police["family"] == "blue_light" and police["service"] == "Police"
    assert police["until"] is None and "Police Act 1996" in police["source"]
    assert held["council_tax"]["since"] == "1993-04-01"
    assert {"since", "until", "source", "holder", "holder_kind"} <= set(held["fire"])


def test_who_runs_prints_a_table_with_numbered_sources():
    out = run("who-runs", "BT4 3XX")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Belfast  N09000003  Northern Ireland (postcode BT4 3XX)"
    assert lines[1].startswith("As of ") and "LAD 2025" in lines[1]
    assert lines[3].split()[:3] == ["Service", "Holder", "Kind"]
    council_tax = next(line for line in lines if line.startswith("Council tax"))
    assert "Land & Property Services" in council_tax and "unknown" in council_tax
    assert any(line.startswith("[1] Rates (Northern Ireland) Order 1977") for line in lines)


def test_validate_passes_the_shipped_data():
    out = run("validate", "data/franchises")
    assert out.returncode == 0, out.stdout
    assert "valid (361 areas of LAD 2025 today; 407 areas checked from 2019-04-01" in out.stdout


def _copy_data(tmp_path):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "franchises", folder)
    return folder


def test_validate_lists_each_problem_as_file_line_message_and_exits_1(tmp_path):
    folder = _copy_data(tmp_path)
    holdings = folder / "holdings.csv"
    lines = holdings.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("E06000001", "E06999999")
    lines[6] = lines[6].replace("2006-07-01", "2006-07-32")
    holdings.write_text("".join(lines), encoding="utf-8")
    out = run("validate", str(folder))
    assert out.returncode == 1
    problems = out.stdout.splitlines()
    assert "holdings.csv:2: area code E06999999 is not a known LAD code" in problems
    assert "holdings.csv:7: since '2006-07-32' is not a date like 2023-04-01" in problems
    assert "holdings.csv:1: area E06000001 has no current holder for 'council_tax'" in problems
    assert (
        "holdings.csv:1: area E06000001 has no holder for 'council_tax' on 2019-04-01" in problems
    )
    assert len(problems) == 4
    assert "4 problems" in out.stderr


def test_validate_a_missing_folder_exits_2():
    out = run("validate", "no/such/folder")
    assert out.returncode == 2 and "is not a folder" in out.stderr


def test_centrifuge_data_replaces_the_shipped_baseline(tmp_path):
    folder = _copy_data(tmp_path)
    organisations = folder / "organisations.csv"
    text = organisations.read_text(encoding="utf-8")
    organisations.write_text(
        text.replace("Metropolitan Police Service", "Met Police Mutual"), encoding="utf-8"
    )
    out = run("who-runs", "SW1A 1AA", "--json", env={"CENTRIFUGE_DATA": str(folder)})
    assert out.returncode == 0, out.stderr
    police = next(h for h in json.loads(out.stdout)["holdings"] if h["service_id"] == "police")
    assert police["holder"] == "Met Police Mutual"


def test_a_broken_data_folder_makes_who_runs_exit_2_naming_the_problem(tmp_path):
    folder = _copy_data(tmp_path)
    (folder / "packages.csv").write_text("", encoding="utf-8")
    out = run("who-runs", "SW1A 1AA", env={"CENTRIFUGE_DATA": str(folder)})
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1
    assert "packages.csv:1: file is empty" in out.stderr and "centrifuge validate" in out.stderr


def test_export_writes_a_csv_of_one_service_for_every_area(tmp_path):
    target = tmp_path / "police.csv"
    out = run("export", "--service", "police", "--format", "csv", "--out", str(target))
    assert out.returncode == 0, out.stderr
    import csv

    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 361
    kent = next(r for r in rows if r["area_code"] == "E07000110")  # Maidstone
    assert kent["holder"] == "Kent Police" and kent["service_id"] == "police"


def test_the_national_export_matches_the_screen_in_every_row(tmp_path):
    target = tmp_path / "all.csv"
    out = run("export", "--all", "--format", "csv", "--out", str(target))
    assert out.returncode == 0, out.stderr
    import csv

    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 2888  # every area × service
    assert {"population", "area_url", "holder_kind"} <= set(rows[0])
    here = {r["service_id"]: r for r in rows if r["area_code"] == "E07000110"}  # Maidstone
    maidstone, tax = here["police"], here["council_tax"]
    assert tax["holder_kind"] == "Local authority"  # a label, as on the screen, not an id
    assert maidstone["area_url"] == "?service=police&area=E07000110"
    assert maidstone["population"].isdigit()
    glasgow = next(r for r in rows if r["area_code"] == "S12000049")
    assert glasgow["population"] == ""  # no sourced figure: empty, never a guess
    assert {r["since"] for r in rows if not r["since"][:1].isdigit()} <= {"unknown"}
    assert all(r["until"] for r in rows)  # a date, or "no end date"


def test_export_writes_geojson_of_a_package(tmp_path):
    target = tmp_path / "blue.geojson"
    out = run("export", "--package", "blue-light", "--format", "geojson", "--out", str(target))
    assert out.returncode == 0, out.stderr
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert len(doc["features"]) == 361
    cardiff = next(f for f in doc["features"] if f["properties"]["area_code"] == "W06000015")
    assert cardiff["properties"]["fire"] == "South Wales Fire and Rescue Authority"
    assert cardiff["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_export_of_an_unknown_service_exits_2_and_writes_nothing(tmp_path):
    target = tmp_path / "x.csv"
    out = run("export", "--service", "parking", "--format", "csv", "--out", str(target))
    assert out.returncode == 2 and "no service 'parking'" in out.stderr
    assert not target.exists()
