"""The baseline through time: every area of every day answered for has one holder per service,
most holdings are dated, and the changes the issue names are right.

Sources: The North Yorkshire (District of York) (Structural and Boundary Changes) Order 1995 (SI
1995/610: York a unitary from 1 April 1996); The North Yorkshire (Structural Changes) Order 2022
(SI 2022/328); The Surrey (Structural Changes) Order 2026; the Home Office's announcement of
13 November 2025 that police and crime commissioners are to be abolished in 2028.
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import announcements, holdings, vintages

SERVICES = 8


@pytest.mark.parametrize("vintage", vintages.VINTAGES, ids=lambda v: v.name)
def test_every_area_of_every_vintage_has_one_holder_per_service_on_its_first_day(baseline, vintage):
    held = holdings.current(baseline, vintage.start)
    codes = set(vintages.areas_of(vintage.name)["code"])
    pairs = list(zip(held["area_code"], held["service_id"], strict=True))
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(c, s) for c in codes for s in baseline.services["id"]}
    assert len(held) == len(codes) * SERVICES


def test_at_least_nine_in_ten_holdings_are_dated(baseline):
    held = baseline.holdings
    assert (held["since"] != "").mean() >= 0.90


def test_york_is_dated_from_becoming_a_unitary(baseline):
    york = holdings.for_area(baseline, "E06000014", date(2026, 6, 1))
    dated = {h.service_id: h.since for h in york}
    for service in ("council_tax", "adult_social_care", "childrens_social_care"):
        assert dated[service] == "1996-04-01"


def test_harrogate_holds_council_tax_until_north_yorkshire_council_takes_over(baseline):
    (tax,) = [
        h
        for h in holdings.for_area(baseline, "E07000165", date(2022, 6, 1))
        if h.service_id == "council_tax"
    ]
    assert (tax.holder, tax.until) == ("Harrogate Borough Council", "2023-03-31")
    after = holdings.next_holder(baseline, tax)
    assert (after.day, after.holder, after.area_codes) == (
        "2023-04-01",
        "North Yorkshire Council",
        ("E06000065",),
    )


def test_surrey_councils_hand_over_on_1_april_2027(baseline):
    (tax,) = [
        h
        for h in holdings.for_area(baseline, "E07000217", date(2026, 6, 1))
        if h.service_id == "council_tax"
    ]
    assert tax.until == "2027-03-31"
    after = holdings.next_holder(baseline, tax)
    assert (after.day, after.holder) == ("2027-04-01", "West Surrey Council")
    assert after.describe(tax) == "then West Surrey Council"


def test_a_holder_that_carries_on_after_its_area_ends_says_so(baseline):
    """Harrogate's police: North Yorkshire Police before and after 1 April 2023."""
    (police,) = [
        h
        for h in holdings.for_area(baseline, "E07000165", date(2022, 6, 1))
        if h.service_id == "police"
    ]
    after = holdings.next_holder(baseline, police)
    assert after.describe(police, {"E06000065": "North Yorkshire"}) == (
        "the same after, in North Yorkshire"
    )


def test_a_change_of_whom_the_holder_answers_to_says_so(baseline):
    """Leeds's police answered to the West Yorkshire PCC until the Mayor took the functions
    on 10 May 2021 (SI 2021/112)."""
    (police,) = [
        h
        for h in holdings.for_area(baseline, "E08000035", date(2020, 6, 1))
        if h.service_id == "police"
    ]
    assert police.until == "2021-05-09"
    after = holdings.next_holder(baseline, police)
    assert after.describe(police) == "then answering to Mayor of West Yorkshire"


def test_police_and_crime_commissioners_abolition_is_announced_not_dated(baseline):
    found = [
        a
        for a in announcements.load(baseline.directory)
        if "police" in a.services and a.status == "announced"
    ]
    assert found, "the PCC abolition is recorded as announced"
    assert found[0].applies_to("E06000001", "England")
    police = baseline.holdings[baseline.holdings["service_id"] == "police"]
    assert not (police["until"].str.startswith("2028")).any()
