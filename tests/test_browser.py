"""What a person sees, in Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import HOSTILE_NAME, SCREENSHOTS, RunningApp

pytestmark = pytest.mark.browser
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
MAP = 'iframe[src*="areamap"]'


def search(page, text: str) -> None:
    page.get_by_label("Find an area").fill(text)
    page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()
    page.wait_for_selector(IDLE)


def open_map(page, url: str):
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    frame = page.frame_locator(MAP).first
    # Attached, not visible: zoomed to one area, most areas lie outside the view.
    frame.locator("body[data-ready='1']").wait_for(state="attached", timeout=60_000)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    return frame, failed


def view_of(frame) -> list[float]:
    """South, west, north and east edges of what the map shows."""
    return [float(v) for v in frame.locator("body").get_attribute("data-view").split(",")]


def test_the_whole_uk_map_renders_offline_with_every_area(page, app_url):
    frame, failed = open_map(page, app_url)
    assert frame.locator("path.leaflet-interactive").count() == 361
    assert frame.locator("path[data-code]").count() == 361
    south, _, north, _ = view_of(frame)
    assert south <= 49.86 and north >= 60.85, "Scilly to Shetland is not all in view"
    assert failed == [], f"requests that need the internet: {failed}"
    page.wait_for_timeout(1000)
    fills = frame.locator("path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )
    assert len(set(fills)) >= 4, "the areas are not coloured by police force"
    assert "#d9d9d9" not in fills, "some areas were left uncoloured"
    page.screenshot(path=SCREENSHOTS / "uk_map.png", full_page=True)


def test_hovering_an_area_shows_its_name_and_code(page, app_url):
    frame, _ = open_map(page, app_url)
    search(page, "E09000033")
    page.wait_for_timeout(1500)
    box = page.locator(MAP).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert "E09000033" in tooltip.inner_text()
    assert "Metropolitan Police Service" in tooltip.inner_text()


def test_searching_a_postcode_zooms_to_and_describes_its_area(page, app_url):
    open_map(page, app_url)
    search(page, "sw1a 1aa")
    page.get_by_text("SW1A 1AA is in Westminster (E09000033).").wait_for()
    page.get_by_role("heading", name="Who runs what in Westminster").wait_for()
    assert "area=E09000033" in page.url
    police = page.get_by_role("row").filter(has_text="Police").first
    assert "Metropolitan Police Service" in police.inner_text()
    assert "Mayor of London" in police.inner_text()
    page.wait_for_timeout(1500)
    page.screenshot(path=SCREENSHOTS / "search_sw1a_1aa.png", full_page=True)


def test_hostile_names_show_as_text_and_run_no_script(page, hostile_file):
    app = RunningApp(env={"CENTRIFUGE_BOUNDARIES": str(hostile_file)})
    try:
        frame, _ = open_map(page, app.url)
        path = frame.locator("path.leaflet-interactive").first
        path.hover(force=True)
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for(timeout=10_000)
        page.wait_for_timeout(500)
        assert page.dialogs == []
        assert frame.locator(".leaflet-tooltip img").count() == 0
        shown = tooltip.inner_text()
        assert "onerror" in shown or "javascript:" in shown
        assert HOSTILE_NAME[:10] in shown or "javascript:alert(3)" in shown
        page.screenshot(path=SCREENSHOTS / "hostile_names.png", full_page=True)
    finally:
        app.stop()


def test_switching_service_recolours_without_rebuilding_the_map(page, app_url):
    frame, _ = open_map(page, f"{app_url}/?area=E09000033")
    page.wait_for_timeout(1000)
    body = frame.locator("body")
    body.evaluate("() => { window.centrifugeMarker = 42; }")
    page.get_by_label("Which").click()
    page.get_by_role("option", name="Ambulance", exact=True).click()
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(1500)
    assert "service=ambulance" in page.url and "area=E09000033" in page.url
    assert body.evaluate("() => window.centrifugeMarker") == 42, "the map was rebuilt"
    box = page.locator(MAP).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # Filtered: a tooltip just closed fades out for 200 ms before Leaflet removes it.
    tooltip = frame.locator(".leaflet-tooltip").filter(has_text="E09000033")
    tooltip.wait_for(timeout=10_000)
    assert "London Ambulance Service NHS Trust" in tooltip.inner_text()
    page.screenshot(path=SCREENSHOTS / "switch_to_ambulance.png", full_page=True)


def test_a_shared_link_reopens_the_same_view(page, app_url):
    open_map(page, f"{app_url}/?service=fire&colour=kind&area=W06000015")
    page.get_by_role("heading", name="Who runs what in Cardiff").wait_for()
    row = page.get_by_role("row").filter(has_text="Fire and rescue").first
    assert "South Wales Fire and Rescue Authority" in row.inner_text()
    assert page.get_by_label("Which").input_value() == "Fire and rescue"
    page.screenshot(path=SCREENSHOTS / "shared_link_cardiff_fire.png", full_page=True)


def test_clicking_an_area_opens_its_card(page, app_url):
    open_map(page, app_url)
    page.wait_for_timeout(1500)
    page.locator(MAP).scroll_into_view_if_needed()
    box = page.locator(MAP).bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.72)
    page.wait_for_selector(IDLE)
    heading = page.get_by_role("heading", name="Who runs what in")
    heading.wait_for(timeout=20_000)
    assert "area=" in page.url
    page.screenshot(path=SCREENSHOTS / "click_card.png", full_page=True)


def test_searching_and_clicking_keep_the_map_and_never_resend_its_geometry(page, app_url):
    geometry = []
    page.on("request", lambda r: geometry.append(r.url) if "/generated/areas-" in r.url else None)
    frame, _ = open_map(page, app_url)
    frame.locator("body").evaluate("() => { window.centrifugeMarker = 7; }")
    search(page, "LS1 1UR")
    page.get_by_role("heading", name="Who runs what in Leeds").wait_for()
    page.wait_for_timeout(800)  # the map flies to Leeds
    south, west, north, east = view_of(frame)
    assert south < 53.80 < north and west < -1.55 < east, "the map did not move to Leeds"
    # Pan away, then click an area: the card changes, the view the user chose stays.
    page.locator(MAP).hover()
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(800)
    panned = view_of(frame)
    frame.locator('path[data-code="E08000036"]').dispatch_event("click")
    page.get_by_role("heading", name="Who runs what in Wakefield").wait_for()
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(500)
    assert view_of(frame) == panned, "a click moved the map"
    selected = frame.locator('path[data-code="E08000036"]').get_attribute("stroke-width")
    assert float(selected) > 3, "the clicked area is not outlined"
    assert frame.locator("body").evaluate("() => window.centrifugeMarker") == 7, "map rebuilt"
    assert len(geometry) == 1, f"the geometry was fetched {len(geometry)} times"


HOSTILE_SOURCE = '"><script>alert("source")</script> [click](javascript:alert(5))'


def hostile_data(folder):
    """The shipped baseline with the Met's name, website, a source and a note made hostile."""
    import csv
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "data" / "franchises", folder)

    def rewrite(name, change):
        path = folder / name
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        rows = [rows[0]] + [change(row) for row in rows[1:]]
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)

    def organisation(row):
        if row[0] == "police-metropolitan":
            row[1] = HOSTILE_NAME
            row[3] = 'https://example.org/"onmouseover=alert(4)'
        return row

    def holding(row):
        if row[0] == "E09000033" and row[1] == "police":
            row[6] = HOSTILE_SOURCE
            row[8] = "<img src=x onerror=alert(6)>"
        return row

    rewrite("organisations.csv", organisation)
    rewrite("holdings.csv", holding)
    return folder


def test_hostile_data_shows_as_text_everywhere_and_runs_no_script(page, tmp_path):
    app = RunningApp(env={"CENTRIFUGE_DATA": str(hostile_data(tmp_path / "data"))})
    try:
        frame, _ = open_map(page, f"{app.url}/?area=E09000033")
        page.get_by_role("heading", name="Who runs what in Westminster").wait_for()
        page.wait_for_timeout(1500)
        page.locator(MAP).scroll_into_view_if_needed()
        box = page.locator(MAP).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for(timeout=10_000)
        assert "<img src=x onerror=" in tooltip.inner_text()
        assert frame.locator(".leaflet-tooltip img").count() == 0
        police = page.get_by_role("row").filter(has_text="Police").first
        assert "<img src=x onerror=" in police.inner_text()
        body = page.locator("section.main, [data-testid='stMain']").first.inner_text()
        assert '"><script>alert("source")</script>' in body
        assert "[click](javascript:alert(5))" in body
        assert "<img src=x onerror=alert(6)>" in body
        assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        page.screenshot(path=SCREENSHOTS / "hostile_data_atlas.png", full_page=True)
        page.goto(f"{app.url}/organisations?org=police-metropolitan")
        page.wait_for_selector(IDLE, timeout=60_000)
        # Shown as text (with an invisible word joiner so it does not become a link).
        page.get_by_text("onmouseover=alert(4)").wait_for()
        shown = page.get_by_text("onmouseover=alert(4)").inner_text().replace("\u2060", "")
        assert 'https://example.org/"onmouseover=alert(4)' in shown
        page.wait_for_timeout(1000)
        page.screenshot(path=SCREENSHOTS / "hostile_data_organisation.png", full_page=True)
        assert page.dialogs == []
    finally:
        app.stop()


def test_a_planner_fires_up_the_centrifuge_and_watches_the_years(page, app_url):
    page.goto(f"{app_url}/simulator")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("spinbutton", name="Runs", exact=True).fill("3")
    page.get_by_role("button", name="Fire up the centrifuge").click()
    summary = page.get_by_text("Setting A (term 3, tolerance 0.2) in 2056")
    summary.wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    frame = page.frame_locator(MAP).first
    frame.locator("body[data-ready='1']").wait_for(state="attached", timeout=60_000)
    slider = page.locator("input[type=range][aria-label='Year']")
    slider.focus()
    page.keyboard.press("Home")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("in 2026: incumbents hold 100% of area-services").wait_for(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(1000)
    page.get_by_role("heading", name="How the landscape changes").scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 10
    page.screenshot(path=SCREENSHOTS / "simulator.png")
    # Which areas flip first: the map over all the runs, with its legend.
    page.get_by_text("Year it first changes hands").click()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text(
        "the median year the area-service first leaves its original holder"
    ).first.wait_for(timeout=30_000)
    page.get_by_role("heading", name="The map, year by year").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "simulator_first_change.png")
    # Careless: leave the page and come back; the run and its settings are still there, and
    # the link in the address bar reruns the same settings in a new session.
    page.get_by_role("link", name="Atlas").click()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("link", name="Simulator").click()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("Medians of 3 runs").first.wait_for(timeout=30_000)
    assert page.get_by_role("spinbutton", name="Runs", exact=True).input_value() == "3"
    assert "term=3" in page.url and "runs=3" in page.url
    shared = page.context.new_page()
    shared.goto(page.url.replace("term=3", "term=5"))
    shared.get_by_text("Setting A (term 5, tolerance 0.2) in 2056").wait_for(timeout=120_000)
    shared.close()
    assert page.dialogs == []


def test_a_planner_runs_a_history_preset_sweeps_it_and_downloads_every_area(page, app_url):
    page.goto(f"{app_url}/simulator")
    page.wait_for_selector(IDLE, timeout=60_000)
    box = page.get_by_role("combobox", name="Start from")
    box.click()
    page.keyboard.type("rail")
    page.keyboard.press("Enter")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("Stands in: Universal Credit and housing benefit").wait_for(timeout=30_000)
    # The form shows the preset's own settings (rail: 7-year terms) once the rerun is done.
    term = page.locator("input[type=range][aria-label='Term (years)']").first
    expect(term).to_have_value("7", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    runs = page.get_by_role("spinbutton", name="Runs", exact=True)
    runs.fill("3")
    runs.press("Tab")
    expect(runs).to_have_value("3")
    page.get_by_role("button", name="Fire up the centrifuge").click()
    page.get_by_text("of the history's figures reproduced").first.wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert "preset=s3_rail" in page.url and "term=7" in page.url
    slider = page.locator("input[type=range][aria-label='Year']")
    slider.focus()
    page.keyboard.press("Home")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("(term 7, tolerance 0.2) in 2026: incumbents hold 100%").wait_for(
        timeout=30_000
    )
    page.keyboard.press("End")
    # The median headline of the last year (rail: the public sector barred from round 1).
    last = page.get_by_text("in 2049: incumbents hold 0% of area-services")
    last.wait_for(timeout=30_000)
    headline = last.inner_text()
    assert "(term 7, tolerance 0.2) in 2049" in headline and "Medians of 3 runs" in headline
    page.get_by_role("spinbutton", name="Runs per cell").fill("1")
    page.get_by_role("textbox", name="Its values").first.fill("3,7")
    page.get_by_role("textbox", name="Its values").nth(1).fill("0.05,0.3")
    page.get_by_role("button", name="Run the sweep").click()
    page.get_by_role("button", name="Download the sweep (CSV)").wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("heading", name="Sweep: the phase diagram").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "simulator_sweep.png")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download every area-service (CSV)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("area_code,service_id,first_change_year")
    assert len(lines) == 1 + 361 * 2  # the preset's scope: two services in every area
    assert page.dialogs == []


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    page.wait_for_function(
        "label => document.querySelectorAll(`input[role=combobox][aria-label='${label}']`)"
        ".length === 1",
        arg=label,
    )
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(option)  # the select box filters as you type; Enter takes the match
    page.get_by_role("option", name=option, exact=True).wait_for()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE)


def test_a_planner_saves_on_one_app_process_and_a_colleague_opens_it_on_another(page, postgres):
    """Two app processes on one PostgreSQL: the scenario stays its maker's after a reload (the
    browser keeps the key), and opens read-only, by its short link, on the other process."""
    shared = {"CENTRIFUGE_DB": postgres.database("two_processes")}
    first, second = RunningApp(env=shared), RunningApp(env=shared)
    try:
        page.goto(f"{first.url}/studio")
        page.wait_for_selector(IDLE, timeout=60_000)
        choose(page, "Add a whole group", "Nation")
        # The list of groups follows the choice on the next run: wait for it.
        page.wait_for_function(
            "() => [...document.querySelectorAll(\"input[aria-label='Which']\")]"
            ".some(i => i.value === 'England')"
        )
        choose(page, "Which", "Wales")
        page.get_by_role("button", name="Add to Lot 1").click()
        page.wait_for_selector(IDLE)
        page.get_by_label("New lot").fill("Scotland blue light")
        page.get_by_role("button", name="Add lot").click()
        page.get_by_text("Scotland blue light (0 areas)").wait_for(timeout=30_000)
        page.wait_for_selector(IDLE)
        page.get_by_role("button", name="Add to Scotland blue light").wait_for(timeout=30_000)
        choose(page, "Which", "Scotland")
        page.get_by_role("button", name="Add to Scotland blue light").click()
        page.wait_for_selector(IDLE)
        page.get_by_text("Scotland blue light (32 areas)").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.get_by_label("Scenario name").fill("Two nations")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Saved 'Two nations' as version 1.").wait_for(timeout=30_000)
        page.get_by_text("Your private edit link").wait_for()
        page.screenshot(path=SCREENSHOTS / "studio_two_lots.png")
        links = page.locator("[data-testid='stCode']").all_inner_texts()
        short = next(t.strip() for t in links if "?s=" in t and "key=" not in t)
        assert len(short) < 80  # the whole scenario used to travel in a 2,000-character link
        # A reload is a new session: the browser's keyring still makes it the planner's own.
        page.reload()
        page.wait_for_selector(IDLE, timeout=60_000)
        picked = page.get_by_role("combobox", name="Saved scenarios", exact=True)
        expect(picked).to_have_value(
            re.compile("^Two nations · yours · version 1, "), timeout=30_000
        )
        page.get_by_test_id("stBaseButton-secondary").filter(has_text="Open").click()
        page.wait_for_selector(IDLE)
        page.get_by_text("Lot 1 (22 areas)").wait_for(timeout=30_000)
        expect(page.get_by_role("button", name="Save", exact=True)).to_be_enabled()
        # A colleague, in another browser, on the other app process.
        colleague = page.context.browser.new_context(viewport={"width": 1400, "height": 900})
        other = colleague.new_page()
        other.goto(short.replace(first.url, second.url))
        other.wait_for_selector(IDLE, timeout=60_000)
        other.get_by_text("Opened the shared scenario 'Two nations' (version 1).").wait_for(
            timeout=30_000
        )
        other.get_by_text("Scotland blue light (32 areas)").wait_for()
        expect(other.get_by_role("button", name="Save", exact=True)).to_be_disabled()
        expect(other.get_by_role("button", name="Delete", exact=True)).to_be_disabled()
        held = other.evaluate("localStorage.getItem('centrifuge.scenarios.v1')")
        assert '"keys":{}' in held and short.rsplit("=", 1)[1] in held  # a link, not a key
        colleague.close()
        assert page.dialogs == []
    finally:
        first.stop()
        second.stop()


def test_leaving_the_studio_and_coming_back_keeps_the_package_and_the_lots(page, app_url):
    page.goto(f"{app_url}/studio")
    page.wait_for_selector(IDLE, timeout=60_000)
    choose(page, "Package", "Social care bundle")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("Services: Adult social care").wait_for(timeout=30_000)
    frame = page.frame_locator(MAP).first
    frame.locator("body[data-ready='1']").wait_for(state="attached", timeout=60_000)
    frame.locator('path[data-code="E06000046"]').dispatch_event("click")
    page.get_by_text("Lot 1 (1 area)").wait_for(timeout=30_000)
    page.get_by_role("link", name="Atlas").click()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("link", name="Studio").click()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("Lot 1 (1 area)").wait_for(timeout=30_000)
    box = page.get_by_role("combobox", name="Package", exact=True)
    expect(box).to_have_value("Social care bundle", timeout=10_000)
    page.get_by_text("Services: Adult social care").wait_for(timeout=30_000)


PLANTED = [
    "[Sign in to view this lot](http://evil.example/login)",
    "http://evil.example/bare",
    "<a href='http://evil.example/html'>x</a>",
    '=HYPERLINK("http://evil.example/cell")',
]


def test_a_share_link_cannot_plant_a_link_to_another_site(page, app_url):
    from dashboard import lots, scenarios

    plan = lots.Assignment()
    for i, name in enumerate(PLANTED):
        plan = plan.add_lot(name).assign(
            [["E06000046", "W06000015", "S12000049", "E09000033"][i]], name
        )
    shared = scenarios.Scenario("[Open me](http://evil.example/scenario)", "blue-light", plan)
    page.goto(f"{app_url}/studio?scenario={scenarios.encode(shared)}")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("Opened the shared scenario").wait_for(timeout=30_000)
    page.frame_locator(MAP).first.locator("body[data-ready='1']").wait_for(
        state="attached", timeout=60_000
    )
    page.wait_for_timeout(1000)
    # What the reader sees (an invisible word joiner keeps a URL from becoming a link).
    body = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
    for name in PLANTED[:2]:
        assert name in body, f"{name!r} is not shown as written"
    links = page.locator("a[href*='evil.example']").count()
    in_map = page.frame_locator(MAP).first.locator("a[href*='evil.example']").count()
    assert links == 0 and in_map == 0, "a planted name became a link"
    assert page.dialogs == []
    page.screenshot(path=SCREENSHOTS / "hostile_share_link.png", full_page=True)


def _no_planted_link(page) -> None:
    links = page.locator("a[href*='evil.example']").count()
    in_map = page.frame_locator(MAP).first.locator("a[href*='evil.example']").count()
    assert links == 0 and in_map == 0, "a planted name became a link"
    assert page.locator("[data-testid='stMain'] a[href^='javascript']").count() == 0


def test_names_typed_or_imported_stay_text_on_the_page_and_in_the_files(page, tmp_path):
    """Hostile names arriving by typing (a scenario name, saved) and by import (a lot file and
    a file name) are shown as written, link nowhere, and leave the lots file formula-free."""
    app = RunningApp(env={"CENTRIFUGE_DB": str(tmp_path / "scenarios.db")})
    try:
        page.goto(f"{app.url}/studio")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_timeout(500)
        rows = zip(["E06000046", "W06000015", "S12000049", "E09000033"], PLANTED, strict=True)
        lot_file = tmp_path / "[Open](http:evil.example).csv"
        lot_file.write_text(
            "area_code,lot\n"
            + "".join(f'{c},"{n.replace(chr(34), 2 * chr(34))}"\n' for c, n in rows)
        )
        page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(lot_file)
        page.get_by_role("button", name="Import", exact=True).wait_for(timeout=30_000)
        page.wait_for_selector(IDLE)
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_text(re.compile(r"^Imported \[Open\]")).wait_for(timeout=30_000)
        page.wait_for_selector(IDLE)
        body = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
        assert "Imported [Open](http:evil.example).csv." in body
        _no_planted_link(page)
        typed = "[Sign in](http://evil.example/t) www.evil.example <i>x</i>"
        page.wait_for_timeout(800)  # the rerun's widgets have settled
        page.get_by_label("Scenario name").fill(typed)
        page.get_by_label("Scenario name").press("Enter")
        page.wait_for_selector(IDLE)
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text(re.compile(r"^Saved '\[Sign in\]")).wait_for(timeout=30_000)
        page.wait_for_selector(IDLE)
        page.wait_for_timeout(500)
        body = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
        for name in [typed, *PLANTED[:2]]:
            assert name in body, f"{name!r} is not shown as written"
        _no_planted_link(page)
        assert page.locator("[data-testid='stMain'] i").count() == 0
        with page.expect_download() as download:
            page.get_by_role("button", name="Lots (CSV)").click()
        cells = download.value.path().read_text("utf-8-sig")
        assert "'=HYPERLINK" in cells and ",=HYPERLINK" not in cells
        assert page.dialogs == []
        page.screenshot(path=SCREENSHOTS / "hostile_typed_and_imported.png", full_page=True)
    finally:
        app.stop()


def test_a_keyboard_user_opens_the_card_for_leeds_and_moves_across_the_map(page, app_url):
    frame, _ = open_map(page, app_url)
    page.wait_for_timeout(800)
    # Search by keyboard alone: the box, the name, Enter.
    page.get_by_label("Find an area").focus()
    page.keyboard.type("Leeds")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Who runs what in Leeds").wait_for(timeout=30_000)
    page.wait_for_selector(IDLE)
    # The map is one tab stop, with a name that says how to use it.
    stops = frame.locator("body").evaluate(
        """b => [...b.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
            .filter(e => e.tabIndex >= 0 && !e.disabled).length"""
    )
    assert stops == 1
    label = frame.locator("#map").get_attribute("aria-label")
    assert label.startswith("Map of 361 areas") and "Enter opens" in label
    assert page.locator(MAP).first.get_attribute("title") == "Map of 361 areas"
    # On the map, the keyboard starts at the selected area; an arrow moves to a neighbour,
    # which is announced; Enter opens its card.
    frame.locator("#map").focus()
    status = frame.locator("#status")
    expect(status).to_contain_text("Leeds, E08000035", timeout=10_000)
    frame.locator("#map").press("ArrowRight")
    expect(status).not_to_contain_text("Leeds,", timeout=10_000)
    moved_to = status.inner_text().split(",")[0]
    frame.locator("#map").press("Enter")
    page.get_by_role("heading", name=f"Who runs what in {moved_to}").wait_for(timeout=30_000)
    page.screenshot(path=SCREENSHOTS / "keyboard_card.png")


def test_a_councillor_downloads_a_focused_map_whose_key_names_every_holder(page, app_url):
    import re as _re
    from html import unescape

    open_map(page, f"{app_url}/?service=adult_social_care&focus=region:North%20West")
    page.wait_for_timeout(800)
    key = page.locator(".legend td:nth-child(3)").all_inner_texts()
    assert len(key) > 20 and "Cumberland Council" in key and "Kent County Council" not in key
    files = {}
    for fmt in ("PDF", "SVG", "PNG"):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=fmt, exact=True).click()
        files[fmt] = download.value.path().read_bytes()
        assert download.value.suggested_filename.endswith(f".{fmt.lower()}")
    assert files["PDF"].startswith(b"%PDF")
    boxes = _re.findall(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", files["PDF"])
    assert boxes and all(abs(float(w) - 841.9) < 1 and abs(float(h) - 595.3) < 1 for w, h in boxes)
    svg = unescape(files["SVG"].decode("utf-8"))
    words = " ".join(_re.findall(r">([^<]*)<", svg))
    squeezed = " ".join(words.split())
    for holder in key:  # every holder in the key on screen is named in the file's key
        assert " ".join(holder.split())[:25] in squeezed, holder
    assert "North West" in squeezed and "Open Government Licence" in squeezed
    assert files["PNG"][:8] == b"\x89PNG\r\n\x1a\n"
    (SCREENSHOTS / "north_west_adult_social_care.png").write_bytes(files["PNG"])


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): "
        + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; "))"""


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?service=adult_social_care&focus=region:North%20West&area=E08000003",
        "/organisations?org=police-kent",
        "/studio",
        "/simulator",
        "/about",
        "/accessibility",
    ],
)
def test_axe_finds_no_serious_or_critical_violation(page, app_url, path):
    assert AXE.exists(), "axe-core is missing: `make test` installs it (package.json)"
    page.goto(app_url + path)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(1500)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(AXE_RUN)
    for frame in page.frames[1:]:
        if "areamap" in frame.url:  # the map frame too
            frame.add_script_tag(path=str(AXE))
            found += [f"map frame: {v}" for v in frame.evaluate(AXE_RUN)]
    assert found == [], "\n".join(found)
    assert page.title().endswith("· Centrifuge")
