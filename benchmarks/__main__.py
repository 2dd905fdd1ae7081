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
    ours = len(maps.base_map(maps.display_geojson(display)).get_root().render())
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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    results = [postcode_lookup(200 if args.quick else 5000), map_payload()]
    for r in results:
        figures = ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("name", "target"))
        print(f"{r['name']}: {figures}  (target: {r['target']})")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
