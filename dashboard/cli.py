"""The ``centrifuge`` command: Centrifuge without the UI."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from dashboard import areas, boundaries, lookup, paths, postcodes


def _fail(message: str) -> int:
    print(f"centrifuge: {message}", file=sys.stderr)
    return 2


def who_runs(args: argparse.Namespace) -> int:
    try:
        table = areas.area_table()
        match = lookup.resolve(args.query, table)
    except (postcodes.PostcodeError, lookup.QueryError, boundaries.BoundaryFileError) as exc:
        return _fail(str(exc))
    doc = {
        "query": args.query,
        "area": {"code": match.code, "name": match.name, "country": match.country},
        "holdings": [],
    }
    if match.postcode:
        doc["postcode"] = match.postcode
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    found = f" (postcode {match.postcode})" if match.postcode else ""
    print(f"{match.name}  {match.code}  {match.country}{found}")
    return 0


def build_boundaries(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    frame, report = boundaries.build()
    boundaries.write_geojson(frame, paths.FULL_BOUNDARIES, boundaries.FULL_DECIMALS)
    display = boundaries.simplify_for_display(frame)
    boundaries.write_geojson(display, paths.DISPLAY_BOUNDARIES, boundaries.DISPLAY_DECIMALS)
    for line in report.lines():
        print(line)
    print(f"wrote {len(frame)} LADs to {paths.FULL_BOUNDARIES} and {paths.DISPLAY_BOUNDARIES}")
    print(f"took {time.perf_counter() - started:.0f} s")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="centrifuge", description="Who runs which public service in every UK local authority."
    )
    sub = top.add_subparsers(dest="command", required=True)
    who = sub.add_parser("who-runs", help="who runs what for a postcode, GSS code or area name")
    who.add_argument("query", help='a postcode ("SW1A 1AA"), a GSS code or an area name')
    who.add_argument("--json", action="store_true", help="print JSON")
    who.set_defaults(func=who_runs)
    build = sub.add_parser(
        "build-boundaries", help="regenerate data/boundaries/ from the packaged ONS data"
    )
    build.set_defaults(func=build_boundaries)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
