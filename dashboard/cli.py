"""The ``centrifuge`` command: Centrifuge without the UI."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dashboard import (
    announcements,
    areas,
    atlas,
    boundaries,
    cli_map,
    cli_scenarios,
    franchises,
    holdings,
    lookup,
    paths,
    population,
    postcodes,
    simulation,
    taxation,
    vintages,
)
from dashboard.cli_common import fail as _fail


def who_runs(args: argparse.Namespace) -> int:
    try:
        day = vintages.parse_day(args.on) if args.on else date.today()
    except ValueError as exc:  # not a date, or outside the span answered for
        return _fail(f"--on: {exc}")
    vintage = vintages.for_day(day)
    try:
        table = areas.area_table(vintage=vintage.name)
        match = lookup.resolve(args.query, table, day)
        baseline = holdings.load()
    except (postcodes.PostcodeError, lookup.QueryError, boundaries.BoundaryFileError) as exc:
        return _fail(str(exc))
    except franchises.DataError as exc:
        return _fail(f"{exc}; run: centrifuge validate {exc.directory}")
    held = holdings.for_area(baseline, match.code, day)
    if not held:
        print(
            f"centrifuge: no holdings are recorded for {match.code} on {day} in "
            f"{baseline.directory}",
            file=sys.stderr,
        )
    try:
        tax = taxation.council_tax(held, match.country, match.code)
        ahead = announcements.for_area(baseline.directory, match.code, match.country, day)
    except (taxation.TaxationError, announcements.AnnouncementError) as exc:
        return _fail(str(exc))
    area = vintages.area(match.code)
    provisional = area is not None and area["status"] == "provisional"
    doc = {
        "query": args.query,
        "as_of": day.isoformat(),
        "vintage": vintage.name,
        "area": {
            "code": match.code,
            "name": match.name,
            "country": match.country,
            "provisional_code": provisional,
        },
        "holdings": [_with_next(baseline, h) for h in held],
        "announced": [a.as_json() for a in ahead],
        "council_tax": tax.as_json(),
    }
    if match.notice:
        doc["notice"] = match.notice
    if match.postcode:
        doc["postcode"] = match.postcode
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    found = f" (postcode {match.postcode})" if match.postcode else ""
    if match.notice:
        print(match.notice)
    print(f"{match.name}  {match.code}  {match.country}{found}")
    code_note = "; the area's code is provisional" if provisional else ""
    print(f"As of {vintages.long_date(day)}; boundaries {vintage.label()}{code_note}")
    print()
    print(_table(held, baseline))
    for item in ahead:
        print()
        print(announcements.describe(item))
    print()
    print(taxation.describe(tax))
    return 0


def _with_next(baseline, held: holdings.Holding) -> dict:
    doc = held.as_json()
    after = holdings.next_holder(baseline, held)
    doc["next"] = after.as_json() if after else None
    return doc


def _table(held: list[holdings.Holding], baseline=None) -> str:
    """A plain-text table of holdings, then the numbered sources (and, with ``baseline``, who
    comes next where a holding ends)."""
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
        after = holdings.next_holder(baseline, h) if baseline is not None else None
        then = f" From {after.day}: {after.describe(h, vintages.names())}." if after else ""
        lines.append(f"[{i}] {h.source} (checked {h.checked}).{note}{then}")
    return "\n".join(lines)


def validate(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    if not directory.is_dir():
        return _fail(f"{directory} is not a folder")
    lives = holdings.area_lives()
    problems = franchises.check(directory, lives)
    for problem in problems:
        print(problem)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"centrifuge: {len(problems)} {noun} in {directory}", file=sys.stderr)
        return 1
    today = len(holdings.area_codes())
    print(
        f"{directory}: valid ({today} areas of {paths.VINTAGE} today; {len(lives)} areas "
        f"checked from {franchises.FIRST_CHECKED_DAY.isoformat()}, former and future included)"
    )
    return 0


def export(args: argparse.Namespace) -> int:
    if args.all:
        kind, ident = atlas.ALL, atlas.ALL
    else:
        kind, ident = next((k, v) for k in atlas.VIEW_KINDS if (v := getattr(args, k)) is not None)
    view = atlas.View(kind, ident)
    try:
        day = vintages.parse_day(args.on) if args.on else date.today()
    except ValueError as exc:
        return _fail(f"--on: {exc}")
    vintage = vintages.for_day(vintages.clip(day))
    try:
        baseline = holdings.load()
        table = areas.area_table(vintage=vintage.name)
        atlas.services_in(baseline, view)
        if args.format == "csv":
            payload = atlas.to_csv(atlas.export_table(baseline, table, view, day))
        else:
            frame = boundaries.load_vintage(vintage.name)
            payload = atlas.to_geojson(frame, baseline, table, view, day).encode("utf-8")
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
    print(
        f"wrote {kind} {ident} as {args.format} to {out} ({len(payload):,} bytes; as of "
        f"{day.isoformat()}, {vintage.name})"
    )
    return 0


def _settings(args: argparse.Namespace) -> simulation.Settings:
    """The settings file (or the defaults), then every option given on the command line."""
    from dashboard.simulation import settings as spec

    base = spec.read(args.settings) if args.settings else simulation.Settings()
    changes = {}
    for name, (_table, kind, _rule, _words) in spec.SPEC.items():
        given = getattr(args, name, None)
        if given is None:
            continue
        if kind is tuple:
            given = tuple(x.strip() for x in given.split(",") if x.strip())
        elif kind is bool:
            given = given == "true"
        changes[name] = spec.coerce(name, given)
    settings = base.replace(**changes)
    settings.check()
    return settings


def simulate(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
        market = simulation.market_for(
            settings, scenario_path=args.scenario, values_path=args.values
        )
        if args.per_area:
            rows, cells = simulation.simulate_per_area(
                settings, market, args.seed, args.runs, workers=args.workers
            )
        else:
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
            "area_services": market.lots,
            "values": market.value_source,
        },
        "years": rows,
    }
    if args.json:
        _print(json.dumps(doc, indent=2))
    if args.csv:
        import pandas as pd

        flat = pd.json_normalize(rows, sep="_")
        Path(args.csv).write_text(flat.to_csv(index=False), encoding="utf-8")
        print(f"wrote {len(rows)} years to {args.csv}", file=sys.stderr)
    if args.per_area:
        Path(args.per_area).write_text(cells.to_csv(index=False), encoding="utf-8")
        print(f"wrote {len(cells)} area-services to {args.per_area}", file=sys.stderr)
    if args.tenders:
        seeds = simulation.seeds_for(args.seed, args.runs)
        example = 0
        if args.runs > 1:
            results = simulation.runs.many(settings, market, args.seed, args.runs, args.workers)
            example = simulation.median_run(results)
        log = simulation.tender_log(settings, market, seeds[example])
        Path(args.tenders).write_text(log.to_csv(index=False), encoding="utf-8")
        print(
            f"wrote {len(log)} tenders of run {example + 1} of {args.runs} "
            f"(the one closest to the median) to {args.tenders}",
            file=sys.stderr,
        )
    if not args.json and not args.csv:
        _print(_year_table(rows, market, settings))
    return 0


def _print(text: str) -> None:
    """Print, and stop quietly when the reader has gone (``centrifuge … | head``)."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


#: The table's columns: figure, heading, and how a value is written (£ figures in millions).
_COLUMNS = [
    ("year", "year", "{:.0f}"),
    ("incumbent_share", "incumb.", "{:.3f}"),
    ("incumbent_share_population", "by res.", "{:.3f}"),
    ("public_share", "public", "{:.3f}"),
    ("distinct_holders", "holders", "{:.0f}"),
    ("owning_groups", "groups", "{:.0f}"),
    ("bids_per_tender", "bids", "{:.2f}"),
    ("hhi", "HHI", "{:.3f}"),
    ("tenders", "tenders", "{:.0f}"),
    ("terminations", "ended", "{:.0f}"),
    ("insolvencies", "insolv.", "{:.0f}"),
    ("last_resort_lots", "l.resort", "{:.0f}"),
    ("cost_index", "cost", "{:.3f}"),
    ("spend_gbp", "spend £m", "{:,.0f}"),
    ("savings_gbp", "saved £m", "{:,.0f}"),
]


def _year_table(rows: list[dict], market, settings) -> str:
    table = [[title for _, title, _ in _COLUMNS]]
    for row in rows:
        cells = []
        for name, _, fmt in _COLUMNS:
            value = row[name]
            if value is not None and name.endswith("_gbp"):
                value /= 1e6
            cells.append("n/a" if value is None else fmt.format(value))
        table.append(cells)
    widths = [max(len(r[c]) for r in table) for c in range(len(_COLUMNS))]
    lines = [" ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    life = simulation.half_life(rows)
    lines += [
        "",
        f"{market.lots} area-services in scope, tendered as {market.units} units.",
        "by res.: incumbent share weighted by residents, over areas with a population figure "
        f"({population.LABEL}).",
        "groups: owning groups of the simulated firms that hold lots; bids: bids per tender; "
        "ended: franchises ended early (terminated, handed back or insolvent).",
        "£ figures are indicative (residents × national spend per resident, "
        "data/simulation/service_spend.csv) and cover only area-services with a known value.",
        "incumbents hold under half of the area-services after "
        + (
            f"{life} year{'s' if life != 1 else ''}"
            if life is not None
            else f"more than {settings.years} years"
        ),
    ]
    return "\n".join(lines)


def sweep(args: argparse.Namespace) -> int:
    from dashboard.simulation import settings as spec
    from dashboard.simulation import sweep as sweeps

    swept: dict[str, list] = {}
    try:
        for name in sweeps.SWEEPABLE:
            given = getattr(args, name, None)
            if given is None:
                continue
            values = sweeps.parse(name, given)
            if len(values) > 1:
                swept[name] = values
            setattr(args, name, None if len(values) > 1 else given)
        if not swept:
            return _fail("name at least one setting with two or more values, e.g. --term 2,5,10")
        base = _settings(args)
        market = simulation.market_for(base, scenario_path=args.scenario, values_path=args.values)
    except franchises.DataError as exc:
        return _fail(f"{exc}; run: centrifuge validate {exc.directory}")
    except (ValueError, spec.SettingsError) as exc:
        return _fail(str(exc))
    total = len(sweeps.grid(swept)) * args.runs

    def progress(done: int, total: int) -> None:
        width = 30
        filled = round(width * done / total)
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} runs", end=end,
              file=sys.stderr, flush=True)  # fmt: skip

    try:
        if args.dask:
            try:
                from distributed import Client

                client = Client(args.dask, timeout="10s")
            except OSError as exc:
                return _fail(f"could not reach the Dask scheduler at {args.dask[:80]}: {exc}")
            with client:
                table = sweeps.sweep(
                    base, market, swept, args.seed, args.runs, client.get_executor(), progress
                )
        elif args.workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=args.workers) as pool:
                table = sweeps.sweep(base, market, swept, args.seed, args.runs, pool, progress)
        else:
            table = sweeps.sweep(base, market, swept, args.seed, args.runs, None, progress)
    except (ValueError, spec.SettingsError) as exc:
        return _fail(str(exc))
    out = Path(args.csv)
    if not out.parent.is_dir():
        return _fail(f"cannot write {out}: folder {out.parent} does not exist")
    out.write_text(table.to_csv(index=False), encoding="utf-8")
    print(
        f"wrote {len(table)} rows ({total // args.runs} combinations × {base.years + 1} years, "
        f"{args.runs} run{'s' if args.runs != 1 else ''} each) to {out}",
        file=sys.stderr,
    )
    return 0


def calibrate(args: argparse.Namespace) -> int:
    from dashboard.simulation import calibration

    started = time.perf_counter()
    try:
        results = calibration.calibrate(simulation.market_for, args.seeds, args.workers)
    except franchises.DataError as exc:
        return _fail(f"{exc}; run: centrifuge validate {exc.directory}")
    for result in results:
        _print(result.line())
    failed = [r for r in results if not r.passed]
    _print(
        f"{len(results) - len(failed)} passed, {len(failed)} failed "
        f"({args.seeds} seeds, {time.perf_counter() - started:.0f} s)"
    )
    return 1 if failed else 0


def build_boundaries(args: argparse.Namespace) -> int:
    """Every boundary file of every vintage, from official geometry (``scripts/make_boundaries.py``:
    it fetches its hash-pinned source wheels with pip)."""
    import sys

    if str(paths.ROOT) not in sys.path:
        sys.path.insert(0, str(paths.ROOT))
    from scripts import make_boundaries

    return make_boundaries.main()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="centrifuge", description="Who runs which public service in every UK local authority."
    )
    sub = top.add_subparsers(dest="command", required=True)
    who = sub.add_parser("who-runs", help="who runs what for a postcode, GSS code or area name")
    who.add_argument("query", help='a postcode ("SW1A 1AA"), a GSS code or an area name')
    who.add_argument("--json", action="store_true", help="print JSON")
    who.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        help="answer for this day (2019-04-01 to 2028-12-31): the holders and the boundaries "
        "in force then; default today",
    )
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
    what.add_argument(
        "--all", action="store_true", help="every service: the national table of area × service"
    )
    out.add_argument("--format", choices=["csv", "geojson"], required=True)
    out.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        help="the holders and boundaries in force that day (2019-04-01 to 2028-12-31)",
    )
    out.add_argument("--out", required=True, help="the file to write")
    out.set_defaults(func=export)
    sim = sub.add_parser(
        "simulate",
        help="simulate rounds of franchise bidding, year by year",
        description="Every setting of docs/simulation.md is an option; a settings file "
        "(--settings) gives any of them in [market], [rules] and [scope] tables, and options "
        "given here override it.",
    )
    _run_options(sim)
    sim.add_argument("--runs", type=int, default=1, help="Monte Carlo runs (median and 10-90%%)")
    sim.add_argument("--workers", type=int, default=1, help="processes for --runs")
    output = sim.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", metavar="FILE", help="write the per-year figures as CSV")
    sim.add_argument(
        "--per-area",
        metavar="FILE.csv",
        help="also write one row per area-service: when it first changes hands (median and "
        "10-90%%), the share of runs in which it changed hands and failed, final holder kinds",
    )
    sim.add_argument(
        "--tenders",
        metavar="FILE.csv",
        help="also write every tender of the run closest to the median: year, lot, areas, "
        "services, value, bids, winner, kind, price and reason",
    )
    sim.set_defaults(func=simulate)
    swp = sub.add_parser(
        "sweep",
        help="run the simulator over a grid of settings (the phase diagram)",
        description="Give a setting two or more values to sweep it (--term 2,5,10); one "
        "value, a settings file (--settings) or the defaults fix the others. Writes one row "
        "per combination and year with each figure's median and 10-90%% band.",
    )
    _run_options(swp, lists=True)
    swp.add_argument("--runs", type=int, default=5, help="runs per combination (default 5)")
    swp.add_argument("--workers", type=int, default=1, help="local processes")
    swp.add_argument(
        "--dask", metavar="ADDRESS", help="a Dask scheduler, e.g. tcp://127.0.0.1:8786"
    )
    swp.add_argument("--csv", metavar="FILE", required=True, help="where to write the table")
    swp.set_defaults(func=sweep)
    cal = sub.add_parser(
        "calibrate",
        help="check the simulator against franchising history (scenarios/history/)",
    )
    cal.add_argument("--seeds", type=int, default=20, help="seeds per scenario (at least 20)")
    cal.add_argument("--workers", type=int, default=2, help="processes")
    cal.set_defaults(func=calibrate)
    build = sub.add_parser(
        "build-boundaries", help="regenerate data/boundaries/ from the packaged ONS data"
    )
    build.set_defaults(func=build_boundaries)
    cli_scenarios.add_to(sub)
    cli_map.add_to(sub)
    return top


def _run_options(parser: argparse.ArgumentParser, lists: bool = False) -> None:
    """What ``simulate`` and ``sweep`` share: a settings file, a scenario, values, every
    setting and the seed."""
    parser.add_argument("--settings", metavar="FILE.toml", help="a settings file")
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help="a studio scenario file (.json): its lots are tendered as units",
    )
    parser.add_argument(
        "--values",
        metavar="FILE.csv",
        help="your own annual values: area_code,service_id,annual_value_gbp",
    )
    _setting_options(parser, lists)
    parser.add_argument("--seed", type=int, default=1)


def _setting_options(parser: argparse.ArgumentParser, lists: bool = False) -> None:
    """One option per setting (``--failure-tolerance``…), each defaulting to the file's value
    or the documented default; with ``lists``, the settings a sweep may vary take
    comma-separated values."""
    from dashboard.simulation import settings as spec
    from dashboard.simulation.sweep import SWEEPABLE

    defaults = simulation.Settings()
    for name, (table, kind, _rule, words) in spec.SPEC.items():
        if name == "values":
            continue  # --values FILE.csv, above
        flag = "--" + name.replace("_", "-")
        default = getattr(defaults, name)
        shown = ",".join(default) if isinstance(default, tuple) else default
        text = f"[{table}] {name}: {words} (default {shown if shown != '' else 'none'})"
        if lists and name in SWEEPABLE:
            parser.add_argument(flag, dest=name, metavar="V1,V2", help=text.replace("%", "%%"))
        elif kind is tuple:
            parser.add_argument(flag, dest=name, metavar="A,B", help=text.replace("%", "%%"))
        elif kind is bool:
            parser.add_argument(flag, dest=name, choices=["true", "false"], help=text)
        else:
            parser.add_argument(flag, dest=name, type=kind, help=text.replace("%", "%%"))


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
