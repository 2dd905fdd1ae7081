"""The ``centrifuge`` command: Centrifuge without the UI."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from dashboard import (
    areas,
    atlas,
    boundaries,
    franchises,
    holdings,
    lads,
    lookup,
    paths,
    population,
    postcodes,
    scenarios,
    simulation,
)


def _fail(message: str) -> int:
    print(f"centrifuge: {message}", file=sys.stderr)
    return 2


def who_runs(args: argparse.Namespace) -> int:
    try:
        table = areas.area_table()
        match = lookup.resolve(args.query, table)
        baseline = holdings.load()
    except (postcodes.PostcodeError, lookup.QueryError, boundaries.BoundaryFileError) as exc:
        return _fail(str(exc))
    except franchises.DataError as exc:
        return _fail(f"{exc}; run: centrifuge validate {exc.directory}")
    held = holdings.for_area(baseline, match.code)
    if not held:
        print(
            f"centrifuge: no holdings are recorded for {match.code} in {baseline.directory}",
            file=sys.stderr,
        )
    doc = {
        "query": args.query,
        "area": {"code": match.code, "name": match.name, "country": match.country},
        "holdings": [h.as_json() for h in held],
    }
    if match.postcode:
        doc["postcode"] = match.postcode
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    found = f" (postcode {match.postcode})" if match.postcode else ""
    print(f"{match.name}  {match.code}  {match.country}{found}")
    print()
    print(_table(held))
    return 0


def _table(held: list[holdings.Holding]) -> str:
    """A plain-text table of holdings, then the numbered sources."""
    header = ("Service", "Holder", "Kind", "Since", "Until", "Answers to", "Src")
    rows = [
        (
            h.service,
            h.holder,
            franchises.KINDS.get(h.holder_kind, h.holder_kind),
            h.since or "unknown",
            h.until or "-",
            h.accountable_to or "unknown",
            f"[{i}]",
        )
        for i, h in enumerate(held, 1)
    ]
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for i, h in enumerate(held, 1):
        note = f" Note: {h.notes}" if h.notes else ""
        lines.append(f"[{i}] {h.source} (checked {h.checked}).{note}")
    return "\n".join(lines)


def validate(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    if not directory.is_dir():
        return _fail(f"{directory} is not a folder")
    codes = holdings.area_codes()
    problems = franchises.check(directory, codes)
    for problem in problems:
        print(problem)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"centrifuge: {len(problems)} {noun} in {directory}", file=sys.stderr)
        return 1
    print(f"{directory}: valid ({len(codes)} areas, {paths.VINTAGE})")
    return 0


def export(args: argparse.Namespace) -> int:
    kind, ident = next((k, v) for k in atlas.VIEW_KINDS if (v := getattr(args, k)) is not None)
    view = atlas.View(kind, ident)
    try:
        baseline = holdings.load()
        table = areas.area_table()
        atlas.services_in(baseline, view)
        if args.format == "csv":
            payload = atlas.to_csv(atlas.export_table(baseline, table, view))
        else:
            frame = boundaries.load(paths.boundaries_path())
            payload = atlas.to_geojson(frame, baseline, table, view).encode("utf-8")
    except franchises.DataError as exc:
        return _fail(f"{exc}; run: centrifuge validate {exc.directory}")
    except (atlas.UnknownView, boundaries.BoundaryFileError) as exc:
        return _fail(str(exc))
    out = Path(args.out)
    if not out.parent.is_dir():
        return _fail(f"cannot write {out}: folder {out.parent} does not exist")
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(payload)
    partial.replace(out)
    print(f"wrote {kind} {ident} as {args.format} to {out} ({len(payload):,} bytes)")
    return 0


def simulate(args: argparse.Namespace) -> int:
    settings = simulation.Settings(
        years=args.years,
        term=args.term,
        failure_tolerance=args.failure_tolerance,
        incumbent_advantage=args.incumbent_advantage,
        price_weight=args.price_weight,
        spec=args.spec,
        local_voice=args.local_voice,
        challengers=args.challengers,
        entry_rate=args.entry_rate,
    )
    try:
        settings.check()
        baseline = holdings.load()
        table = lads.lad_table()
        if args.scenario:
            path = Path(args.scenario)
            if not path.is_file():
                return _fail(f"{path} is not a file")
            scenario = scenarios.read_file(path.read_bytes(), table["code"])
            market = simulation.Market.from_baseline(
                baseline,
                table,
                scenarios.market_lots(scenario),
                scenarios.services_of(baseline, scenario.package_id),
                scenario.name,
            )
        else:
            market = simulation.Market.from_baseline(baseline, table)
        rows = simulation.simulate(settings, market, args.seed, args.runs, workers=args.workers)
    except franchises.DataError as exc:
        return _fail(f"{exc}; run: centrifuge validate {exc.directory}")
    except ValueError as exc:
        return _fail(str(exc))
    doc = {
        "settings": {
            **simulation.settings_dict(settings, args.seed, args.runs),
            "scenario": market.scenario,
            "units": market.units,
        },
        "years": rows,
    }
    if args.json:
        print(json.dumps(doc, indent=2))
    if args.csv:
        import pandas as pd

        flat = pd.json_normalize(rows, sep="_")
        Path(args.csv).write_text(flat.to_csv(index=False), encoding="utf-8")
        print(f"wrote {len(rows)} years to {args.csv}", file=sys.stderr)
    if not args.json and not args.csv:
        print(
            f"{'year':>6} {'incumbent':>9} {'by res.':>7} {'holders':>8} {'HHI':>7} {'fragm.':>7} "
            f"{'tenders':>8} {'failures':>8} {'cost':>6}"
        )
        for row in rows:
            weighted = row["incumbent_share_population"]
            weighted = "n/a" if weighted is None else f"{weighted:.3f}"
            print(
                f"{row['year']:>6} {row['incumbent_share']:>9.3f} {weighted:>7} "
                f"{row['distinct_holders']:>8g} "
                f"{row['hhi']:>7.4f} {row['fragmentation']:>7.2f} {row['tenders']:>8g} "
                f"{row['failures']:>8g} {row['cost_index']:>6.3f}"
            )
        life = simulation.half_life(rows)
        print(
            "by res.: incumbent share weighted by residents, over areas with a population figure "
            f"({population.LABEL})"
        )
        print(
            "incumbents hold under half of all area-services after "
            + (f"{life} years" if life is not None else f"more than {args.years} years")
        )
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
    check = sub.add_parser("validate", help="check a franchise data folder")
    check.add_argument(
        "directory", help="a folder with services, organisations, holdings and packages"
    )
    check.set_defaults(func=validate)
    out = sub.add_parser("export", help="write who runs a service, package or family, per area")
    what = out.add_mutually_exclusive_group(required=True)
    what.add_argument("--service", help="a service id, e.g. police")
    what.add_argument("--package", help="a package id, e.g. blue-light")
    what.add_argument("--family", help="a family id, e.g. social_care")
    out.add_argument("--format", choices=["csv", "geojson"], required=True)
    out.add_argument("--out", required=True, help="the file to write")
    out.set_defaults(func=export)
    defaults = simulation.Settings()
    sim = sub.add_parser("simulate", help="simulate rounds of franchise bidding, year by year")
    sim.add_argument(
        "--scenario",
        metavar="FILE",
        help="a studio scenario file (.json): its lots are tendered as units",
    )
    sim.add_argument("--years", type=int, default=defaults.years, help="years to simulate")
    sim.add_argument("--term", type=int, default=defaults.term, help="franchise term in years")
    sim.add_argument(
        "--failure-tolerance",
        type=float,
        default=defaults.failure_tolerance,
        help="shortfall tolerated before termination, as a fraction (0 = none)",
    )
    sim.add_argument(
        "--incumbent-advantage",
        type=float,
        default=defaults.incumbent_advantage,
        help="score bonus for the sitting holder",
    )
    sim.add_argument("--price-weight", type=float, default=defaults.price_weight)
    sim.add_argument("--spec", choices=["outcome", "input"], default=defaults.spec)
    sim.add_argument("--local-voice", type=float, default=defaults.local_voice)
    sim.add_argument("--challengers", type=int, default=defaults.challengers)
    sim.add_argument("--entry-rate", type=float, default=defaults.entry_rate)
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--runs", type=int, default=1, help="Monte Carlo runs (median and 10-90%%)")
    sim.add_argument("--workers", type=int, default=1, help="processes for --runs")
    output = sim.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", metavar="FILE", help="write the per-year figures as CSV")
    sim.set_defaults(func=simulate)
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
