"""Run the benchmarks and print each figure beside its target; write benchmarks/results/latest.json.

Usage: python -m benchmarks [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

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
    import folium

    from dashboard.ui import maps

    display = boundaries.load(paths.DISPLAY_BOUNDARIES)
    start = time.perf_counter()
    ours = len(maps.base_map(maps.display_topology(display)).get_root().render())
    ours_s = time.perf_counter() - start
    full = boundaries.load(paths.FULL_BOUNDARIES)
    start = time.perf_counter()
    naive_map = folium.Map(location=maps.UK_CENTER, zoom_start=6)
    folium.GeoJson(json.loads(full.to_json())).add_to(naive_map)
    naive = len(naive_map.get_root().render())
    naive_s = time.perf_counter() - start
    return {
        "name": "whole-UK map HTML",
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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    results = [postcode_lookup(200 if args.quick else 5000), map_payload()]
    results += atlas_rerun(3 if args.quick else 12)
    results += simulation_times(args.quick)
    for r in results:
        figures = ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("name", "target"))
        print(f"{r['name']}: {figures}  (target: {r['target']})")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
