"""Areas and holdings through time: vintages, former and future areas, any day's answer.

Sources for the facts asserted here:
- ONS counts of local authority districts: 382 (April 2019), 379 (April 2020), 374 (April 2021),
  361 (April 2023 on); East Surrey and West Surrey add 2 and take 11 from 1 April 2027.
- The North Yorkshire (Structural Changes) Order 2022 (SI 2022/328): Harrogate Borough Council
  abolished, North Yorkshire Council the unitary from 1 April 2023.
- The Cumbria (Structural Changes) Order 2022 (SI 2022/331); The Barnsley and Sheffield
  (Boundary Change) Order 2024 (SI 2024/1328), in force 1 April 2025.
- The Surrey (Structural Changes) Order 2026: Woking is in West Surrey from 1 April 2027.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dashboard import franchises, lookup, vintages
from tests.test_franchises import FILES, write_folder

ONS_COUNTS = {
    "LAD 2019": 382,
    "LAD 2020": 379,
    "LAD 2021": 374,
    "LAD 2023": 361,
    "LAD 2025": 361,
    "LAD 2027": 352,
}


@pytest.mark.parametrize(("name", "count"), ONS_COUNTS.items())
def test_each_vintage_has_as_many_areas_as_ons_counted(name, count):
    assert len(vintages.areas_of(name)) == count


def test_every_change_of_area_falls_on_the_first_day_of_a_vintage():
    """So each vintage's areas are the same on every one of its days."""
    starts = {v.start for v in vintages.VINTAGES}
    frame = vintages.changes()
    for row in frame.itertuples():
        for day in (row.start, row.end):
            if not day:
                continue
            first = date.fromisoformat(day) + (timedelta(days=1) if day == row.end else timedelta())
            if first >= vintages.FIRST_DAY:
                assert first in starts, (row.code, day)


def test_every_day_answered_for_has_exactly_one_vintage():
    day = vintages.FIRST_DAY
    while day <= vintages.LAST_DAY:
        assert sum(v.covers(day) for v in vintages.VINTAGES) == 1, day
        day += timedelta(days=30)


def test_successors_follow_changes_and_a_future_area_has_predecessors():
    assert vintages.successors_on("E07000165", date(2024, 1, 1)) == ["E06000065"]
    assert vintages.successors_on("E07000165", date(2022, 6, 1)) == ["E07000165"]
    assert vintages.successors_on("E07000217", date(2027, 6, 1)) == ["E06P27002"]
    assert len(vintages.predecessors("E06P27002")) == 6
    assert vintages.area("E06P27002")["status"] == "provisional"


def test_a_day_outside_the_span_or_not_a_date_is_named():
    with pytest.raises(vintages.DateOutOfRange, match="2019-04-01 to 2028-12-31"):
        vintages.parse_day("2018-12-31")
    with pytest.raises(ValueError, match="'1 June' is not a date"):
        vintages.parse_day("1 June")


# ----------------------------------------------------------------------------- search


def test_a_former_district_leads_to_its_successor_naming_the_order():
    today = vintages.areas_of("LAD 2025")
    for query in ("Harrogate", "harrogate borough council", "E07000165"):
        match = lookup.resolve(query, today, date(2026, 6, 1))
        assert match.code == "E06000065"
        assert match.notice == (
            "Harrogate Borough Council was abolished on 1 April 2023 (The North Yorkshire "
            "(Structural Changes) Order 2022); the area is now North Yorkshire (E06000065)."
        )


def test_on_a_day_before_the_change_the_former_district_is_itself():
    then = vintages.areas_of("LAD 2021")
    match = lookup.resolve("Harrogate", then, date(2022, 6, 1))
    assert (match.code, match.notice) == ("E07000165", None)
    # and today's unitary did not exist then: its areas are named
    with pytest.raises(lookup.UnknownArea, match="Harrogate") as caught:
        lookup.resolve("E06000065", then, date(2022, 6, 1))
    assert "Craven" in caught.value.suggestions


def test_a_future_council_says_when_it_takes_over_and_what_covers_it_until_then():
    with pytest.raises(lookup.UnknownArea) as caught:
        lookup.resolve("West Surrey", vintages.areas_of("LAD 2025"), date(2026, 6, 1))
    assert str(caught.value).startswith("West Surrey Council takes over on 1 April 2027")
    assert "provisional code" in str(caught.value)
    assert caught.value.suggestions == [
        "Guildford",
        "Runnymede",
        "Spelthorne",
        "Surrey Heath",
        "Waverley",
        "Woking",
    ]
    match = lookup.resolve("West Surrey", vintages.areas_of("LAD 2027"), date(2027, 6, 1))
    assert match.code == "E06P27002"


def test_an_old_code_of_a_renamed_area_says_its_code_changed():
    match = lookup.resolve("E08000016", vintages.areas_of("LAD 2025"), date(2026, 1, 1))
    assert match.code == "E08000038"
    assert "code E08000016 was replaced by E08000038 on 1 April 2025" in match.notice


# ----------------------------------------------------------------------------- validator

HOLDINGS_HEAD = "area_code,service_id,holder_id,accountable_to,since,until,source,checked\n"


def _folder(tmp_path, rows: str):
    return write_folder(tmp_path / "data", {**FILES, "holdings.csv": HOLDINGS_HEAD + rows})


LIVES = {
    "E09999901": (None, None),
    "E09999902": (None, date(2023, 3, 31)),  # abolished: succeeded by E09999903
    "E09999903": (date(2023, 4, 1), None),
}
GOOD = (
    "E09999901,council_tax,north-council,,1993-04-01,,LGFA 1992,2026-01-01\n"
    "E09999901,police,police-grid,,,,Police Act 1996,2026-01-01\n"
    "E09999902,council_tax,south-council,,,2023-03-31,LGFA 1992,2026-01-01\n"
    "E09999902,police,police-grid,,,2023-03-31,Police Act 1996,2026-01-01\n"
    "E09999903,council_tax,north-council,,2023-04-01,,Order 2022,2026-01-01\n"
    "E09999903,police,police-grid,,,,Police Act 1996,2026-01-01\n"
)


def test_holdings_of_former_and_new_areas_through_their_lives_are_valid(tmp_path):
    assert franchises.check(_folder(tmp_path, GOOD), LIVES, date(2026, 1, 15)) == []


def test_a_gap_in_an_areas_life_is_named_with_the_day(tmp_path):
    rows = GOOD.replace(
        "E09999903,council_tax,north-council,,2023-04-01",
        "E09999903,council_tax,north-council,,2023-05-01",
    )
    problems = [str(p) for p in franchises.check(_folder(tmp_path, rows), LIVES, date(2026, 1, 15))]
    assert problems == [
        "holdings.csv:1: area E09999903 has no holder for 'council_tax' on 2023-04-01"
    ]


def test_a_holder_ending_inside_an_areas_life_with_nobody_after_is_a_gap(tmp_path):
    rows = GOOD.replace(
        "E09999901,police,police-grid,,,,", "E09999901,police,police-grid,,,2021-05-09,"
    )
    problems = [str(p) for p in franchises.check(_folder(tmp_path, rows), LIVES, date(2026, 1, 15))]
    assert "holdings.csv:1: area E09999901 has no holder for 'police' on 2021-05-10" in problems


def test_overlapping_holders_of_one_area_are_named(tmp_path):
    rows = GOOD + "E09999901,police,north-council,,2020-01-01,,Made up,2026-01-01\n"
    problems = [str(p) for p in franchises.check(_folder(tmp_path, rows), LIVES, date(2026, 1, 15))]
    assert any("overlap in time" in p for p in problems)


def test_a_code_that_is_no_area_of_any_day_is_refused(tmp_path):
    rows = GOOD + "E09999909,police,police-grid,,,,Police Act 1996,2026-01-01\n"
    problems = [str(p) for p in franchises.check(_folder(tmp_path, rows), LIVES, date(2026, 1, 15))]
    assert "holdings.csv:8: area code E09999909 is not a known LAD code" in problems


def test_a_county_of_another_day_leads_to_its_areas_then():
    """Cumbria: a county of six districts in 2022 (abolished 1 April 2023, SI 2022/331)."""
    from dashboard import focus, holdings, places

    day = date(2022, 6, 1)
    table = vintages.areas_on(day)
    grouped = focus.groups(holdings.load(), table.assign(population=None), day)
    found = places.find("Cumbria", table, grouped, day)
    assert isinstance(found, places.Place) and found.kind == "upper_tier"
    assert sorted(found.codes) == [f"E0700002{i}" for i in range(6, 10)] + [
        "E07000030",
        "E07000031",
    ]


# ----------------------------------------------------------------------------- announcements

ANNOUNCED_HEAD = "id,title,status,announced,expected,services,scope,known,unknown,source,checked\n"


def _announcements(tmp_path, rows: str):
    from dashboard import announcements

    (tmp_path / "announcements.csv").write_text(ANNOUNCED_HEAD + rows, encoding="utf-8")
    return announcements


def test_an_announcement_reaches_its_nations_and_areas_until_its_day(tmp_path):
    module = _announcements(
        tmp_path,
        "ni,Rates reform,announced,2026-01-01,,council_tax,Northern Ireland,,,Made up,2026-01-02\n"
        "sy,Surrey,legislated,2025-10-28,2027-04-01,fire,E07000217,,,Order,2026-01-02\n",
    )
    assert [a.id for a in module.for_area(tmp_path, "N09000003", "Northern Ireland")] == ["ni"]
    assert module.for_area(tmp_path, "S12000036", "Scotland") == []
    woking = "E07000217"
    assert [a.id for a in module.for_area(tmp_path, woking, "England", date(2026, 6, 1))] == ["sy"]
    assert module.for_area(tmp_path, woking, "England", date(2027, 4, 1)) == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,T,rumoured,2026-01-01,,police,England,,,S,2026-01-02\n", "status 'rumoured'"),
        ("x,T,announced,soon,,police,England,,,S,2026-01-02\n", "announced 'soon' is not a date"),
        ("x,T,announced,2026-01-01,,police,,,,S,2026-01-02\n", "scope is empty"),
        ("x,T,announced,2026-01-01\n", "4 cells, expected 11"),
    ],
)
def test_a_broken_announcement_names_its_line_and_problem(tmp_path, row, message):
    module = _announcements(tmp_path, row)
    with pytest.raises(module.AnnouncementError, match=r"announcements\.csv:2: ") as caught:
        module.load(tmp_path)
    assert message in str(caught.value)


def test_an_announcement_is_news_from_its_day_and_leaves_out_excluded_areas(tmp_path):
    module = _announcements(
        tmp_path,
        "pcc,PCCs go,announced,2025-11-13,,police,England Wales -E08000003,,,Made up,2026-01-02\n",
    )
    leeds, manchester = "E08000035", "E08000003"
    assert [a.id for a in module.for_area(tmp_path, leeds, "England", date(2026, 1, 1))] == ["pcc"]
    assert module.for_area(tmp_path, leeds, "England", date(2022, 6, 1)) == []  # not yet said
    assert module.for_area(tmp_path, manchester, "England", date(2026, 1, 1)) == []


def test_the_pcc_abolition_leaves_out_the_areas_whose_police_answer_to_a_mayor(baseline):
    from dashboard import announcements

    def ids(code: str, country: str = "England") -> list[str]:
        found = announcements.for_area(baseline.directory, code, country, date(2026, 12, 1))
        return [a.id for a in found]

    assert "pcc-abolition-2028" in ids("E06000001")  # Hartlepool: Cleveland PCC
    assert "pcc-abolition-2028" in ids("W06000015", "Wales")  # Cardiff: South Wales PCC
    assert "pcc-abolition-2028" not in ids("E08000003")  # Manchester: the Mayor
    assert "pcc-abolition-2028" not in ids("E09000033")  # Westminster: MOPAC
    assert "pcc-abolition-2028" not in ids("E06000065")  # North Yorkshire: the Mayor since 2024
