"""Page wiring with Streamlit's AppTest (the map itself is checked in a real browser)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import scenarios
from tests.conftest import HOSTILE_NAME, ROOT

MAP_PAGE = str(ROOT / "dashboard" / "pages" / "uk_map.py")


@pytest.fixture(autouse=True)
def own_boundaries(monkeypatch, tmp_path):
    monkeypatch.delenv("CENTRIFUGE_BOUNDARIES", raising=False)
    monkeypatch.setenv("CENTRIFUGE_DB", str(tmp_path / "scenarios.db"))


def map_args(at: AppTest, which: int = 0) -> dict:
    """What the page sent the map component on its last run."""
    return json.loads(at.get("component_instance")[which].proto.json_args)


def published(url: str) -> dict:
    """A file the map fetches, read from where the app published it."""
    return json.loads((ROOT / "static" / url.split("app/static/", 1)[1]).read_text("utf-8"))


def search(at: AppTest, text: str) -> AppTest:
    at.text_input(key="search_text").input(text)
    at.button[0].click()
    return at.run(timeout=60)


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def painted(args: dict) -> tuple[list[str], dict[str, str]]:
    """The map's areas in drawing order, and the colour each is painted."""
    areas = published(args["geometry"])["objects"]["areas"]["geometries"]
    order = [a["properties"]["code"] for a in areas]
    keys, of = args["paint"]["keys"], args["paint"]["of"]
    return order, {c: keys[i][0] for c, i in zip(order, of, strict=True)}


def legend_of(at: AppTest) -> pd.DataFrame:
    """The map's key as a reader sees it: one row per holder, with its colour, number, name,
    areas and population (the key is an HTML table; every name in it escaped)."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.head, self.rows, self.cell, self.colour = [], [], None, ""

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""
            elif tag == "span" and "swatch" in (attrs.get("class") or ""):
                self.colour = attrs["style"].split(":", 1)[1]

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.rows[-1].append(self.colour or self.cell.strip())
                self.cell, self.colour = None, ""

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Rows()
    legends = [h for h in at.get("html") if 'class="legend"' in h.proto.body]
    parser.feed(legends[0].proto.body)
    head, *body = [r for r in parser.rows if r]
    table = pd.DataFrame(body, columns=["Colour", *head[1:]])
    return table.assign(Areas=table["Areas"].str.replace(",", "").astype(int))


def cards_shown(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader if s.value.startswith("Who runs what in")]


def test_the_atlas_colours_every_area_by_police_force_by_default():
    at = open_page()
    assert not at.exception
    args = map_args(at)
    areas = published(args["geometry"])["objects"]["areas"]["geometries"]
    assert len(areas) == 361
    paint = args["paint"]
    assert len(paint["of"]) == 361 and min(paint["of"]) >= 0  # every area coloured
    held = dict(zip((a["properties"]["code"] for a in areas), paint["of"], strict=True))
    assert paint["keys"][held["E09000033"]][1] == "Metropolitan Police Service"
    assert paint["keys"][held["W06000015"]][1] == "South Wales Police"
    assert len({label for _, label in paint["keys"]}) == 45
    # Geometry never travels in the arguments: a rerun sends a few kilobytes.
    assert len(at.get("component_instance")[0].proto.json_args) < 8_000
    legend = legend_of(at)
    assert len(legend) == 45
    assert legend["Holder"].iloc[0] == "Metropolitan Police Service"
    assert at.query_params["service"] == "police" and at.query_params["colour"] == "holder"
    assert cards_shown(at) == []


def test_searching_a_postcode_selects_its_area_and_puts_it_in_the_url():
    at = search(open_page(), "sw1a 1aa")
    assert not at.exception
    assert at.success[0].value == "SW1A 1AA is in Westminster (E09000033)."
    assert cards_shown(at) == ["Who runs what in Westminster"]
    assert at.query_params["area"] == "E09000033"
    assert at.table[0].value.loc["Police", "Holder"] == "Metropolitan Police Service"


def test_a_bad_postcode_gets_a_clear_error_and_keeps_the_view():
    at = search(open_page(), "SW1A 1CA")
    assert "not a valid UK postcode" in at.error[0].value
    assert cards_shown(at) == []


def test_a_shared_url_reopens_the_view_and_the_area():
    at = open_page(service="ambulance", colour="kind", area="S12000036")
    assert not at.exception
    assert at.selectbox(key="view_id").value == "ambulance"
    assert at.radio(key="colour_by").value == "kind"
    assert cards_shown(at) == ["Who runs what in City of Edinburgh"]
    # The Isle of Wight's ambulances are run by an NHS trust that is not an ambulance trust.
    assert set(legend_of(at)["Kind"]) == {"Ambulance", "NHS or HSC body"}


def test_switching_service_recolours_and_updates_the_url():
    at = open_page(area="E06000046")
    at.selectbox(key="view_id").select("ambulance").run()
    assert at.query_params["service"] == "ambulance"
    assert at.query_params["area"] == "E06000046"
    assert "Isle of Wight NHS Trust" in set(legend_of(at)["Holder"])
    assert len(legend_of(at)) == 14


def test_a_package_view_shows_combinations_of_holders():
    at = open_page(package="blue-light")
    assert at.selectbox(key="view_kind").value == "package"
    top = legend_of(at)["Holder"].iloc[0]
    assert top == (
        "Metropolitan Police Service + London Fire Commissioner + "
        "London Ambulance Service NHS Trust"
    )


def test_picking_a_package_or_a_family_under_show_opens_its_first_choice():
    at = open_page()
    at.selectbox(key="view_kind").select("package").run()
    assert not at.warning and not at.exception
    assert at.selectbox(key="view_id").value == "blue-light"
    assert at.query_params["package"] == "blue-light" and "service" not in at.query_params
    at.selectbox(key="view_kind").select("family").run()
    assert not at.warning
    assert at.selectbox(key="view_id").value == "benefits"
    assert legend_of(at)["Holder"].str.contains(r" \+ ").all()


def test_colouring_by_kind_heads_the_legend_kind_and_counts_in_good_english():
    at = open_page(service="police", colour="kind")
    legend = legend_of(at)
    assert list(legend.columns[:3]) == ["Colour", "No.", "Kind"]
    assert legend["Kind"].tolist() == ["Police"]
    assert any(c.value.startswith("1 kind of holder across 361 areas") for c in at.caption)
    at = open_page(service="ambulance")
    assert any(c.value.startswith("14 holders across 361 areas") for c in at.caption)


def test_outlines_are_drawn_as_extra_layers_only_when_asked():
    # Holders' own borders always: the non-colour cue that tells holders apart.
    [borders] = map_args(open_page())["outlines"]
    assert borders["name"] == "Holders' borders"
    assert len(published(borders["url"])["objects"]["outlines"]["geometries"]) == 45
    outlined = map_args(open_page(outlines="police,country"))["outlines"]
    assert [o["name"] for o in outlined] == ["Holders' borders", "Police force areas", "Nations"]
    nations = published(outlined[2]["url"])["objects"]["outlines"]["geometries"]
    assert len(nations) == 4
    assert {n["type"] for n in nations} <= {"LineString", "MultiLineString"}


def test_clicking_an_area_opens_its_card_without_moving_the_map():
    at = open_page()
    before = map_args(at)["focus"]
    at.session_state["uk_map"] = {"event": "click", "code": "W06000015", "nonce": "a1"}
    at.run()
    assert cards_shown(at) == ["Who runs what in Cardiff"]
    assert at.query_params["area"] == "W06000015"
    assert map_args(at)["selected"] == "W06000015"
    assert map_args(at)["focus"] == before  # the user's view is kept


def test_searching_moves_the_map_to_the_area_once():
    at = search(open_page(), "CF10 1EP")
    focus = map_args(at)["focus"]
    assert focus["codes"] == ["W06000015"]
    at.run()
    assert map_args(at)["focus"] == focus  # the same request: the map does not jump back
    at = search(at, "LS1 1UR")
    assert map_args(at)["focus"]["codes"] == ["E08000035"]


def test_an_unknown_view_in_the_url_falls_back_with_a_warning():
    at = open_page(service="<b>parking</b>")
    assert "showing police instead" in at.warning[0].value
    assert at.selectbox(key="view_id").value == "police"


def test_an_unknown_area_in_the_url_is_explained():
    at = open_page(area="<script>")
    assert "not an area in the boundaries in use" in at.warning[0].value
    assert cards_shown(at) == []


def test_hostile_area_names_reach_the_map_only_as_data(hostile_file, monkeypatch):
    monkeypatch.setenv("CENTRIFUGE_BOUNDARIES", str(hostile_file))
    at = AppTest.from_file(MAP_PAGE, default_timeout=60).run()
    assert not at.exception
    areas = published(map_args(at)["geometry"])["objects"]["areas"]["geometries"]
    # The name is kept exactly, as a JSON string; the map shows it with textContent (the
    # browser test checks that nothing in it runs).
    assert HOSTILE_NAME in {a["properties"]["name"] for a in areas}


def test_the_about_page_gives_the_required_attributions():
    at = AppTest.from_file(str(ROOT / "dashboard" / "pages" / "about.py")).run()
    text = at.markdown[0].value
    assert "Office for National Statistics licensed under the Open Government Licence" in text
    assert "Royal Mail" in text and "GeoPlace" in text and "LPS" in text


def test_an_area_shows_who_runs_each_service_with_its_source():
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["area"] = "N09000003"
    at.run()
    assert cards_shown(at) == ["Who runs what in Belfast"]
    holders = at.table[0].value
    assert holders.loc["Council tax", "Holder"] == "Land & Property Services"
    assert holders.loc["Adult social care", "Holder"] == "Belfast Health and Social Care Trust"
    assert holders.loc["Housing benefit", "Since"] == "unknown"
    sources = next(m.value for m in at.markdown if m.value.startswith("1. **Council tax**"))
    shown = re.sub(r"\\(.)", r"\1", sources)  # what the reader sees: escapes removed
    # The holder links to its page, the Order to legislation.gov.uk.
    assert shown.startswith(
        "1. **Council tax**, [Land & Property Services]"
        "(organisations?org=land-and-property-services): "
        "[Rates (Northern Ireland) Order 1977](https://www.legislation.gov.uk/nisi/1977/2157)"
    )
    assert "no council tax" in shown.splitlines()[0]
    assert "8. **Children's social care**" in shown
    facts = next(m.value for m in at.markdown if m.value.startswith("**Code** N09000003"))
    assert "**Population** unknown" in facts  # no NISRA figure is packaged


def test_an_english_area_card_gives_its_population_with_its_vintage():
    at = open_page(area="E06000001")
    facts = next(m.value for m in at.markdown if m.value.startswith("**Code** E06000001"))
    assert "**Population** 95,366 (ONS, mid-2023)" in facts


def test_a_broken_data_folder_is_reported_and_no_holdings_are_shown(tmp_path, monkeypatch):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "franchises", folder)
    (folder / "organisations.csv").write_bytes("id,name,kind\nx,Café,police\n".encode("latin-1"))
    monkeypatch.setenv("CENTRIFUGE_DATA", str(folder))
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["area"] = "E09000033"
    at.run()
    assert not at.exception
    assert "problem(s), so no holdings are shown" in at.error[0].value
    assert "organisations.csv:2: is not UTF-8 text" in at.code[0].value
    assert len(at.table) == 0


def test_the_organisation_page_shows_a_footprint_and_totals():
    at = AppTest.from_file(
        str(ROOT / "dashboard" / "pages" / "organisation.py"), default_timeout=60
    )
    at.query_params["org"] = "police-kent"
    at.run()
    assert not at.exception
    assert at.selectbox(key="organisation").value == "police-kent"
    assert [m.value for m in at.metric][:3] == ["13", "1", "13"]
    # Kent, Medway and 11 more districts: every one has an ONS figure, so the sum is whole.
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", at.metric[3].value)
    assert at.metric[3].label == "Residents"
    listing = at.dataframe[0].value
    assert set(listing["Area"]) >= {"Medway", "Canterbury"}
    assert at.query_params["org"] == "police-kent"


SIMULATOR = str(ROOT / "dashboard" / "pages" / "simulator.py")


def test_the_simulator_runs_two_settings_and_shows_the_chosen_year():
    at = AppTest.from_file(SIMULATOR, default_timeout=120).run()
    assert not at.exception
    assert "Fire up the centrifuge" in at.info[0].value
    terms = [s.key for s in at.slider if s.label == "Term (years)"]
    assert terms == ["a_term"]  # Setting B appears only when asked for
    at.toggle(key="sim_compare").set_value(True).run()
    assert at.slider(key="b_term").value == 10
    at.number_input[-1].set_value(2)  # runs
    at.button[0].click().run()
    assert not at.exception
    shown = [m.value for m in at.markdown if m.value.startswith("**Setting") and " in " in m.value]
    assert len(shown) == 2
    assert shown[0].startswith("**Setting A** (term 3, tolerance 0.2) in 2056")
    assert shown[1].startswith("**Setting B** (term 10, tolerance 0.2) in 2056")
    # One truth: the headline is the median of the runs, with its band, as the CLI gives it.
    from dashboard import simulation as sim

    expected = sim.simulate(
        sim.Settings(years=30, term=3), sim.market_for(sim.Settings()), seed=1, runs=2
    )[-1]
    assert f"incumbents hold {expected['incumbent_share']:.0%} of area-services" in shown[0]
    assert "Medians of 2 runs; 10–90% band" in shown[0]
    examples = [c.value for c in at.caption if c.value.startswith("The map shows one example")]
    assert len(examples) == 2 and "closest to the median" in examples[0]
    at.select_slider(key="sim_year").set_value(2026).run()
    shown = [m.value for m in at.markdown if m.value.startswith("**Setting") and " in " in m.value]
    assert "in 2026: incumbents hold 100% of area-services (100% weighted by residents" in shown[0]
    assert len(at.get("arrow_vega_lite_chart")) == 10 or len(at.get("vega_lite_chart")) == 10


def test_a_simulator_link_with_bad_settings_names_them_and_runs_nothing():
    at = AppTest.from_file(SIMULATOR, default_timeout=120)
    at.query_params["term"] = "[x](http://evil.example)"
    at.query_params["failure_tolerance"] = "7"
    at.query_params["runs"] = "2"
    at.run()
    assert not at.exception
    warnings = [literal(w.value) for w in at.warning]
    assert any("term: term must be a number" in w for w in warnings)
    assert any("failure_tolerance must be between 0 and 1" in w for w in warnings)
    assert not any("evil.example" in w for w in warnings)  # the hostile value is not shown
    assert "Fire up the centrifuge" in at.info[0].value  # nothing ran


def test_a_simulator_link_reopens_and_reruns_its_settings():
    at = AppTest.from_file(SIMULATOR, default_timeout=120)
    at.query_params.update({"term": "4", "failure_tolerance": "0.1", "runs": "2", "seed": "7"})
    at.run()
    assert not at.exception
    assert at.slider(key="a_term").value == 4
    assert at.slider(key="a_tolerance").value == 0.1
    shown = [m.value for m in at.markdown if m.value.startswith("**Setting A** (")]
    assert shown and shown[0].startswith("**Setting A** (term 4, tolerance 0.1) in 2056")


def test_a_history_preset_sets_its_settings_and_sets_the_model_beside_the_history():
    at = AppTest.from_file(SIMULATOR, default_timeout=180).run()
    at.selectbox(key="sim_preset").select("s1_cct").run()
    assert not at.exception
    assert at.slider(key="s1_cct_a_term").value == 4
    assert at.slider(key="s1_cct_a_price").value == 0.8
    assert at.radio(key="s1_cct_a_spec").value == "input"
    at.number_input[-1].set_value(3)  # runs
    at.button[0].click().run()
    assert not at.exception
    verdict = [m.value for m in at.markdown if "of the history's figures reproduced" in m.value]
    assert verdict and verdict[0].startswith("**Setting A**: ")
    headline = [m.value for m in at.markdown if m.value.startswith("**Setting A** (")]
    assert headline[0].startswith("**Setting A** (term 4, tolerance 0.3) in 2034")  # 8 years
    assert at.query_params["preset"] == ["s1_cct"] or at.query_params["preset"] == "s1_cct"


def test_a_sweep_draws_the_phase_diagram_and_refuses_bad_values():
    at = AppTest.from_file(SIMULATOR, default_timeout=180)
    at.query_params.update({"preset": "s1_cct", "runs": "1"})
    at.run()
    at.text_input(key="sweep_first_values").set_value("2,x")
    at.button(key="FormSubmitter:sweep-Run the sweep").click().run()
    assert any("term: 'x' is not a number" in literal(e.value) for e in at.error)
    at.text_input(key="sweep_first_values").set_value("2,6")
    at.text_input(key="sweep_second_values").set_value("0.05,0.3")
    at.number_input(key="sweep_runs").set_value(1)
    at.button(key="FormSubmitter:sweep-Run the sweep").click().run()
    assert not at.exception and not at.error
    table = at.session_state["sim_sweep"]["table"]
    assert set(zip(table["term"], table["failure_tolerance"], strict=True)) == {
        (2, 0.05), (2, 0.3), (6, 0.05), (6, 0.3)
    }  # fmt: skip
    assert at.selectbox(key="sweep_year").value == 2034  # the last year of an 8-year run


def test_a_settings_file_loads_into_the_form_and_a_bad_one_is_named():
    at = AppTest.from_file(SIMULATOR, default_timeout=180).run()
    at.file_uploader(key="sim_settings_file").upload(
        "mine.toml", b"[market]\nterm = 6\nfailure_tolerance = 0.15\n"
    ).run()
    assert not at.exception
    assert at.slider(key="v1_a_term").value == 6
    assert at.slider(key="v1_a_tolerance").value == 0.15
    at.file_uploader(key="sim_settings_file").upload("bad.toml", b"[market]\nterms = 6\n").run()
    assert any("unknown setting 'terms'" in literal(e.value) for e in at.error)
    assert at.slider(key="v1_a_term").value == 6  # nothing already set is lost


STUDIO = str(ROOT / "dashboard" / "pages" / "studio.py")


def literal(markdown: str) -> str:
    """What the reader sees of markdown whose data was escaped: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture
def studio(tmp_path, monkeypatch):
    monkeypatch.setenv("CENTRIFUGE_DB", str(tmp_path / "scenarios.db"))
    return AppTest.from_file(STUDIO, default_timeout=120).run()


def test_the_studio_builds_a_lot_from_a_whole_nation_and_checks_its_rules(studio):
    at = studio
    assert not at.exception
    group_kind = next(s for s in at.selectbox if s.label == "Add a whole group")
    group_kind.select("country").run()
    next(s for s in at.selectbox if s.label == "Which").select("Wales").run()
    next(b for b in at.button if b.label == "Add to Lot 1").click().run()
    assert not at.exception
    lots_table = at.dataframe[0].value.set_index("Lot")
    assert lots_table.loc["Lot 1", "Areas"] == 22
    assert bool(lots_table.loc["Lot 1", "Contiguous"]) is True
    assert lots_table.loc["Lot 1", "Police areas"] == 4
    assert lots_table.loc["Lot 1", "Population"] == "3,164,404"  # ONS mid-2023, Wales
    assert "339 of 361 areas are in no lot" in at.warning[0].value


def test_the_studio_saves_a_new_scenario_then_new_versions_of_it(studio):
    at = studio
    next(s for s in at.selectbox if s.label == "Add a whole group").select("country").run()
    next(s for s in at.selectbox if s.label == "Which").select("Scotland").run()
    next(b for b in at.button if b.label == "Add to Lot 1").click().run()
    next(t for t in at.text_input if t.label == "Scenario name").input("Scottish blue light")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    assert "Saved 'Scottish blue light' as version 1." in literal(at.info[0].value)
    # The private edit link is shown once, with the short share link beside it.
    ident = at.session_state["studio_scenario_id"]
    codes = [c.value for c in at.code]
    assert any(f"?s={ident}&key=" in c for c in codes) and f"studio?s={ident}" in codes
    next(b for b in at.button if b.label == "Save").click().run()
    assert "as version 2" in literal(at.info[0].value)
    [entry] = scenarios.Store().entries()
    assert (entry.name, entry.version, entry.id) == ("Scottish blue light", 2, ident)
    picked = next(s for s in at.selectbox if s.label == "Saved scenarios")
    assert "Scottish blue light · yours · version 2" in picked.format_func(picked.value)


def test_a_click_on_the_map_puts_an_area_in_the_active_lot_and_a_rerun_does_not_undo_it(studio):
    studio.session_state["studio_map"] = {"event": "click", "code": "E06000046", "nonce": "n1"}
    studio.run()
    assert studio.dataframe[0].value.set_index("Lot").loc["Lot 1", "Areas"] == 1
    studio.run()  # the same click, seen again: acted on once only
    assert studio.dataframe[0].value.set_index("Lot").loc["Lot 1", "Areas"] == 1


def test_a_shape_drawn_on_the_studio_map_adds_the_areas_it_mostly_covers(studio):
    # A box around the Isle of Wight (longitude, latitude).
    box = [[-1.6, 50.55], [-1.05, 50.55], [-1.05, 50.8], [-1.6, 50.8], [-1.6, 50.55]]
    studio.session_state["studio_map"] = {
        "event": "draw",
        "geometry": {"type": "Polygon", "coordinates": [box]},
        "nonce": "d1",
    }
    studio.run()
    assert "Added the 1 area the shape mostly covers to Lot 1." in literal(studio.info[0].value)
    assert studio.dataframe[0].value.set_index("Lot").loc["Lot 1", "Areas"] == 1


def test_a_bad_lot_file_is_reported_by_line_and_changes_nothing(studio):
    at = studio
    bad = b"area_code,lot\nE06000046,Island\nE0600XXXX,Island\nE06000046,Other\n"
    at.file_uploader[0].upload("lots.csv", bad, "text/csv").run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert "lots.csv was not imported; nothing was changed." in literal(at.error[0].value)
    report = at.code[-1].value
    assert "line 3: E0600XXXX is not a known LAD code" in report
    assert "line 4: E06000046 is already in lot 'Island' (line 2)" in report
    assert at.dataframe[0].value.set_index("Lot").loc["Lot 1", "Areas"] == 0


def test_one_blue_light_lot_per_police_force_area_in_one_step(studio):
    at = studio
    next(s for s in at.selectbox if s.label == "Group").select("police").run()
    next(b for b in at.button if b.label == "Make the lots").click().run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Lot")
    assert len(table) == 45 and table["Areas"].sum() == 361
    assert table.loc["Kent Police", "Police areas"] == 1
    assert table.loc["Kent Police", "Fire areas"] == 1
    assert not [w for w in at.warning if "in no lot" in w.value]
    # Wirral reaches Liverpool through the Mersey tunnels: Merseyside is one piece.
    assert bool(table.loc["Merseyside Police", "Contiguous"]) is True


def test_one_lot_per_county_or_unitary_authority_picks_from_a_box(studio):
    at = studio
    next(s for s in at.selectbox if s.label == "Group").select("upper_tier").run()
    next(b for b in at.button if b.label == "Make the lots").click().run()
    assert not at.exception and not at.info
    table = at.dataframe[0].value.set_index("Lot")
    assert len(table) == 218 and table["Areas"].sum() == 361
    assert table.loc["Kent", "Areas"] == 12 and table.loc["Kent", "Upper tiers"] == 1
    assert table.loc["Glasgow City", "Population"] == "unknown"
    # 218 lots are too many for radio buttons: the active lot is picked from a select box.
    assert not [r for r in at.radio if r.label.startswith("Active lot")]
    picker = next(s for s in at.selectbox if s.label.startswith("Active lot"))
    assert picker.value == "Aberdeen City"


def test_the_atlas_colours_by_band_d_on_a_sequential_scale_with_the_nations_explained():
    at = open_page(colour="band_d", area="E07000110")
    assert not at.exception
    legend = legend_of(at)
    assert legend["Band D"].tolist()[0] == "under £1,300"
    assert legend["Band D"].tolist()[-1].startswith("Unknown: no council tax")
    assert legend.loc[legend["Band D"].str.startswith("Unknown"), "Areas"].item() == 11  # NI
    paint = map_args(at)["paint"]
    assert [c for c, _ in paint["keys"]] != [] and "#fde725" in {c for c, _ in paint["keys"]}
    assert any("Scotland: the council's alone" in c.value for c in at.caption)
    twin = at.dataframe[0].value
    assert twin.loc[twin["Code"] == "E07000110", "Band D 2026-27 (£)"].iloc[0] == "2,502.59"
    assert set(twin.loc[twin["Country"] == "Northern Ireland", "Band D 2026-27 (£)"]) == {"unknown"}
    card = [m.value for m in at.markdown if m.value.startswith("Your council tax")]
    assert card and "Band D £2,502.59 (2026-27), up 4.1% on 2025-26" in literal(card[0])


def test_the_atlas_colours_by_the_change_in_band_d():
    at = open_page(colour="band_d_change")
    legend = legend_of(at)
    assert legend["Change"].tolist()[:2] == ["under 3%", "3% to under 4%"]
    assert legend["Areas"].sum() == 361


def test_a_lot_named_like_a_link_is_shown_as_text_in_the_picker_and_buttons(studio):
    at = studio
    phishing = "[Sign in to view this lot](http://evil.example)"
    next(t for t in at.text_input if t.label == "New lot").input(phishing)
    next(b for b in at.button if b.label == "Add lot").click().run()
    picker = next(r for r in at.radio if r.label.startswith("Active lot"))
    shown = [o for o in picker.options if "Sign in" in o]
    assert shown and shown[0].startswith("\\[Sign in to view this lot\\]\\(http\u2060\\:")
    # The reader sees the name (a word joiner, invisible, keeps the URL from linking).
    assert literal(shown[0]).replace("\u2060", "").startswith(phishing)
    labels = [b.label for b in at.button if "Sign in" in b.label]
    assert labels and all("\\[Sign in" in label for label in labels)


def test_comparing_with_a_saved_scenario_counts_it_with_its_own_package(studio):
    at = studio
    next(s for s in at.selectbox if s.label == "Add a whole group").select("region").run()
    next(s for s in at.selectbox if s.label == "Which").select("East Midlands").run()
    next(b for b in at.button if b.label == "Add to Lot 1").click().run()
    blue_light = at.dataframe[0].value.set_index("Lot").loc["Lot 1", "Holders replaced"]
    next(t for t in at.text_input if t.label == "Scenario name").input("EM blue light")
    next(b for b in at.button if b.label == "Save").click().run()
    at.selectbox(key="studio_package").select("social-care").run()
    social_care = at.dataframe[0].value.set_index("Lot").loc["Lot 1", "Holders replaced"]
    assert social_care != blue_light
    next(t for t in at.text_input if t.label == "Scenario name").input("EM social care")
    next(b for b in at.button if b.label == "Save as new").click().run()
    compare = next(s for s in at.selectbox if s.label == "Compare this scenario with")
    compare.select((scenarios.Store().find("EM blue light"), 0)).run()
    assert not at.exception
    theirs = at.dataframe[-1].value.set_index("lot")
    assert theirs.loc["Lot 1", "holders_replaced"] == blue_light
    # An earlier version of the open scenario can be compared too.
    at.selectbox(key="studio_package").select("blue-light").run()
    next(b for b in at.button if b.label == "Save").click().run()  # EM social care, version 2
    compare = next(s for s in at.selectbox if s.label == "Compare this scenario with")
    here = at.session_state["studio_scenario_id"]
    assert compare.format_func((here, 1)).startswith("Version 1 of this scenario, saved ")
    compare.select((here, 1)).run()
    assert "EM social care' version 1" in literal(at.markdown[-3].value) or any(
        "version 1" in literal(m.value) for m in at.markdown
    )
    theirs = at.dataframe[-1].value.set_index("lot")
    assert theirs.loc["Lot 1", "holders_replaced"] == social_care


def _save_as(at, name: str, button: str = "Save as new"):
    next(t for t in at.text_input if t.label == "Scenario name").input(name)
    return next(b for b in at.button if b.label == button).click().run()


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _versions() -> dict[str, int]:
    return {e.name: e.version for e in scenarios.Store().entries()}


def test_save_updates_the_open_scenario_and_save_as_new_never_touches_it(studio):
    at = _save_as(studio, "Plan A")
    at = _save_as(at, "Plan B")  # a new scenario; Plan A is left as it was
    assert _versions() == {"Plan A": 1, "Plan B": 1}
    at = _save_as(at, "Plan B", "Save")  # the open one, Plan B, gets a version
    assert _versions() == {"Plan A": 1, "Plan B": 2}
    at = _save_as(at, "Plan B")  # "Save as new" under the open name: refused, nothing written
    assert any("Type a new name for the new scenario" in e.value for e in at.error)
    assert _versions() == {"Plan A": 1, "Plan B": 2}


def test_saving_over_another_of_your_scenarios_asks_first(studio):
    at = _save_as(studio, "Plan A")
    at = _save_as(at, "Plan B")
    at = _save_as(at, "Plan A")  # another scenario's name: asked, not overwritten
    assert any("You already have a scenario called Plan A" in literal(w.value) for w in at.warning)
    assert _versions()["Plan A"] == 1
    _button(at, "Cancel").click().run()
    assert not [w for w in at.warning if "already have" in w.value]
    at = _save_as(at, "Plan A")
    _button(at, "Overwrite Plan A").click().run()
    assert _versions() == {"Plan A": 2, "Plan B": 1}
    assert at.session_state["studio_name"] == "Plan A"  # Save now updates Plan A


def test_delete_asks_first_and_the_trash_gives_it_back(studio):
    at = _save_as(studio, "Plan A")
    at = _save_as(at, "Plan B")
    next(s for s in at.selectbox if s.label == "Saved scenarios").select(
        scenarios.Store().find("Plan B")
    ).run()
    _button(at, "Delete").click().run()
    assert any("Move Plan B to the trash?" in literal(w.value) for w in at.warning)
    _button(at, "Keep it").click().run()
    assert "Plan B" in _versions()
    _button(at, "Delete").click().run()
    _button(at, "Yes, move Plan B to the trash").click().run()
    assert "Plan B" not in _versions()
    assert "Moved 'Plan B' to the trash" in literal(at.info[0].value)
    assert at.session_state["studio_scenario_id"] == ""  # the lots on screen stay, unsaved
    assert any(e.label == "Trash (1)" for e in at.expander)
    _button(at, "Restore").click().run()
    assert "Restored 'Plan B' from the trash." in literal(at.info[0].value)
    assert _versions() == {"Plan A": 1, "Plan B": 1}
    assert not any("scenarios.db" in c.value for c in at.caption)  # no server paths


def _someone_elses(name="Their plan"):
    from dashboard.lots import Assignment

    lots = Assignment().add_lot("North").assign(["E06000001", "E06000002"], "North")
    return scenarios.Store().create(scenarios.Scenario(name, "blue-light", lots))


def test_a_share_link_opens_read_only_and_a_copy_is_your_own():
    made, _ = _someone_elses()
    at = AppTest.from_file(STUDIO, default_timeout=120)
    at.query_params["s"] = made.id
    at.run()
    assert "Opened the shared scenario 'Their plan' (version 1)." in literal(at.info[0].value)
    assert _button(at, "Save").disabled and _button(at, "Rename").disabled
    assert _button(at, "Delete").disabled
    assert any("is read-only here" in literal(c.value) for c in at.caption)
    picked = next(s for s in at.selectbox if s.label == "Saved scenarios")
    assert "Their plan · opened by link" in picked.format_func(picked.value)
    at = _save_as(at, "My plan")
    mine = scenarios.Store().load(scenarios.Store().find("My plan"))
    assert mine.assignment.lots == made.assignment.lots
    assert scenarios.Store().load(made.id).version == 1  # theirs untouched
    assert not _button(at, "Save").disabled  # the copy is yours


def test_an_edit_link_gives_this_browser_the_key_and_leaves_the_address_bar():
    made, key = _someone_elses()
    at = AppTest.from_file(STUDIO, default_timeout=120)
    at.query_params["s"] = made.id
    at.query_params["key"] = key
    at.run()
    assert "Opened 'Their plan' with its edit link" in literal(at.info[0].value)
    assert "key" not in at.query_params and at.query_params["s"] == made.id
    assert not _button(at, "Save").disabled
    _button(at, "Save").click().run()
    assert scenarios.Store().load(made.id).version == 2
    wrong = AppTest.from_file(STUDIO, default_timeout=120)
    wrong.query_params["s"] = made.id
    wrong.query_params["key"] = "not-the-key-at-all-000000000000"
    wrong.run()
    assert "is not the key of 'Their plan'; it is open read-only" in literal(wrong.info[0].value)
    assert _button(wrong, "Save").disabled


@pytest.mark.parametrize("ident", ["<script>alert(1)</script>", "x" * 300, "nope"])
def test_a_damaged_or_unknown_share_link_is_explained(ident):
    at = AppTest.from_file(STUDIO, default_timeout=120)
    at.query_params["s"] = ident
    at.run()
    assert not at.exception
    shown = literal(at.info[0].value)
    assert "The shared scenario could not be opened" in shown
    assert "damaged" in shown or "no saved scenario with that link" in shown


def test_postgresql_restarted_while_the_studio_runs_is_reported_and_no_save_is_lost(
    monkeypatch, postgres
):
    monkeypatch.setenv("CENTRIFUGE_DB", postgres.database("studio_restart"))
    at = AppTest.from_file(STUDIO, default_timeout=120).run()
    at = _save_as(at, "Kept", "Save")
    next(s for s in at.selectbox if s.label == "Add a whole group").select("country").run()
    next(s for s in at.selectbox if s.label == "Which").select("Wales").run()
    _button(at, "Add to Lot 1").click().run()
    postgres.stop()
    try:
        _button(at, "Save").click().run()
        assert not at.exception
        assert any("not answering; nothing was saved" in literal(e.value) for e in at.error)
        assert len(at.session_state["studio_state"].lots) == 22  # the work is still here
    finally:
        postgres.start()
    _button(at, "Save").click().run()
    assert "Saved 'Kept' as version 2." in literal(at.info[0].value)
    store = scenarios.Store()
    assert len(store.load(store.find("Kept")).assignment.lots) == 22


def test_an_earlier_version_can_be_restored_as_the_newest(studio):
    at = _save_as(studio, "Growing")
    next(s for s in at.selectbox if s.label == "Add a whole group").select("country").run()
    next(s for s in at.selectbox if s.label == "Which").select("Wales").run()
    _button(at, "Add to Lot 1").click().run()
    _button(at, "Save").click().run()  # version 2: Wales in Lot 1
    store = scenarios.Store()
    ident = store.find("Growing")
    assert len(store.load(ident).assignment.lots) == 22
    next(s for s in at.selectbox if s.label == "A version").select(1).run()
    _button(at, "Restore this version").click().run()
    assert "Restored version 1 of 'Growing' as version 3." in literal(at.info[0].value)
    restored = store.load(ident)
    assert restored.version == 3 and len(restored.assignment.lots) == 0
    assert len(store.load(ident, 2).assignment.lots) == 22  # nothing lost


def test_the_simulator_offers_only_this_browsers_scenarios():
    mine, key = _someone_elses("Mine")
    linked, _ = _someone_elses("Opened by link")
    _someone_elses("A stranger's")  # neither made nor opened here: never listed
    at = AppTest.from_file(SIMULATOR, default_timeout=120)
    at.session_state["keyring_held"] = {"keys": {mine.id: key}, "links": [linked.id]}
    at.run()
    box = next(s for s in at.selectbox if s.label == "What is tendered")
    shown = sorted(box.options)  # as the reader sees them
    assert shown == [
        "Every area × service",
        "Studio scenario: Mine",
        "Studio scenario: Opened by link",
    ]


def test_focus_on_a_region_limits_the_legend_and_frames_the_map():
    at = open_page(service="adult_social_care", focus="region:north west")
    assert not at.exception and not at.warning
    assert at.selectbox(key="focus_name").value == "North West"
    assert at.query_params["focus"] == "region:North West"
    from dashboard import areas, focus, holdings

    grouped = focus.groups(holdings.load(), areas.area_table())
    members = set(focus.members(grouped, "region", "North West"))
    legend = legend_of(at)
    assert legend["Areas"].sum() == len(members) == 35  # after Cumbria's six districts became two
    assert "Cumberland Council" in set(legend["Holder"]) and "Kent County Council" not in set(
        legend["Holder"]
    )
    args = map_args(at)
    assert set(args["focus"]["codes"]) == members
    order, colour = painted(args)
    assert {colour[c] for c in set(order) - members} == {"#e4e4e4"}  # outside the focus: dimmed
    assert "#e4e4e4" not in {colour[c] for c in members}
    assert any(c.value.startswith(f"{len(legend)} holders across 35 areas") for c in at.caption)


def test_highlighting_a_holder_dims_every_other_and_lives_in_the_url():
    at = open_page(service="police")
    at.selectbox(key="highlight").select("police-kent").run()
    assert at.query_params["highlight"] == "police-kent"
    args = map_args(at)
    order, colour = painted(args)
    kent = {"E06000035", "E07000105", "E07000110", "E07000116"} & set(order)
    assert kent and all(colour[c] != "#e4e4e4" for c in kent)
    assert sum(1 for c in order if colour[c] != "#e4e4e4") == 13  # Kent's 13 areas, nothing else


def test_a_focus_in_a_link_that_names_nothing_is_explained():
    at = open_page(service="police", focus="region:Atlantis")
    assert not at.exception
    assert any("There is no region called 'Atlantis'" in literal(w.value) for w in at.warning)


def test_the_card_can_be_cited_and_downloaded_and_says_what_it_records():
    at = open_page(area="E08000035")  # Leeds
    assert cards_shown(at) == ["Who runs what in Leeds"]
    citation = next(c.value for c in at.code if c.value.startswith("Who runs what in Leeds"))
    assert "(E08000035, LAD 2025), as of " in citation
    assert "Police: West Yorkshire Police" in citation
    assert "Centrifuge " in citation and citation.endswith("?service=police&area=E08000035")
    labels = [b.label for b in at.get("download_button")]
    assert {"Download this card (CSV)", "Download this card (JSON)"} <= set(labels)
    assert any("legally responsible" in c.value for c in at.caption)
    holders = at.table[0].value
    assert all("\u00a0" in d or d in ("unknown", "no end date") for d in holders["Since"])
    sources = next(m.value for m in at.markdown if m.value.startswith("1. **"))
    # Linked titles keep the words around them: "... 1989](…) and [Children Act 2004](…)".
    assert "(https://www.legislation.gov.uk/ukpga/1989/41) and [Children Act 2004]" in sources


def test_searching_a_place_focuses_on_it_and_a_former_county_names_its_successors():
    at = search(open_page(service="police"), "North West")
    assert not at.exception
    assert at.selectbox(key="focus_kind").value == "region"
    assert at.selectbox(key="focus_name").value == "North West"
    assert any("North West: 35 areas" in literal(i.value) for i in at.info)
    assert legend_of(at)["Areas"].sum() == 35
    at = search(at, "Cumbria")
    shown = " ".join(literal(i.value) for i in at.info)
    assert "Cumbria County Council was abolished on 1 April 2023" in shown
    assert map_args(at)["focus"]["codes"] == ["E06000063", "E06000064"]


def test_a_suggestion_is_a_button_that_searches_it():
    at = search(open_page(), "Cumbri")
    said = "No area or place is called 'Cumbri'; did you mean"
    assert any(said in literal(e.value) for e in at.error)
    button = next(b for b in at.button if literal(b.label) == "Cumberland")
    button.click().run()
    assert cards_shown(at) == ["Who runs what in Cumberland"]


def test_searching_a_town_opens_the_card_of_the_area_it_is_in():
    at = search(open_page(), "Bognor Regis")
    assert cards_shown(at) == ["Who runs what in Arun"]
    assert any("Bognor Regis is in Arun (E07000224)" in literal(s.value) for s in at.success)


def test_a_highlight_the_view_has_not_got_is_dropped_and_never_greys_the_whole_map():
    at = open_page(service="police")
    at.selectbox(key="highlight").select("police-kent").run()
    at.selectbox(key="view_id").select("ambulance").run()
    assert at.session_state["highlight"] == "" and "highlight" not in at.query_params
    _, colour = painted(map_args(at))
    assert len(set(colour.values()) - {"#e4e4e4"}) > 1  # in colour again
    for link in ({"highlight": "police-nosuch"}, {"colour": "band_d", "highlight": "police-kent"}):
        at = open_page(service="police", **link)
        assert any("Nothing called police" in literal(w.value) for w in at.warning)
        _, colour = painted(map_args(at))
        assert len(set(colour.values()) - {"#e4e4e4"}) > 1


def test_coming_back_to_the_atlas_finds_the_view_as_it_was():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in {
        "service": "fire",
        "colour": "kind",
        "focus": "region:North West",
        "area": "E06000063",
    }.items():
        at.query_params[key] = value
    at.run()
    assert at.selectbox(key="focus_name").value == "North West"
    at.switch_page("dashboard/pages/studio.py").run()  # another page: the address loses the view
    for param in list(at.query_params):
        del at.query_params[param]
    at.switch_page("dashboard/pages/uk_map.py").run()
    assert not at.exception
    assert at.selectbox(key="view_id").value == "fire"
    assert at.radio(key="colour_by").value == "kind"
    assert at.selectbox(key="focus_name").value == "North West"
    assert cards_shown(at) == ["Who runs what in Cumberland"]
    assert at.query_params["focus"] == "region:North West"
    assert at.query_params["area"] == "E06000063"


def test_searching_an_area_outside_the_focus_leaves_the_focus():
    at = open_page(service="police", focus="region:North West")
    at = search(at, "Maidstone")
    assert at.selectbox(key="focus_kind").value == ""
    assert cards_shown(at) == ["Who runs what in Maidstone"]
    assert "#e4e4e4" not in set(painted(map_args(at))[1].values())


def test_the_list_and_the_address_follow_the_open_scenario(studio):
    at = _save_as(studio, "First")
    at = _save_as(at, "Second")
    second = scenarios.Store().find("Second")
    assert next(s for s in at.selectbox if s.label == "Saved scenarios").value == second
    assert at.query_params["s"] == second  # a reload reopens it
    next(t for t in at.text_input if t.label == "New name (rename or duplicate)").input("Third")
    _button(at, "Duplicate").click().run()
    third = scenarios.Store().find("Third")
    assert next(s for s in at.selectbox if s.label == "Saved scenarios").value == third
    assert at.session_state["studio_scenario_id"] == third
    assert any("Your private edit link for Third" in literal(s.value) for s in at.success)
