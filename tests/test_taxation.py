"""Who taxes you for what: the precept rules per nation, and the answer for Northern Ireland.

Rules: Local Government Finance Act 1992 Part I (England and Wales: billing authorities, s.1;
major and local precepting authorities, s.39) and Part II (Scotland: the council alone); Police
and Fire Reform (Scotland) Act 2012 (national police and fire); Rates (Northern Ireland) Order
1977 (domestic rates, no council tax). Figures: data/taxation/council_tax_band_d.csv.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard import areas, holdings, taxation
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def answer():
    baseline, table = holdings.load(), areas.area_table().set_index("code")

    def tax(code: str) -> taxation.CouncilTax:
        held = holdings.for_area(baseline, code)
        return taxation.council_tax(held, table.loc[code, "country"], code)

    return tax


def bodies(tax: taxation.CouncilTax) -> dict[str, list[str]]:
    return {p.body: p.services for p in tax.precepts}


def test_london_pays_the_gla_for_police_and_fire_through_the_borough(answer):
    tax = answer("E09000033")  # Westminster
    assert tax.kind == "council_tax" and tax.billing_authority == "Westminster City Council"
    assert bodies(tax)["Greater London Authority (Mayor of London)"] == ["police", "fire"]
    # MHCLG Table 10 (area Band D): 1,019.00 in 2025-26 and 1,049.55 in 2026-27.
    assert tax.band_d == {"2025-26": 1019.00, "2026-27": 1049.55}


def test_the_city_of_london_funds_its_own_police_and_the_gla_its_fire(answer):
    tax = answer("E09000001")
    assert bodies(tax)["Greater London Authority (Mayor of London)"] == ["fire"]
    assert not any("Police" in body for body in bodies(tax))


def test_a_two_tier_district_collects_for_the_county_police_and_fire_authority(answer):
    tax = answer("E07000110")  # Maidstone, Kent
    found = bodies(tax)
    assert tax.billing_authority == "Maidstone Borough Council"
    assert found["Kent Police and Crime Commissioner"] == ["police"]
    assert found["Kent and Medway Fire and Rescue Authority"] == ["fire"]
    assert "adult social care" in found["Kent County Council"]
    assert "Parish and town councils, where the area has them" in found


def test_a_county_that_runs_fire_precepts_once_for_fire_and_care(answer):
    found = bodies(answer("E07000209"))  # Guildford, Surrey
    assert found["Surrey County Council"][0] == "fire"
    assert "fire and rescue" not in found["Surrey County Council"]  # fire named once
    assert "adult social care" in found["Surrey County Council"]
    assert not any("Fire" in body for body in found)


def test_a_mayor_with_police_and_fire_precepts_for_both(answer):
    assert bodies(answer("E08000003"))["Mayor of Greater Manchester"] == ["police", "fire"]


def test_a_unitary_that_runs_fire_has_no_fire_precept(answer):
    found = bodies(answer("E06000052"))  # Cornwall Council runs its fire service
    assert list(found) == [
        "Devon and Cornwall Police and Crime Commissioner",
        "Parish and town councils, where the area has them",
    ]


def test_wales_has_a_police_precept_and_community_councils_and_pays_fire_by_contribution(answer):
    tax = answer("W06000015")  # Cardiff
    assert list(bodies(tax)) == [
        "South Wales Police and Crime Commissioner",
        "Community councils, where the area has them",
    ]
    assert "issues no precept" in tax.note
    # Welsh Government council tax levels, overall average Band D: 1,926.18 then 2,013.18.
    assert tax.band_d == {"2025-26": 1926.18, "2026-27": 2013.18}


def test_scotland_is_the_council_alone(answer):
    tax = answer("S12000049")  # Glasgow City
    assert tax.precepts == [] and tax.billing_authority == "Glasgow City Council"
    assert "water and waste water" in tax.note and "Part II" in tax.law
    # Scottish Government Band D series: 1,611 then 1,706.
    assert tax.band_d == {"2025-26": 1611.0, "2026-27": 1706.0}


def test_northern_ireland_answers_with_domestic_rates_and_says_why_the_amount_is_unknown(answer):
    tax = answer("N09000003")  # Belfast
    assert tax.kind == "domestic_rates" and tax.billing_authority == "Land & Property Services"
    assert tax.band_d == {"2025-26": None, "2026-27": None}
    assert "not in any package we can verify" in tax.note
    assert taxation.describe(tax).startswith("No council tax: domestic rates")


def test_the_card_sentence_gives_band_d_its_change_and_the_precepts(answer):
    text = taxation.describe(answer("E07000110"))
    assert text.startswith("Your council tax: Band D £2,502.59 (2026-27), up 4.1% on 2025-26.")
    assert "Set by Maidstone Borough Council, with precepts for Kent Police" in text


def test_who_runs_json_carries_the_council_tax_object():
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "who-runs", "SW1A 1AA", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    tax = json.loads(out.stdout)["council_tax"]
    assert tax["kind"] == "council_tax"
    assert tax["billing_authority"] == "Westminster City Council"
    assert tax["band_d"] == {"2025-26": 1019.0, "2026-27": 1049.55}
    assert {
        "body": "Greater London Authority (Mayor of London)",
        "services": ["police", "fire"],
    } in (tax["precepts"])
    assert "MHCLG" in tax["source"]


def test_a_broken_band_d_file_is_named(tmp_path):
    bad = tmp_path / "band_d.csv"
    bad.write_text("code,name,country,year,band_d_gbp,what,source\nE1,x,England,2025-26,lots,,\n")
    with pytest.raises(taxation.TaxationError, match=r"band_d\.csv:2: band_d_gbp 'lots'"):
        taxation._band_d(bad)
    with pytest.raises(taxation.TaxationError, match="is missing"):
        taxation._band_d(tmp_path / "none.csv")
