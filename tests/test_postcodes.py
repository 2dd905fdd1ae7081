import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import postcodes


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("  SW1A   1AA ", "SW1A 1AA"),
        ("b11aa", "B1 1AA"),
        ("Ec1a 1bb", "EC1A 1BB"),
        ("bt1\t1aa", "BT1 1AA"),
    ],
)
def test_postcodes_are_canonicalised_whatever_the_case_and_spacing(typed, expected):
    assert postcodes.validate(typed) == expected


@pytest.mark.parametrize("bad", ["", "SW1A", "12345", "SW1A 1A", "SW1A 1CA", "QQ!! 1AA", "X" * 40])
def test_malformed_postcodes_are_refused_with_a_reason(bad):
    with pytest.raises(postcodes.InvalidPostcode, match="not a valid UK postcode"):
        postcodes.validate(bad)


def test_a_postcode_is_found_in_its_local_authority():
    where = postcodes.locate("sw1a 1aa")
    assert (where.postcode, where.lad) == ("SW1A 1AA", "E09000033")
    assert 51.49 < where.lat < 51.51 and -0.15 < where.lon < -0.13


def test_northern_irish_postcodes_use_the_irish_grid():
    where = postcodes.locate("BT1 1AA")  # Belfast city centre
    assert where.lad == "N09000003"
    assert 54.59 < where.lat < 54.61 and -5.94 < where.lon < -5.91


def test_a_well_formed_postcode_that_does_not_exist_is_unknown():
    with pytest.raises(postcodes.UnknownPostcode, match="not in the ONS Postcode Directory"):
        postcodes.locate("ZZ9 9ZZ")


def test_crown_dependency_postcodes_are_not_uk_local_authorities():
    with pytest.raises(postcodes.UnknownPostcode, match="Channel Islands or the Isle of Man"):
        postcodes.locate("IM1 1AA")


@given(st.text(max_size=30))
def test_validation_never_crashes_on_any_text(text):
    try:
        value = postcodes.validate(text)
    except postcodes.InvalidPostcode:
        return
    assert value == value.upper() and value.count(" ") == 1


@given(st.from_regex(r"[A-Z]{1,2}[0-9]{1,2} ?[0-9][ABD-HJLNP-UW-Z]{2}", fullmatch=True))
def test_every_well_formed_postcode_validates_to_one_spaced_form(text):
    value = postcodes.validate(text.lower())
    assert value.replace(" ", "") == text.replace(" ", "")
    assert value[-4] == " "
