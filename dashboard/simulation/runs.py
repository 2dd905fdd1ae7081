"""Many runs: Monte Carlo medians and bands, whatever the number of processes."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from dashboard import holdings, lads, scenarios
from dashboard.simulation import money
from dashboard.simulation.engine import run
from dashboard.simulation.market import Market
from dashboard.simulation.metrics import summarise, yearly_metrics
from dashboard.simulation.settings import Settings

MAX_RUNS = 10_000


def one_run(args: tuple[Settings, Market, np.random.SeedSequence]) -> list[dict]:
    settings, market, seed = args
    return yearly_metrics(run(settings, market, np.random.default_rng(seed)))


def seeds_for(seed: int, runs: int) -> list[np.random.SeedSequence]:
    """One run uses ``seed`` itself; several use seeds spawned from it."""
    root = np.random.SeedSequence(seed)
    return root.spawn(runs) if runs > 1 else [root]


def many(settings: Settings, market: Market, seed: int, runs: int, workers: int = 1):
    """Each run's per-year rows, with the seeds of ``seeds_for``."""
    jobs = [(settings, market, s) for s in seeds_for(seed, runs)]
    if workers > 1 and runs > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one_run, jobs, chunksize=max(1, runs // (4 * workers))))
    return [one_run(job) for job in jobs]


def simulate(settings: Settings, market: Market, seed: int, runs: int = 1, workers: int = 1):
    """Per-year figures: one run, or with ``runs`` > 1 the median with ``<name>_p10`` and
    ``<name>_p90`` over independent runs (seeds spawned from ``seed``; the result does not
    depend on ``workers``)."""
    settings.check()
    if runs < 1 or runs > MAX_RUNS:
        raise ValueError(f"runs must be between 1 and {MAX_RUNS}")
    results = many(settings, market, seed, runs, workers)
    return summarise(results) if runs > 1 else results[0]


def tender_log(settings: Settings, market: Market, seed: np.random.SeedSequence):
    """Every tender, direct award and recall of one run, as a table (one row each)."""
    import pandas as pd

    log: list[dict] = []
    for _ in run(settings, market, np.random.default_rng(seed), log):
        pass
    columns = [
        "year", "lot", "areas", "services", "value_gbp", "bids", "winner_id", "winner",
        "winner_kind", "price_index", "reason",
    ]  # fmt: skip
    return pd.DataFrame(log, columns=columns)


def settings_dict(settings: Settings, seed: int, runs: int) -> dict:
    return {**settings.as_dict(), "seed": seed, "runs": runs}


def market_for(
    settings: Settings,
    baseline=None,
    areas=None,
    scenario_path=None,
    values_path=None,
) -> Market:
    """The market a run's settings describe: its scope and lots (a studio scenario file when
    ``scenario_path`` is given, or when ``settings.lots`` names one), with the planner's values
    from ``values_path`` (or ``settings.values``) where given. Raises ValueError subclasses
    (SettingsError, ScenarioError, ValuesError) naming the problem."""
    baseline = baseline if baseline is not None else holdings.load()
    areas = areas if areas is not None else lads.lad_table()
    scenario_path = scenario_path or (settings.lots if settings.lots.endswith(".json") else None)
    values_path = values_path or settings.values or None
    values = None
    if values_path:
        values = money.read_values_file(
            values_path, areas["code"], baseline.services["id"].tolist()
        )
    if scenario_path:
        path = Path(scenario_path)
        if not path.is_file():
            raise scenarios.ScenarioError(f"{path} is not a file")
        scenario = scenarios.read_file(path.read_bytes(), areas["code"])
        return Market.from_baseline(
            baseline,
            areas,
            scenarios.market_lots(scenario),
            scenarios.services_of(baseline, scenario.package_id),
            scenario.name,
            settings=settings,
            values=values,
        )
    return Market.from_baseline(baseline, areas, settings=settings, values=values)


def run_with_cells(args: tuple[Settings, Market, np.random.SeedSequence]) -> dict:
    """One run's per-year figures (``rows``) and, per area-service, the first year it changed
    hands (``first``, inf if never), whether it failed (``failed``), and its holder's kind at
    the end (``kind``)."""
    settings, market, seed = args
    first = np.full(market.lots, np.inf)
    failed = np.zeros(market.lots, dtype=bool)
    rows = []
    for state in run(settings, market, np.random.default_rng(seed)):
        moved = (state.holder != market.original) & np.isinf(first)
        first[moved] = state.year
        failed |= state.failed
        rows.append({"year": state.year, **state.metrics})
    kinds = np.array(state.bidder_kinds, dtype=object)[state.holder]
    return {"rows": rows, "first": first, "failed": failed, "kind": kinds, "price": state.price}


def simulate_per_area(
    settings: Settings, market: Market, seed: int, runs: int = 1, workers: int = 1
):
    """The per-year figures of ``simulate`` (the same runs, the same seeds) and, from those
    runs, one row per area-service: the median year it first changes hands with its 10–90%
    band (empty where it stays put in more than half the runs: "never within the horizon"),
    the share of runs in which it changed hands and in which it failed, and the share of runs
    ending with each kind of holder (``final_<kind>``)."""
    settings.check()
    if runs < 1 or runs > MAX_RUNS:
        raise ValueError(f"runs must be between 1 and {MAX_RUNS}")
    jobs = [(settings, market, s) for s in seeds_for(seed, runs)]
    if workers > 1 and runs > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            cells = list(pool.map(run_with_cells, jobs, chunksize=max(1, runs // (4 * workers))))
    else:
        cells = [run_with_cells(job) for job in jobs]
    yearly = summarise([c["rows"] for c in cells]) if runs > 1 else cells[0]["rows"]
    return yearly, per_area_frame(market, cells)


def per_area_frame(market: Market, cells: list[dict]):
    """The per-area-service table of ``simulate_per_area`` from runs of ``run_with_cells``."""
    import pandas as pd

    first = np.vstack([c["first"] for c in cells])
    frame = pd.DataFrame(
        {
            "area_code": [market.area_codes[a] for a in market.lot_area],
            "service_id": [market.service_ids[s] for s in market.lot_service],
        }
    )
    # Percentiles that are observed years, so "never" (inf) is never averaged with a year.
    for name, q in (("", 50), ("_p10", 10), ("_p90", 90)):
        years = np.percentile(first, q, axis=0, method="inverted_cdf")
        frame[f"first_change_year{name}"] = _year_or_never(years)
    frame["share_of_runs_changed"] = np.isfinite(first).mean(axis=0)
    frame["share_of_runs_failed"] = np.vstack([c["failed"] for c in cells]).mean(axis=0)
    # Money per area-service: its indicative value, and what it costs at the end (medians).
    frame["annual_value_gbp"] = np.where(np.isnan(market.cell_value), np.nan, market.cell_value)
    price = np.median(np.vstack([c["price"] for c in cells]), axis=0)
    frame["price_index_at_end"] = price
    frame["spend_at_end_gbp"] = frame["annual_value_gbp"] * price
    kinds = np.vstack([c["kind"] for c in cells])
    for kind in sorted(set(kinds.ravel())):
        frame[f"final_{kind}"] = (kinds == kind).mean(axis=0)
    return frame


def changed_by(cells: list[dict], year: int) -> np.ndarray:
    """Per area-service: the share of runs in which it had changed hands by ``year``."""
    return (np.vstack([c["first"] for c in cells]) <= year).mean(axis=0)


def _year_or_never(values: np.ndarray):
    """Years as whole numbers; "never within the horizon" (inf) as missing."""
    import pandas as pd

    return pd.array(np.where(np.isfinite(values), np.round(values), np.nan), dtype="Int64")
