"""Sweeps: the same market run over a grid of settings (the phase diagram of the idea).

Every combination × run is one job handed to a ``concurrent.futures`` executor: local
processes, or a Dask cluster's executor (``distributed.Client(address).get_executor()``), so a
user who outgrows one machine changes nothing but the executor. Seeds are spawned per run from
one seed, the same for every combination, so combinations differ only by their settings.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import Executor, as_completed

import pandas as pd

from dashboard.simulation.market import Market
from dashboard.simulation.metrics import METRICS, summarise
from dashboard.simulation.runs import one_run, seeds_for
from dashboard.simulation.settings import SPEC, Settings, SettingsError, coerce

#: Settings a sweep may vary: the market and the rules, not the scope (one market per sweep).
SWEEPABLE = [
    name
    for name, (table, kind, _rule, _words) in SPEC.items()
    if table != "scope" and kind is not tuple and name not in ("values", "start_year", "years")
]
MAX_JOBS = 20_000


def grid(values: dict[str, list]) -> list[dict]:
    """Every combination of the swept values, in order (the first setting varies slowest)."""
    for name in values:
        if name not in SWEEPABLE:
            raise SettingsError(f"{name} cannot be swept (sweep one of: {', '.join(SWEEPABLE)})")
    names = list(values)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values.values())]


def parse(name: str, text: str) -> list:
    """``"2,5,10"`` as the setting's values; SettingsError naming the setting if one is bad."""
    kind = SPEC[name][1]
    out = []
    for raw in (part.strip() for part in text.split(",")):
        if not raw:
            continue
        try:
            value = kind(raw) if kind in (int, float) else raw
        except ValueError:
            raise SettingsError(f"{name}: '{raw[:20]}' is not a number") from None
        if kind is bool:
            value = raw == "true"
        value = coerce(name, value)
        _table, _kind, rule, words = SPEC[name]
        if not rule(value):
            raise SettingsError(f"{name} {words}")
        out.append(value)
    if not out:
        raise SettingsError(f"{name}: give at least one value")
    return out


def sweep(
    base: Settings,
    market: Market,
    values: dict[str, list],
    seed: int,
    runs: int,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """One row per combination and year: the swept settings, ``year``, and every figure's
    median with ``_p10`` and ``_p90``. ``progress(done, total)`` is called as jobs finish."""
    combos = grid(values)
    settings = [base.replace(**combo) for combo in combos]
    for each in settings:
        each.check()
    seeds = seeds_for(seed, runs)
    jobs = [(i, (s, market, child)) for i, s in enumerate(settings) for child in seeds]
    if len(jobs) > MAX_JOBS:
        raise SettingsError(f"a sweep may run at most {MAX_JOBS:,} runs ({len(jobs):,} asked)")
    results: dict[int, list] = {i: [None] * runs for i in range(len(settings))}
    done = 0
    if executor is None:
        for n, (i, job) in enumerate(jobs):
            results[i][n % runs] = one_run(job)
            done += 1
            if progress:
                progress(done, len(jobs))
    else:
        futures = {executor.submit(one_run, job): (i, n % runs) for n, (i, job) in enumerate(jobs)}
        for future in as_completed(futures):
            i, k = futures[future]
            results[i][k] = future.result()
            done += 1
            if progress:
                progress(done, len(jobs))
    rows = []
    for i, combo in enumerate(combos):
        summary = summarise(results[i]) if runs > 1 else results[i][0]
        for row in summary:
            rows.append({**combo, "year": row["year"], **_figures(row)})
    return pd.DataFrame(rows)


def _figures(row: dict) -> dict:
    out = {}
    for name in METRICS:
        out[name] = row[name]
        out[f"{name}_p10"] = row.get(f"{name}_p10", row[name])
        out[f"{name}_p90"] = row.get(f"{name}_p90", row[name])
    return out


def at_year(table: pd.DataFrame, year: int, figure: str) -> pd.DataFrame:
    """The swept settings and one figure (median, p10, p90) in one year."""
    keep = [c for c in table.columns if c in SWEEPABLE]
    frame = table[table["year"] == year]
    return frame[[*keep, figure, f"{figure}_p10", f"{figure}_p90"]].reset_index(drop=True)
