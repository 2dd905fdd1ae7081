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


def many(settings: Settings, market: Market, seed: int, runs: int, workers: int = 1):
    """Each run's per-year rows; run ``i`` uses the ``i``-th seed spawned from ``seed``."""
    seeds = np.random.SeedSequence(seed).spawn(runs)
    jobs = [(settings, market, s) for s in seeds]
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
    if runs == 1:
        return one_run((settings, market, np.random.SeedSequence(seed)))
    return summarise(many(settings, market, seed, runs, workers))


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
