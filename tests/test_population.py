"""Population per area: ONS mid-2023 figures for England and Wales, unknown elsewhere."""

from __future__ import annotations

import pandas as pd

from dashboard import areas, lads, paths, population

# ONS, "Population estimates for the UK, England, Wales, Scotland and Northern Ireland:
# mid-2023" (8 October 2024), Table 1: England 57,690,300 and Wales 3,164,400, rounded to 100.
ONS_MID_2023_ROUNDED = {"England": 57_690_300, "Wales": 3_164_400}


def shipped() -> pd.DataFrame:
    return pd.read_csv(paths.POPULATION, dtype=str, keep_default_na=False)


def test_every_area_has_one_row_with_a_figure_and_its_source_or_says_why_not():
    table = shipped()
    assert sorted(table["code"]) == sorted(lads.lad_table()["code"])
    known = table[table["population"] != ""]
    assert (known["vintage"] == "mid-2023").all()
    assert known["source"].str.startswith("ONS mid-2023 population estimates").all()
    unknown = table[table["population"] == ""]
    assert (unknown["source"] == "").all() and unknown["note"].str.startswith("Unknown:").all()


def test_england_and_wales_add_up_to_the_ons_published_totals():
    people = lads.lad_table().assign(population=lambda t: t["code"].map(population.by_code()))
    by_country = people.groupby("country")["population"]
    for country, total in ONS_MID_2023_ROUNDED.items():
        assert round(int(by_country.sum()[country]), -2) == total, country
        assert by_country.count()[country] == (people["country"] == country).sum(), country


def test_scotland_and_northern_ireland_are_unknown_never_zero():
    table = areas.area_table().set_index("code")
    for code in ("S12000049", "N09000003", "N09000011"):  # Glasgow, Belfast, Ards and North Down
        assert pd.isna(table.loc[code, "population"])
    assert (table["population"].dropna() > 0).all()


def test_recoded_areas_carry_their_previous_codes_figure_and_say_so():
    table = shipped().set_index("code")
    for new, old in (("E08000038", "E08000016"), ("E08000039", "E08000019")):
        assert table.loc[new, "population"] != ""
        assert old in table.loc[new, "note"]


def test_sums_name_the_areas_they_leave_out():
    values = pd.Series([1000, pd.NA, 234, pd.NA], dtype="Int64")
    assert population.total(values) == (1234, 2)
    assert population.describe(values) == "1,234 + 2 areas unknown"
    assert population.describe(values.dropna()) == "1,234"
    assert population.describe(pd.Series([pd.NA], dtype="Int64")) == "unknown"
    assert population.words(5, 1) == "5 + 1 area unknown"
    assert population.total(pd.Series([], dtype="Int64")) == (0, 0)  # no areas, no residents
