"""Run the benchmarks and print each figure beside its target; write benchmarks/results/latest.json.

Usage: python -m benchmarks [--quick]

The browser figures (benchmarks/browser.py) drive Debian's chromium, as the browser tests do.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import time
from pathlib import Path

from benchmarks import browser
from dashboard import boundaries, onspd, paths, postcodes

RESULTS = Path(__file__).resolve().parent / "results"


def postcode_lookup(n: int) -> dict:
    sample_from = onspd.located_uk(onspd.read_letter("S"))["pcd"].tolist()
    rng = random.Random(1)
    queries = [rng.choice(sample_from).lower().replace(" ", "") for _ in range(n)]
    postcodes.locate(queries[0])  # warm the index for this letter
    times = []
    for q in queries:
        start = time.perf_counter()
        postcodes.locate(q)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "name": "warm postcode look-up",
        "median_ms": round(statistics.median(times), 4),
        "p99_ms": round(sorted(times)[int(0.99 * (len(times) - 1))], 4),
        "target": "well under 20 ms",
    }


def map_payload() -> dict:
    """The whole-UK map's geometry as the app publishes it (a static TopoJSON file the browser
    fetches once), beside the HTML of a naive full-detail folium map."""
    import tempfile

    import folium

    from dashboard.ui import maps

    display = boundaries.load(paths.DISPLAY_BOUNDARIES)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        url = maps.publish("areas", maps.topology(display), Path(folder))
        ours_s = time.perf_counter() - start
        ours = (Path(folder) / url.rsplit("/", 1)[-1]).stat().st_size
    full = boundaries.load(paths.FULL_BOUNDARIES)
    start = time.perf_counter()
    naive_map = folium.Map(location=(54.6, -3.4), zoom_start=6)
    folium.GeoJson(json.loads(full.to_json())).add_to(naive_map)
    naive = len(naive_map.get_root().render())
    naive_s = time.perf_counter() - start
    return {
        "name": "whole-UK map geometry (TopoJSON file)",
        "bytes": ours,
        "naive_bytes": naive,
        "ratio_to_naive": round(ours / naive, 3),
        "render_s": round(ours_s, 3),
        "naive_render_s": round(naive_s, 3),
        "target": "at most 1.5 MB",
    }


def _component_bytes(at) -> int:
    """Bytes of the map component's arguments: what one rerun sends to the browser for the map."""
    return sum(len(c.proto.json_args) for c in at.get("component_instance"))


def _median_rerun(at, change, repeats: int) -> float:
    times = []
    for i in range(repeats):
        change(at, i)
        start = time.perf_counter()
        at.run(timeout=120)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


CLICKS = ["E09000033", "W06000015", "S12000036", "N09000003", "E06000046", "E07000178"]


def atlas_rerun(repeats: int) -> list[dict]:
    """Map bytes and click→card server time of the atlas page, beside the naive page, run alike:
    a click is a rerun with a newly selected area (AppTest cannot click the map itself)."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ.pop("CENTRIFUGE_BOUNDARIES", None)
    page = str(paths.ROOT / "dashboard" / "pages" / "uk_map.py")
    naive_page = str(Path(__file__).resolve().parent / "naive_atlas.py")

    ours = AppTest.from_file(page, default_timeout=120)
    ours.run()  # first run fills the caches, as the first visitor does
    ours.run()
    first_bytes = _component_bytes(ours)

    def click_ours(at, i):
        at.session_state["selected_area"] = CLICKS[i % len(CLICKS)]

    ours_click = _median_rerun(ours, click_ours, repeats)
    naive = AppTest.from_file(naive_page, default_timeout=120)
    naive.run()
    naive_bytes = _component_bytes(naive)

    def click_naive(at, i):
        at.session_state["clicked"] = CLICKS[i % len(CLICKS)]

    naive_click = _median_rerun(naive, click_naive, max(2, repeats // 3))
    return [
        {
            "name": "atlas map bytes sent per rerun (whole UK, police)",
            "bytes": first_bytes,
            "naive_bytes": naive_bytes,
            "ratio_to_naive": round(first_bytes / naive_bytes, 3),
            "target": "at most 1.5 MB and at most 0.2x naive",
            "met": first_bytes <= 1_500_000 and first_bytes <= 0.2 * naive_bytes,
        },
        {
            "name": "click to card, server time (median)",
            "seconds": round(ours_click, 3),
            "naive_seconds": round(naive_click, 3),
            "ratio_to_naive": round(ours_click / naive_click, 3),
            "target": "at most 0.3 s",
            "met": ours_click <= 0.3,
        },
    ]


def simulation_times(quick: bool) -> list[dict]:
    """A 30-year run over every area and service, and a Monte Carlo batch on two processes."""
    from dashboard import holdings, lads, simulation

    market = simulation.Market.from_baseline(holdings.load(), lads.lad_table())
    settings = simulation.Settings(years=30)
    times = []
    for seed in range(3):
        start = time.perf_counter()
        simulation.simulate(settings, market, seed)
        times.append(time.perf_counter() - start)
    runs = 10 if quick else 100
    start = time.perf_counter()
    simulation.simulate(settings, market, 1, runs=runs, workers=2)
    batch = time.perf_counter() - start
    single = statistics.median(times)
    return [
        {
            "name": f"simulation, 30 years x {market.lots} lots (median of 3)",
            "seconds": round(single, 3),
            "target": "at most 1 s",
            "met": single <= 1.0,
        },
        {
            "name": "Monte Carlo, 30 years, on 2 processes",
            "runs": runs,
            "seconds": round(batch, 2),
            "seconds_per_100_runs": round(batch * 100 / runs, 1),
            "target": "100 runs in at most 30 s",
            "met": batch * 100 / runs <= 30,
        },
        calibrate_time(quick),
    ]


def calibrate_time(quick: bool) -> dict:
    """`centrifuge calibrate`: every history scenario and pattern, 20 seeds, 2 processes."""
    from dashboard.simulation import calibration, market_for

    seeds = 2 if quick else calibration.SEEDS
    start = time.perf_counter()
    results = calibration.calibrate(market_for, seeds, workers=2)
    seconds = time.perf_counter() - start
    return {
        "name": "centrifuge calibrate, on 2 processes",
        "seeds": seeds,
        "targets": len(results),
        "seconds": round(seconds, 1),
        "target": "at most 180 s with 20 seeds",
        "met": seconds <= 180 if not quick else True,
    }


BYTES = ("total_bytes", "websocket_bytes", "http_bytes", "frontend_bytes", "requests")
SECONDS, SMALL = (0.4, "at most 0.4 s"), (30_000, "at most 30 KB (30,000 bytes; websocket + HTTP)")
INTERACTIONS = {  # sample key: what, (target, its text) for the time and for the bytes
    "first load": (
        "first load (warm server) to a drawn map",
        (1.5, "at most 1.5 s"),
        (2_500_000, "at most 2.5 MB (websocket + HTTP)"),
    ),
    "search": ("postcode search to card", SECONDS, SMALL),
    "map click": ("map click to card", SECONDS, SMALL),
    "switch": ("switching service to new map colours", None, None),
    "studio": ("studio: add an area to a lot, to new tallies", None, None),
    "as of": ("changing the As of day (another vintage) to its caption", None, None),
}


def _median(values) -> float:
    return round(statistics.median(values), 3)


def p95(values: list[float]) -> float:
    return round(sorted(values)[max(0, math.ceil(0.95 * len(values)) - 1)], 3)


def _summary(samples: list[dict] | None, figures) -> dict | None:
    """The median of each figure over the samples (None if there are none)."""
    return {f: _median([s[f] for s in samples]) for f in figures} if samples else None


def _entry(name, figures: dict, naive: dict | None, target=None, headline=None, **meta) -> dict:
    """Our figures, the naive atlas's beside them (None where not measured), the ratio of the
    headline figure (the first, unless named) and its ``target`` (a limit and its text)."""
    headline = headline or next(iter(figures))
    entry = {"name": f"browser: {name}", **meta, **figures}
    entry.update({f"naive_{k}": (naive or {}).get(k) for k in figures})
    ours, theirs = figures[headline], entry[f"naive_{headline}"]
    entry["ratio_to_naive"] = round(ours / theirs, 3) if theirs else None
    entry["target"] = target[1] if target else "—"
    if target:
        entry["met"] = ours <= target[0]
    return entry


def browser_results(quick: bool) -> list[dict]:
    """The browser figures (benchmarks/browser.py), ours beside the naive atlas's."""
    plan = browser.QUICK if quick else browser.FULL
    ours, naive = browser.measure(plan)
    entries = []
    for key, (what, seconds, size) in INTERACTIONS.items():
        timing = _summary(ours[key], ["seconds"]), _summary(naive.get(key), ["seconds"])
        entries.append(_entry(f"{what}, time (median)", *timing, seconds, repeats=len(ours[key])))
        wire = _summary(ours[key], BYTES), _summary(naive.get(key), BYTES)
        entries.append(_entry(f"{what}, bytes (median)", *wire, size))
    rss = [out.get("rss") for out in (ours, naive)]
    memory = [
        {f"rss_mb_{k}_sessions": round(v / 1e6, 1) for k, v in r.items()} if r else None
        for r in rss
    ]
    most = f"rss_mb_{plan.sessions[-1]}_sessions"
    entries.append(_entry("server memory (RSS) with sessions open", *memory, headline=most))
    times = [out.get("crowd") for out in (ours, naive)]
    crowd = [{"p95_seconds": p95(t), "median_seconds": _median(t)} if t else None for t in times]
    searches = {"sessions": plan.searchers, "searches": plan.searchers * plan.each}
    entries.append(_entry("search to card, sessions searching at once (p95)", *crowd, **searches))
    return entries


def _shown(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    return str(value)


def table(results: list[dict]) -> str:
    """One row per figure: its result's name, target and whether it is met on the first row,
    and the naive build's figure and our ratio to it where there is one."""
    rows = [("interaction", "figure", "ours", "target", "met?", "naive", "ratio")]
    for r in results:
        figures = [k for k in r if k not in ("name", "target", "met", "ratio_to_naive")]
        for i, key in enumerate(k for k in figures if not k.startswith("naive_")):
            ours, naive = r[key], r.get(f"naive_{key}")
            compared = f"naive_{key}" in r
            ratio = ours / naive if compared and naive and isinstance(ours, int | float) else None
            rows.append(
                (
                    r["name"] if i == 0 else "",
                    key,
                    _shown(ours),
                    r["target"] if i == 0 else "",
                    _shown(r.get("met", "—")) if i == 0 else "",
                    _shown(naive) if compared else "",
                    f"{ratio:.3g}x" if ratio is not None else ("n/a" if compared else ""),
                )
            )
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    results = [postcode_lookup(200 if args.quick else 5000), map_payload()]
    results += atlas_rerun(3 if args.quick else 12)
    results += simulation_times(args.quick)
    results += browser_results(args.quick)
    print(table(results))
    if args.quick and not browser.QUICK.naive_crowd:
        print(
            "--quick: the naive atlas's many-sessions part (memory, searching at once) is skipped"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
