"""Many runs: Monte Carlo medians and bands, whatever the number of processes."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np

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
