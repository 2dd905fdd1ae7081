"""What a person waits for, and what crosses the wire, in headless Chromium: the app beside the
naive atlas (``naive_atlas.py``), each served on loopback as the browser tests serve the app.

Per interaction: the wall time until the answer shows (median of the repeats); the websocket
payload bytes both ways; the HTTP response bodies as received (``request.sizes()``'s
``responseBodySize``: bytes on the wire, after compression); and the number of HTTP requests,
iframes included, counted until the page is idle and quiet. Then the server's resident memory
with many sessions open, and search → card times with several sessions searching at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from playwright.async_api import Page, async_playwright

from tests.conftest import CHROMIUM, ROOT, RunningApp

NAIVE = Path(__file__).resolve().parent / "naive_atlas.py"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The map: the app's own component (an iframe whose src names areamap), or st_folium's.
MAP = 'iframe[src*="/component/"][src*="areamap"], iframe[title="streamlit_folium.st_folium"]'


def _on_map(body: str, otherwise: str) -> str:
    """A page function on the map's iframe ``f`` and document ``d``, looked up from the page
    each time so that a replaced iframe is followed."""
    find = f"const f = document.querySelector({json.dumps(MAP)}); const d = f && f.contentDocument;"
    return f"() => {{ {find} if (!d || !d.body) {{ return {otherwise}; }} {body} }}"


# Drawn: the component's body says so (with colours); a folium map has its areas as paths.
DRAWN = _on_map(
    'return f.src.includes("areamap") ? d.body.dataset.ready === "1" && d.body.dataset.painted'
    ' !== undefined : d.querySelectorAll("path.leaflet-interactive").length > 0;',
    "false",
)
PAINTED = _on_map(
    "return d.body.dataset.painted ?? [...d.querySelectorAll('path.leaflet-interactive')]"
    ".map(p => p.getAttribute('fill')).join();",
    "''",
)
REPAINTED = f"before => {{ const now = ({PAINTED})(); return now !== '' && now !== before; }}"
# Where a latitude and longitude are inside the frame, on its Leaflet map (folium's pixel click).
POINT = """([lat, lon]) => {
  const map = Object.keys(window).map(k => window[k]).find(v => v instanceof L.Map);
  const at = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  return [box.left + at.x, box.top + at.y];
}"""
# Postcodes and their areas, ordered so that the first few share few ONSPD letters; one more
# postcode per letter warms the server's index of that letter before anything is timed.
SEARCHES = [
    ("LS1 1UR", "Leeds"), ("S1 2HE", "Sheffield"), ("L1 8JQ", "Liverpool"),
    ("SW1A 1AA", "Westminster"), ("LE1 5FQ", "Leicester"), ("SA1 1NW", "Swansea"),
    ("B1 1BB", "Birmingham"), ("CF10 1EP", "Cardiff"), ("NE1 7RU", "Newcastle upon Tyne"),
    ("DE1 2FS", "Derby"), ("EH1 1YZ", "City of Edinburgh"), ("PL1 1EA", "Plymouth"),
    ("LA1 1PJ", "Lancaster"), ("SO14 7LY", "Southampton"), ("BT1 5GS", "Belfast"),
    ("CB2 1TN", "Cambridge"), ("NG1 5FS", "Nottingham"), ("DH1 3HP", "County Durham"),
    ("EX1 1HS", "Exeter"), ("PO1 2AL", "Portsmouth"), ("LL55 1SH", "Gwynedd"),
    ("SR1 3AA", "Sunderland"), ("BN1 1GE", "Brighton and Hove"), ("CV1 5RR", "Coventry"),
    ("NR2 1NH", "Norwich"), ("DD1 1DB", "Dundee City"), ("ST1 1HP", "Stoke-on-Trent"),
    ("CA3 8JH", "Cumberland"), ("CH1 2HJ", "Cheshire West and Chester"),
    ("BA1 1LZ", "Bath and North East Somerset"),
]  # fmt: skip
WARM = {
    "L": ("L3 5TR", "Liverpool"), "S": ("S10 2TN", "Sheffield"), "B": ("B15 2TT", "Birmingham"),
    "C": ("CF24 4HQ", "Cardiff"), "N": ("NE2 4HH", "Newcastle upon Tyne"),
    "D": ("DE22 1GB", "Derby"), "E": ("EH8 9YL", "City of Edinburgh"),
    "P": ("PL4 8AA", "Plymouth"),
}  # fmt: skip
SERVICES = ["Fire and rescue", "Ambulance", "Police"]
# Days for the As of control, each on another boundary vintage than the one before it (as
# typed into its day, month and year, and as the caption then shows it).
DAYS = [
    ("01062022", "1 June 2022"),  # LAD 2021
    ("01062027", "1 June 2027"),  # LAD 2027
    ("01062019", "1 June 2019"),  # LAD 2019
    ("01062026", "1 June 2026"),  # LAD 2025
]
CLICKS = [("E08000003", "Manchester"), ("E08000006", "Salford")]  # neighbours: both in view
# Large areas, each added to the studio's Lot 1 in turn.
STUDIO = ["E06000052", "S12000017", "W06000023", "E06000057", "E06000065", "E06000066"]
LAUNCH = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
WAIT = 120_000  # ms: the naive atlas takes seconds per rerun, more with many sessions


@dataclass(frozen=True)
class Plan:
    repeats: int  # of each interaction
    sessions: tuple[int, ...]  # open sessions at which the server's memory is read
    searchers: int  # sessions searching at once
    each: int  # searches per searcher
    naive_crowd: bool  # the many-sessions part for the naive atlas too


QUICK = Plan(repeats=1, sessions=(1, 3), searchers=2, each=2, naive_crowd=False)
FULL = Plan(repeats=7, sessions=(1, 10, 30), searchers=10, each=3, naive_crowd=True)


@contextlib.contextmanager
def serving(script: Path | None = None):
    """The app, or another Streamlit script served exactly as RunningApp serves the app: the
    script is copied in as ``app.py`` beside links to everything else in the repository (the
    launcher, settings, ``static/``), so it gets the same server, options and static files."""
    with tempfile.TemporaryDirectory() as folder:
        root = ROOT
        if script is not None:
            root = Path(folder)
            for entry in ROOT.iterdir():
                if entry.name != "app.py":
                    (root / entry.name).symlink_to(entry)
            shutil.copy(script, root / "app.py")  # a copy: a link would resolve to benchmarks/
        app = RunningApp(root=root)
        try:
            yield app
        finally:
            app.stop()


async def settled(app: RunningApp, window: float = 0.5, limit: float = 120) -> None:
    """Until the server uses under a twentieth of a core over ``window`` seconds (the app warms
    its postcode index in the background once started)."""
    proc, deadline = psutil.Process(app.proc.pid), time.monotonic() + limit
    while time.monotonic() < deadline:
        before = sum(proc.cpu_times()[:2])
        await asyncio.sleep(window)
        if sum(proc.cpu_times()[:2]) - before < window / 20:
            return


def server_rss(app: RunningApp) -> int:
    """Resident bytes of the streamlit process and its children."""
    proc = psutil.Process(app.proc.pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])


class Wire:
    """Counts what one page (and its iframes) sends and receives. ``frontend_bytes`` is the part
    of ``http_bytes`` that is Streamlit's own bundle (``/static/``), which Streamlit itself
    sends uncompressed (serve.py compresses it)."""

    def __init__(self, page: Page):
        self.totals = dict.fromkeys(("websocket_bytes", "http_bytes", "frontend_bytes"), 0)
        self.totals["requests"] = 0
        self.last = time.monotonic()
        self._sizing: set[asyncio.Future] = set()
        page.on(
            "websocket", lambda ws: [ws.on(e, self._frame) for e in ("framereceived", "framesent")]
        )
        page.on("request", lambda _request: self._count("requests", 1))
        page.on("requestfinished", self._finished)

    def _count(self, figure: str, size: int) -> None:
        self.totals[figure] += size
        self.last = time.monotonic()

    def _frame(self, payload: str | bytes) -> None:
        self._count(
            "websocket_bytes", len(payload.encode() if isinstance(payload, str) else payload)
        )

    def _finished(self, request) -> None:
        frontend = urlsplit(request.url).path.startswith("/static/")
        sizing = asyncio.ensure_future(request.sizes())
        sizing.add_done_callback(lambda done: self._sized(done, frontend))
        self._sizing.add(sizing)

    def _sized(self, done: asyncio.Future, frontend: bool) -> None:
        self._sizing.discard(done)
        if not done.cancelled() and done.exception() is None:
            size = max(0, done.result()["responseBodySize"])  # a 304's is its headers, negated
            self.totals["http_bytes"] += size
            self.totals["frontend_bytes"] += size if frontend else 0

    async def quiet(self, page: Page, calm: float = 0.5, limit: float = 60) -> None:
        """Until the script is idle and nothing has crossed the wire for ``calm`` seconds
        (st_folium reports its state 250 ms after drawing, which may start a rerun)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            await page.wait_for_selector(IDLE, timeout=WAIT)
            if self._sizing:
                await asyncio.wait(set(self._sizing), timeout=5)
            if time.monotonic() - self.last >= calm and await page.locator(IDLE).count():
                return
            await asyncio.sleep(0.1)


async def timed(page: Page, wire: Wire, act, answer) -> dict:
    """Time ``act()`` until ``answer()`` returns; count the wire until the page is quiet."""
    before = dict(wire.totals)
    start = time.perf_counter()
    await act()
    await answer()
    seconds = time.perf_counter() - start
    await wire.quiet(page)
    sample = {"seconds": seconds, **{k: v - before[k] for k, v in wire.totals.items()}}
    return {**sample, "total_bytes": sample["websocket_bytes"] + sample["http_bytes"]}


async def new_context(browser):
    return await browser.new_context(viewport={"width": 1400, "height": 900})


async def open_page(context, url: str) -> tuple[Page, Wire]:
    page = await context.new_page()
    wire = Wire(page)
    await page.goto(url)
    await page.wait_for_function(DRAWN, timeout=WAIT)
    await wire.quiet(page)
    return page, wire


async def first_load(browser, url: str) -> dict:
    """A new visitor (an empty browser cache) until the map is drawn."""
    context = await new_context(browser)
    page = await context.new_page()
    drawn = lambda: page.wait_for_function(DRAWN, timeout=WAIT)  # noqa: E731
    sample = await timed(page, Wire(page), lambda: page.goto(url), drawn)
    await context.close()
    return sample


async def pointer(page: Page, locator):
    """An action that clicks the middle of ``locator`` with the mouse, once Playwright's checks
    (visible, stable, not covered) pass, so that the timing starts at the click itself."""
    await locator.click(trial=True, timeout=WAIT)
    box = await locator.bounding_box()
    return lambda: page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def heading(page: Page, name: str):
    return page.get_by_role("heading", name=f"Who runs what in {name}")


async def search(page: Page, wire: Wire, postcode: str, name: str) -> dict:
    await page.get_by_label("Find an area").fill(postcode)
    button = page.get_by_test_id("stBaseButton-secondaryFormSubmit").filter(has_text="Search")
    act = await pointer(page, button)
    return await timed(page, wire, act, lambda: heading(page, name).wait_for(timeout=WAIT))


def interior_points(codes) -> dict[str, tuple[float, float]]:
    """A (latitude, longitude) inside each area, for clicking a folium map by its pixel."""
    from dashboard import boundaries, paths

    frame = boundaries.load(paths.DISPLAY_BOUNDARIES).set_index("code").loc[list(codes)]
    return {c: (p.y, p.x) for c, p in zip(frame.index, frame.representative_point(), strict=True)}


async def aim(page: Page, code: str, points: dict[str, tuple[float, float]]):
    """An action that clicks area ``code`` on the map: a click dispatched to the component's
    path for it if there is one, else a mouse click on a pixel inside it on a folium map."""
    await page.wait_for_function(DRAWN, timeout=WAIT)
    element = await page.query_selector(MAP)
    frame = await element.content_frame()
    path = frame.locator(f'path[data-code="{code}"]')
    if await path.count():
        return lambda: path.dispatch_event("click")
    await element.scroll_into_view_if_needed()
    box = await element.bounding_box()
    x, y = await frame.evaluate(POINT, list(points[code]))
    return lambda: page.mouse.click(box["x"] + x, box["y"] + y)


async def switch(page: Page, wire: Wire, service: str) -> dict:
    """Pick ``service`` in the Which box, until the map shows new colours."""
    await page.get_by_role("combobox", name="Which", exact=True).click()
    act = await pointer(page, page.get_by_role("option", name=service, exact=True))
    before = await page.evaluate(PAINTED)
    repainted = lambda: page.wait_for_function(REPAINTED, arg=before, timeout=WAIT)  # noqa: E731
    return await timed(page, wire, act, repainted)


async def as_of(page: Page, wire: Wire, typed: str, shown: str) -> dict:
    """Type a day into the As of control and leave it (it applies the day then), until the
    page says it answers for that day."""

    async def act():
        await page.get_by_role("spinbutton", name="day, As of").click()
        await page.keyboard.type(typed)
        await page.locator("h1").click()

    said = f"document.body.innerText.includes('As of {shown}')"
    answer = lambda: page.wait_for_function(said, timeout=WAIT)  # noqa: E731
    return await timed(page, wire, act, answer)


async def studio_add(page: Page, wire: Wire, code: str, count: int, points) -> dict:
    """Click ``code`` on the studio's map, until Lot 1 counts ``count`` areas and the page is
    idle (the tallies below are drawn by then)."""
    act = await aim(page, code, points)
    label = f"Lot 1 ({count} area{'' if count == 1 else 's'})"

    async def tallied():
        await page.get_by_text(label).first.wait_for(timeout=WAIT)
        await page.wait_for_selector(IDLE, timeout=WAIT)

    return await timed(page, wire, act, tallied)


def log(what: str, since: float) -> None:
    print(f"  browser: {what} ({time.monotonic() - since:.0f} s)", file=sys.stderr, flush=True)


async def measure_app(browser, app: RunningApp, plan: Plan, studio: bool, crowd: bool) -> dict:
    """Samples of every interaction on one app, by interaction; and memory figures."""
    n, url, since = plan.repeats, app.url, time.monotonic()
    searches = SEARCHES[:n]
    letters = {postcode[0] for postcode, _ in SEARCHES[: max(n, plan.searchers * plan.each)]}
    # A first visitor fills the server's caches (and its postcode index, letter by letter).
    context = await new_context(browser)
    page, wire = await open_page(context, url)
    for letter in sorted(letters):
        await search(page, wire, *WARM[letter])
    await page.close()
    await settled(app)
    out = {"first load": [await first_load(browser, url) for _ in range(n)]}
    log(f"{url}: warm-up and first loads", since)
    # The same visitor again, in a new session: the card's scripts are in the browser's cache.
    page, wire = await open_page(context, url)
    points = interior_points([code for code, _ in CLICKS] + STUDIO)
    out["map click"] = []
    for code, name in (CLICKS[i % len(CLICKS)] for i in range(n)):
        answer = lambda name=name: heading(page, name).wait_for(timeout=WAIT)  # noqa: E731
        out["map click"].append(await timed(page, wire, await aim(page, code, points), answer))
    out["search"] = [await search(page, wire, *s) for s in searches]
    out["switch"] = [await switch(page, wire, SERVICES[i % len(SERVICES)]) for i in range(n)]
    await page.close()
    log("clicks, searches and switches", since)
    if studio:  # the app's own pages: the As of control (the naive atlas answers for today only)
        page, wire = await open_page(context, f"{url}/?service=council_tax")
        out["as of"] = [await as_of(page, wire, *DAYS[i % len(DAYS)]) for i in range(n)]
        await page.close()
        log("as of", since)
    if studio:
        page, wire = await open_page(context, f"{url}/studio")
        adds = range(min(n, len(STUDIO)))
        out["studio"] = [await studio_add(page, wire, STUDIO[i], i + 1, points) for i in adds]
        await page.close()
        log("studio", since)
    if crowd:
        await settled(app)
        out.update(await crowded(context, app, plan))
        log("sessions", since)
    await context.close()
    return out


async def crowded(context, app: RunningApp, plan: Plan) -> dict:
    """Server memory with 1, 10, 30… sessions open on the atlas; then searchers at once."""
    opened, rss = [], {}
    for count in plan.sessions:
        while len(opened) < count:
            opened.append(await open_page(context, app.url))
        rss[count] = server_rss(app)

    async def searcher(i: int, page: Page, wire: Wire) -> list[float]:
        queries = SEARCHES[i * plan.each : (i + 1) * plan.each]
        return [(await search(page, wire, *query))["seconds"] for query in queries]

    times = await asyncio.gather(*(searcher(i, *o) for i, o in enumerate(opened[: plan.searchers])))
    for page, _ in opened:
        await page.close()
    return {"rss": rss, "crowd": [t for per_page in times for t in per_page]}


async def _run(plan: Plan) -> tuple[dict, dict]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[*LAUNCH, LOOPBACK_ONLY])
        with serving() as app:
            ours = await measure_app(browser, app, plan, studio=True, crowd=True)
        with serving(NAIVE) as app:
            naive = await measure_app(browser, app, plan, studio=False, crowd=plan.naive_crowd)
        await browser.close()
    return ours, naive


def measure(plan: Plan) -> tuple[dict, dict]:
    """Samples of the app's and the naive atlas's interactions, and their memory figures."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    return asyncio.run(_run(plan))
