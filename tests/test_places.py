"""Search that finds what people type: areas, larger places, and counties that have gone."""

from __future__ import annotations

import pytest

from dashboard import areas, focus, holdings, lookup, places


@pytest.fixture(scope="module")
def where():
    table = areas.area_table()
    return table, focus.groups(holdings.load(), table)


def test_a_former_county_leads_to_the_areas_that_took_its_place(where):
    found = places.find("Cumbria", *where)
    assert isinstance(found, places.Place) and found.kind == "former"
    assert found.codes == ["E06000063", "E06000064"]  # Cumberland, Westmorland and Furness
    assert "Cumbria County Council was abolished on 1 April 2023" in found.note
    assert "The Cumbria (Structural Changes) Order 2022" in found.note
    assert "Cumberland (E06000063) and Westmorland and Furness (E06000064)" in found.note
    avon = places.find("avon", *where)  # not Stratford-on-Avon
    assert avon.kind == "former" and len(avon.codes) == 4


@pytest.mark.parametrize(
    ("query", "kind", "name", "areas_in_it"),
    [
        ("Thames Valley Police", "police", "Thames Valley Police", 13),
        ("thames valley", "police", "Thames Valley Police", 13),
        ("Devon and Somerset Fire", "fire", "Devon and Somerset Fire and Rescue Authority", 11),
        ("West Yorkshire Fire and Rescue Service", "fire", None, 5),
        ("North West", "region", "North West", 35),  # not North West Leicestershire
        ("Wales", "country", "Wales", 22),
        ("Kent", "upper_tier", "Kent", 12),
    ],
)
def test_larger_places_are_found_by_their_names(where, query, kind, name, areas_in_it):
    found = places.find(query, *where)
    assert isinstance(found, places.Place) and found.kind == kind
    assert name is None or found.name == name
    assert len(found.codes) == areas_in_it


@pytest.mark.parametrize(
    ("query", "code"),
    [("Leeds", "E08000035"), ("Durham", "E06000047"), ("Hull", "E06000010"), ("E08000035", None)],
)
def test_an_areas_own_name_or_code_still_finds_the_area(where, query, code):
    found = places.find(query, *where)
    assert isinstance(found, lookup.Match)
    assert found.code == (code or query)


def test_a_misspelling_suggests_areas_and_places(where):
    with pytest.raises(lookup.UnknownArea) as caught:
        places.find("Cumbri", *where)
    assert "Cumberland" in caught.value.suggestions
    assert "Cumbria Constabulary" in caught.value.suggestions


def test_a_town_leads_to_the_area_it_is_in_and_a_shared_name_to_each(where):
    # A former district's name leads to its successor, naming the order (SI 2022/328)
    harrogate = places.find("Harrogate", *where)
    assert harrogate.code == "E06000065" and "Harrogate Borough Council was abolished" in (
        harrogate.notice
    )
    ripon = places.find("Ripon", *where)  # GeoNames, via data/boundaries/towns.csv
    assert ripon.kind == "town" and ripon.codes == ["E06000065"]
    assert ripon.note == "Ripon is in North Yorkshire (E06000065)."
    bangor = places.find("bangor", *where)
    assert sorted(bangor.codes) == ["N09000011", "W06000002"]
    assert bangor.note.startswith("There are 2 places called Bangor")
    newport = places.find("Newport", *where)  # the area of that name wins over the towns
    assert isinstance(newport, lookup.Match) and newport.code == "W06000022"
