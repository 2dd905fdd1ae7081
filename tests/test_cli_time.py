"""``who-runs --on`` and ``export --on``: the holders and boundaries of a day, as journalists ask.

Sources: The Surrey (Structural Changes) Order 2026 (West Surrey Council from 1 April 2027, the
eleven districts abolished); The North Yorkshire (Structural Changes) Order 2022 (SI 2022/328:
Harrogate Borough Council until 31 March 2023); Local Government Finance Act 1992, s.1 (the
district or unitary council is the billing authority for council tax).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest

from dashboard import cli


@pytest.fixture
def centrifuge(capsys, monkeypatch):
    """``centrifuge ARGS`` in this process (tests/test_cli.py runs it in a new one), on the
    shipped data and boundaries."""
    monkeypatch.delenv("CENTRIFUGE_BOUNDARIES", raising=False)
    monkeypatch.delenv("CENTRIFUGE_DATA", raising=False)

    def run(*args: str) -> subprocess.CompletedProcess:
        capsys.readouterr()
        code = cli.main(list(args))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    return run


def _who(centrifuge, query: str, day: str) -> dict:
    out = centrifuge("who-runs", query, "--on", day, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _holder(doc: dict, service: str) -> str:
    return next(h["holder"] for h in doc["holdings"] if h["service_id"] == service)


def test_a_woking_postcode_is_in_west_surrey_from_april_2027(centrifuge):
    doc = _who(centrifuge, "GU21 6BT", "2027-06-01")
    assert doc["as_of"] == "2027-06-01" and doc["vintage"] == "LAD 2027"
    assert doc["area"]["code"] == "E06P27002" and doc["area"]["provisional_code"] is True
    assert _holder(doc, "council_tax") == "West Surrey Council"


def test_a_woking_postcode_before_then_is_woking_with_what_comes_next(centrifuge):
    doc = _who(centrifuge, "GU21 6BT", "2026-06-01")
    assert doc["vintage"] == "LAD 2025" and doc["area"]["code"] == "E07000217"
    tax = next(h for h in doc["holdings"] if h["service_id"] == "council_tax")
    assert tax["holder"] == "Woking Borough Council"
    assert tax["until"] == "2027-03-31"
    assert tax["next"] == {
        "from": "2027-04-01",
        "holder": "West Surrey Council",
        "accountable_to": "West Surrey Council",
        "area_codes": ["E06P27002"],
    }


def test_a_harrogate_postcode_in_2022_is_harrogate_held_by_its_borough_council(centrifuge):
    doc = _who(centrifuge, "HG1 2RR", "2022-06-01")
    assert doc["vintage"] == "LAD 2021"
    assert (doc["area"]["code"], doc["area"]["name"]) == ("E07000165", "Harrogate")
    assert _holder(doc, "council_tax") == "Harrogate Borough Council"
    assert _holder(doc, "adult_social_care") == "North Yorkshire County Council"


def test_the_same_postcode_today_is_north_yorkshire(centrifuge):
    doc = _who(centrifuge, "HG1 2RR", "2026-06-01")
    assert doc["area"]["code"] == "E06000065"
    assert _holder(doc, "council_tax") == "North Yorkshire Council"


def test_a_former_district_by_name_names_its_successor_in_plain_text(centrifuge):
    out = centrifuge("who-runs", "Harrogate")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(
        "Harrogate Borough Council was abolished on 1 April 2023 (The North Yorkshire "
        "(Structural Changes) Order 2022); the area is now North Yorkshire (E06000065)."
    )
    assert "LAD 2025" in out.stdout


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2027-02-30", "'2027-02-30' is not a date"),
        ("2018-06-01", "outside the dates Centrifuge answers for (2019-04-01 to 2028-12-31)"),
        ("[x](http://evil)", "'[x](http://evil)' is not a date"),
    ],
)
def test_a_bad_day_exits_2_with_one_line(centrifuge, day, message):
    out = centrifuge("who-runs", "Leeds", "--on", day)
    assert out.returncode == 2
    assert message in out.stderr and out.stderr.count("\n") == 1
    assert out.stdout == ""


def test_the_export_of_a_day_carries_its_day_and_vintage_in_every_row(centrifuge, tmp_path):
    target = tmp_path / "tax.csv"
    out = centrifuge(
        "export",
        "--service",
        "council_tax",
        "--format",
        "csv",
        "--out",
        str(target),
        "--on",
        "2022-06-01",
    )
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 374  # LAD 2021's areas
    assert {r["as_of"] for r in rows} == {"2022-06-01"} and {r["vintage"] for r in rows} == {
        "LAD 2021"
    }
    harrogate = next(r for r in rows if r["area_code"] == "E07000165")
    assert harrogate["holder"] == "Harrogate Borough Council"
    assert harrogate["area_url"].endswith("area=E07000165&on=2022-06-01")
