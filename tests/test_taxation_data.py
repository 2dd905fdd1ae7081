"""Band D council tax per GB billing authority, data/taxation/council_tax_band_d.csv (offline)."""

from __future__ import annotations

import importlib.util
import re

import pandas as pd
import pytest

from dashboard import lads, paths

CSV = paths.DATA / "taxation" / "council_tax_band_d.csv"
SCRIPT = paths.ROOT / "scripts" / "make_council_tax.py"
YEARS = ("2025-26", "2026-27")
BILLING = {"England": ("E06", "E07", "E08", "E09"), "Wales": ("W06",), "Scotland": ("S12",)}

# Quoted from policyengine-uk 2.162.10,
# policyengine_uk/parameters/gov/local_authorities/council_tax/band_d/amounts.yaml
# (2025-01-01 is 2025-26, 2026-01-01 is 2026-27), at the lines given.
KNOWN = {
    # WESTMINSTER, lines 1016-1018: 2025-01-01: 1019.00, 2026-01-01: 1049.55
    "E09000033": ("Westminster", "1019.00", "1049.55"),
    # LEEDS, lines 509-511: 2025-01-01: 2172.39, 2026-01-01: 2283.73
    "E08000035": ("Leeds", "2172.39", "2283.73"),
    # MAIDSTONE (a Kent district), lines 533-535: 2025-01-01: 2403.78, 2026-01-01: 2502.59.
    # The package's own test simulated_council_tax.yaml uses 2502.59 for Maidstone in 2026.
    "E07000110": ("Maidstone", "2403.78", "2502.59"),
    # CARDIFF, lines 170-172: 2025-01-01: 1926.18, 2026-01-01: 2013.18
    "W06000015": ("Cardiff", "1926.18", "2013.18"),
    # GLASGOW_CITY, lines 377-379: 2025-01-01: 1611.00, 2026-01-01: 1706.00
    "S12000049": ("Glasgow City", "1611.00", "1706.00"),
    # CITY_OF_EDINBURGH, lines 212-214: 2025-01-01: 1563.51, 2026-01-01: 1626.05
    "S12000036": ("City of Edinburgh", "1563.51", "1626.05"),
}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(CSV, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("make_council_tax", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def billing_authorities() -> pd.DataFrame:
    areas = lads.lad_table()
    return areas[areas["country"].isin(BILLING)]


def test_every_gb_billing_authority_has_one_row_per_year_and_nothing_else(table):
    authorities = billing_authorities()
    assert authorities["country"].value_counts().to_dict() == {
        "England": 296,
        "Wales": 22,
        "Scotland": 32,
    }
    for year in YEARS:
        rows = table[table["year"] == year]
        assert rows["code"].is_unique, year
        assert sorted(rows["code"]) == sorted(authorities["code"]), year
    assert set(table["year"]) == set(YEARS)
    assert len(table) == 2 * len(authorities)
    assert not table["country"].eq("Northern Ireland").any()  # domestic rates, not council tax


def test_codes_names_and_countries_are_lads_own(table):
    areas = lads.lad_table().set_index("code")
    for row in table.itertuples():
        assert re.fullmatch(r"[EWS]\d{8}", row.code), row.code
        assert row.code.startswith(BILLING[row.country]), row.code
        assert areas.loc[row.code, "name"] == row.name
        assert areas.loc[row.code, "country"] == row.country


def test_amounts_are_pounds_and_pence_in_range_or_explained(table):
    known = table[table["band_d_gbp"] != ""]
    assert (known["band_d_gbp"].str.fullmatch(r"\d+\.\d\d")).all()
    amount = known["band_d_gbp"].astype(float)
    assert (amount > 0).all()
    outside = known[(amount < 1_000) | (amount > 4_000)]
    # Wandsworth's 2025-26 area Band D, £997.75 (amounts.yaml line 969), is the only one.
    assert list(zip(outside["code"], outside["year"], strict=True)) == [("E09000032", "2025-26")]
    assert outside["note"].str.startswith("Below £1,000, as the source gives it").all()
    assert (amount >= 900).all()
    # No figure is missing in 2.162.10; a missing one would have to say why.
    assert (table.loc[table["band_d_gbp"] == "", "note"] != "").all()


def test_known_values_are_the_yamls(table):
    indexed = table.set_index(["code", "year"])
    for code, (name, first, second) in KNOWN.items():
        assert indexed.loc[(code, "2025-26"), "name"] == name
        assert indexed.loc[(code, "2025-26"), "band_d_gbp"] == first, name
        assert indexed.loc[(code, "2026-27"), "band_d_gbp"] == second, name


def test_every_row_names_its_government_source_licence_and_the_package(table):
    assert (table["licence"] == "Open Government Licence v3.0").all()
    assert table["via"].str.startswith("policyengine-uk 2.162.10, ").all()
    publishers = {
        "England": "Ministry of Housing, Communities and Local Government (MHCLG): England ",
        "Wales": "Welsh Government: Wales 2026-27 and 2025-26: Council tax levels",
        "Scotland": "Scottish Government: Scotland 2026-27 and 2025-26: Band D council tax",
    }
    for country, start in publishers.items():
        rows = table[table["country"] == country]
        assert rows["source"].str.startswith(start).all(), country
        assert rows["what"].nunique() == 1, country
    england = table[table["country"] == "England"]
    for year in YEARS:
        assert (
            england.loc[england["year"] == year, "source"]
            .str.contains(
                f"England {year}: Council tax levels set by local authorities in England, Table 10"
            )
            .all()
        )
    assert table.loc[table["country"] == "Scotland", "what"].str.contains("water").all()


def test_year_on_year_changes_are_plausible(table):
    wide = table.pivot(index="code", columns="year", values="band_d_gbp").astype(float)
    change = wide["2026-27"] / wide["2025-26"] - 1
    assert change.between(0, 0.11).all()  # 2.47% (Hartlepool) to 10.00% (Aberdeenshire)


def test_the_matching_rule(script):
    assert script.key("Bristol, City of") == "BRISTOL_CITY_OF"
    assert script.key("King's Lynn and West Norfolk") == "KINGS_LYNN_AND_WEST_NORFOLK"
    assert script.key("St. Helens") == "ST_HELENS"
    assert script.key("Newcastle-under-Lyme") == "NEWCASTLE_UNDER_LYME"
    assert script.key("Na h-Eileanan Siar") == "NA_H_EILEANAN_SIAR"
    assert script.key("Brighton & Hove") == "BRIGHTON_AND_HOVE"


def test_the_script_refuses_a_name_it_cannot_match(script):
    names = ["WESTMINSTER", "NOT_A_COUNCIL", "GLASGOW_CITY", "ALSO_NOT_ONE"]
    with pytest.raises(SystemExit, match=r"2 names .* NOT_A_COUNCIL, ALSO_NOT_ONE$"):
        script.match_names(names, lads.lad_table())
    assert script.match_names(["WESTMINSTER", "GLASGOW_CITY"], lads.lad_table()) == {
        "WESTMINSTER": "E09000033",
        "GLASGOW_CITY": "S12000049",
    }


def test_the_script_refuses_to_leave_a_billing_authority_without_a_figure(script, table):
    # A document shaped like amounts.yaml, built from the shipped CSV, less Cardiff.
    wide = table.pivot(index="name", columns="year", values="band_d_gbp").astype(float)
    document = {
        "description": "",
        "metadata": {
            "reference": [{"title": prefix, "href": ""} for prefix in {*script.REFERENCE.values()}]
        },
    }
    for name, row in wide.iterrows():
        if name != "Cardiff":
            document[script.key(name)] = {
                "2025-01-01": row["2025-26"],
                "2026-01-01": row["2026-27"],
            }
    variable = script.YEARS_PHRASE
    with pytest.raises(SystemExit, match=r"without a figure: W06000015 \(Cardiff\)$"):
        script.build(document, variable, lads.lad_table())
    document["CARDIFF"] = {"2025-01-01": 1926.18, "2026-01-01": 2013.18}
    rebuilt = script.build(document, variable, lads.lad_table())
    assert [r["band_d_gbp"] for r in rebuilt] == list(table["band_d_gbp"])
