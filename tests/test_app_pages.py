"""Page wiring with Streamlit's AppTest (the map itself is checked in a real browser)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import HOSTILE_NAME, ROOT

MAP_PAGE = str(ROOT / "dashboard" / "pages" / "uk_map.py")


@pytest.fixture(autouse=True)
def own_boundaries(monkeypatch):
    monkeypatch.delenv("CENTRIFUGE_BOUNDARIES", raising=False)


def map_script(at: AppTest) -> str:
    return json.loads(at.get("component_instance")[0].proto.json_args)["script"]


def search(at: AppTest, text: str) -> AppTest:
    at.text_input(key="search_text").input(text)
    at.button[0].click()
    return at.run(timeout=60)


def test_the_map_page_shows_every_area_of_the_uk():
    at = AppTest.from_file(MAP_PAGE, default_timeout=60).run()
    assert not at.exception
    assert at.subheader[0].value == "United Kingdom"
    assert "361 areas" in at.caption[-1].value
    assert map_script(at).count('"code":') == 361


def test_searching_a_postcode_selects_its_area_and_puts_it_in_the_url():
    at = search(AppTest.from_file(MAP_PAGE, default_timeout=60).run(), "sw1a 1aa")
    assert not at.exception
    assert at.success[0].value == "SW1A 1AA is in Westminster (E09000033)."
    assert at.subheader[0].value == "Westminster"
    assert at.query_params["area"] == "E09000033"


def test_a_bad_postcode_gets_a_clear_error_and_keeps_the_view():
    at = search(AppTest.from_file(MAP_PAGE, default_timeout=60).run(), "SW1A 1CA")
    assert "not a valid UK postcode" in at.error[0].value
    assert at.subheader[0].value == "United Kingdom"


def test_a_shared_url_reopens_the_area():
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["area"] = "S12000036"
    at.run()
    assert at.subheader[0].value == "City of Edinburgh"
    assert "Scotland" in " ".join(m.value for m in at.markdown)


def test_an_unknown_area_in_the_url_is_explained():
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["area"] = "<script>"
    at.run()
    assert "not an area in the boundaries in use" in at.warning[0].value
    assert at.subheader[0].value == "United Kingdom"


def test_hostile_area_names_reach_the_map_only_escaped(hostile_file, monkeypatch):
    monkeypatch.setenv("CENTRIFUGE_BOUNDARIES", str(hostile_file))
    at = AppTest.from_file(MAP_PAGE, default_timeout=60).run()
    assert not at.exception
    script = map_script(at)
    assert "\\u0026lt;img src=x onerror=" in script or "&lt;img src=x onerror=" in script
    assert "<img" not in script and "<script>" not in script
    assert HOSTILE_NAME not in script


def test_the_about_page_gives_the_required_attributions():
    at = AppTest.from_file(str(ROOT / "dashboard" / "pages" / "about.py")).run()
    text = at.markdown[0].value
    assert "Office for National Statistics licensed under the Open Government Licence" in text
    assert "Royal Mail" in text and "GeoPlace" in text and "LPS" in text


def test_an_area_shows_who_runs_each_service_with_its_source():
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["area"] = "N09000003"
    at.run()
    assert at.subheader[1].value == "Who runs what in Belfast"
    holders = at.table[0].value
    assert holders.loc["Council tax", "Holder"] == "Land & Property Services"
    assert holders.loc["Adult social care", "Holder"] == "Belfast Health and Social Care Trust"
    assert holders.loc["Housing benefit", "Since"] == "unknown"
    sources = at.table[1].value
    assert sources.loc["[1]", "Source"].startswith("Rates (Northern Ireland) Order 1977")
    assert "no council tax" in sources.loc["[1]", "Notes"]


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
