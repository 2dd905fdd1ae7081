"""The atlas on another day (AppTest): the As of control, links with ``on=``, former areas.

Sources: The North Yorkshire (Structural Changes) Order 2022 (SI 2022/328); The Surrey
(Structural Changes) Order 2026 (West Surrey Council from 1 April 2027).
"""

from __future__ import annotations

from datetime import date

from tests.test_app_pages import map_args, open_page, published, search


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [m.value for m in at.info] + [m.value for m in at.warning]
    return "\n".join(str(p) for p in parts)


def _tables(at) -> str:
    """Every table on the page as text (dates' non-breaking spaces as spaces)."""
    return "\n".join(t.value.to_string() for t in at.table).replace("\u00a0", " ")


def _areas_drawn(at) -> set[str]:
    args = map_args(at)
    return {
        a["properties"]["code"]
        for a in published(args["geometry"])["objects"]["areas"]["geometries"]
    }


def test_a_link_to_a_day_in_2022_shows_harrogate_and_its_borough_council():
    at = open_page(service="council_tax", area="E07000165", on="2022-06-01")
    assert not at.exception
    assert at.date_input(key="as_of").value == date(2022, 6, 1)
    assert "LAD 2021" in _text(at)
    drawn = _areas_drawn(at)
    assert "E07000165" in drawn and "E06000065" not in drawn and len(drawn) == 374
    assert "Harrogate Borough Council" in _tables(at)
    assert "31 Mar 2023; then North Yorkshire Council" in _tables(at)


def test_todays_link_with_a_former_code_opens_its_successor_with_a_notice():
    at = open_page(service="council_tax", area="E07000165")
    assert not at.exception
    assert at.query_params["area"] == "E06000065"
    notices = [m.value for m in at.info]
    assert any("Harrogate Borough Council was abolished on 1 April 2023" in n for n in notices)


def test_changing_the_day_redraws_the_map_and_keeps_the_area_by_its_successor():
    at = open_page(service="council_tax", area="E07000217")  # Woking, today
    at.date_input(key="as_of").set_value(date(2027, 6, 1)).run()
    assert not at.exception
    assert at.query_params["on"] == "2027-06-01"
    assert at.query_params["area"] == "E06P27002"
    drawn = _areas_drawn(at)
    assert "E06P27002" in drawn and "E07000217" not in drawn and len(drawn) == 352
    assert "West Surrey Council" in _tables(at)


def test_searching_a_former_district_today_names_its_successor():
    at = search(open_page(service="council_tax"), "Harrogate")
    assert not at.exception
    assert at.query_params["area"] == "E06000065"
    said = [m.value.replace("\\", "") for m in at.info]
    assert any("the area is now North Yorkshire (E06000065)" in s for s in said)


def test_a_council_still_to_come_offers_the_areas_that_cover_it_until_then():
    at = search(open_page(service="council_tax"), "West Surrey")
    assert not at.exception
    said = [m.value.replace("\\", "") for m in at.info]
    assert any("West Surrey Council takes over on 1 April 2027" in m for m in said)
    labels = {b.label for b in at.button}
    assert {"Woking", "Guildford", "Waverley"} <= labels


def test_a_bad_day_in_a_link_is_named_and_today_used():
    at = open_page(service="police", on="[x](http://evil.example)")
    assert not at.exception
    warning = next(w.value for w in at.warning if "not a date" in w.value)
    assert "http://evil.example" not in warning.replace("\\", "") or "](" not in warning
    assert at.date_input(key="as_of").value == date.today()
    assert "on" not in at.query_params


def test_the_cards_json_carries_its_day_and_vintage():
    at = open_page(service="council_tax", area="E07000165", on="2022-06-01")
    citation = next(c.value for c in at.code if "Who runs what in Harrogate" in c.value)
    assert "LAD 2021" in citation and "1 June 2022" in citation and "on=2022-06-01" in citation


def test_changing_the_day_and_back_returns_to_the_area_the_reader_chose():
    at = open_page(service="council_tax", area="E07000217")  # Woking
    at.date_input(key="as_of").set_value(date(2027, 6, 1)).run()
    assert at.query_params["area"] == "E06P27002"
    at.date_input(key="as_of").set_value(date(2026, 6, 1)).run()
    assert not at.exception
    assert at.query_params["area"] == "E07000217"
    assert "Woking Borough Council" in _tables(at)


def test_an_area_of_a_later_day_offers_every_area_covering_it_then():
    """North Yorkshire (E06000065) in 2022: its seven districts, each a button."""
    at = open_page(service="council_tax", area="E06000065", on="2022-06-01")
    assert not at.exception
    said = " ".join(m.value.replace("\\", "") for m in at.info)
    assert "North Yorkshire Council takes over on 1 April 2023" in said
    assert "does not exist" not in said
    labels = {b.label for b in at.button}
    assert {"Craven", "Hambleton", "Harrogate", "Richmondshire", "Ryedale", "Scarborough",
            "Selby"} <= labels  # fmt: skip


def test_the_tables_downloads_are_built_for_the_day_in_view():
    """A download is built when pressed, outside the page's run: it must still be that day's."""
    import io

    import pandas as pd

    from dashboard import atlas
    from dashboard.ui import cache

    at = open_page(service="council_tax", on="2022-06-01")
    assert not at.exception
    build = cache.at_day  # the page binds each download to its day; here the same, by hand
    with cache.pinned(date(2022, 6, 1)):
        bound = build(lambda: cache.export_csv(atlas.View("service", "council_tax")))
    rows = pd.read_csv(io.BytesIO(bound()), dtype=str, encoding="utf-8-sig")
    assert set(rows["as_of"]) == {"2022-06-01"} and set(rows["vintage"]) == {"LAD 2021"}
    assert "E07000165" in set(rows["area_code"]) and len(rows) == 374
