import pytest

from dashboard import lads, lookup, postcodes

AREAS = lads.lad_table()


def test_a_postcode_resolves_to_its_area():
    match = lookup.resolve("SW1A 1AA", AREAS)
    assert (match.kind, match.code, match.name) == ("postcode", "E09000033", "Westminster")


def test_a_gss_code_resolves_in_any_case():
    assert lookup.resolve(" e06000046 ", AREAS).name == "Isle of Wight"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("belfast", "N09000003"),
        ("GLASGOW CITY", "S12000049"),
        ("Hull", "E06000010"),
        ("Armagh City Banbridge & Craigavon", "N09000002"),
        ("st helens", "E08000013"),
    ],
)
def test_names_match_case_and_punctuation_insensitively(typed, code):
    assert lookup.resolve(typed, AREAS).code == code


def test_a_misspelt_name_suggests_close_matches():
    with pytest.raises(lookup.UnknownArea) as err:
        lookup.resolve("Birmingam", AREAS)
    assert "Birmingham" in err.value.suggestions
    assert "did you mean Birmingham" in str(err.value)


def test_a_name_shared_by_several_areas_lists_them():
    with pytest.raises(lookup.UnknownArea, match=r"matches \d+ areas") as err:
        lookup.resolve("Lincolnshire", AREAS)
    assert {"North Lincolnshire", "North East Lincolnshire"} <= set(err.value.suggestions)


def test_an_unknown_code_is_named_in_the_error():
    with pytest.raises(lookup.UnknownArea, match="E06099999 is not a LAD code"):
        lookup.resolve("E06099999", AREAS)


def test_a_bad_postcode_is_reported_as_such():
    with pytest.raises(postcodes.InvalidPostcode):
        lookup.resolve("SW1A 1CA", AREAS)


def test_an_empty_search_says_what_to_type():
    with pytest.raises(lookup.UnknownArea, match="type a postcode"):
        lookup.resolve("   ", AREAS)
