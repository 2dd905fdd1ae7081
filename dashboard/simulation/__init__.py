"""Rounds of franchise bidding, year by year: the centrifuge (engine v2).

The package is split by job, as GerryChain splits its own:

- ``settings``: the settings of a run, and settings files (``[market]``, ``[rules]``, ``[scope]``);
- ``market``: what is tendered, the scope and its units, prepared once from the baseline;
- ``money``: indicative £ values per area-service, from cited national totals;
- ``firms``: today's holders, the operator of last resort and simulated firms with finance;
- ``rules``: the franchiser's procurement and failure rules;
- ``engine``: a run, as an iterator of yearly states; ``tender``: the tender of each unit;
- ``metrics``: the figures of each year and their medians over runs;
- ``runs``: Monte Carlo over spawned seeds; ``views``: tables and map frames;
- ``calibration``: the history scenarios and patterns the engine must reproduce.

All randomness comes from one injected :class:`numpy.random.Generator`: the same settings and
seed give identical results. The model is documented in ``docs/simulation.md``.
"""

from dashboard.simulation.engine import YearState, run
from dashboard.simulation.firms import ENTRANTS, SIMULATED_KINDS
from dashboard.simulation.market import LOCALLY_ACCOUNTABLE, RISK_LEVEL, Market
from dashboard.simulation.metrics import (
    METRICS,
    band_frame,
    cumulative,
    half_life,
    hazard,
    median_run,
    summarise,
    yearly_metrics,
)
from dashboard.simulation.runs import (
    changed_by,
    market_for,
    per_area_frame,
    run_with_cells,
    seeds_for,
    settings_dict,
    simulate,
    simulate_per_area,
    tender_log,
)
from dashboard.simulation.settings import Settings, SettingsError
from dashboard.simulation.views import first_change_frame, holders_in, map_frame, share_frame

__all__ = [
    "ENTRANTS",
    "LOCALLY_ACCOUNTABLE",
    "METRICS",
    "RISK_LEVEL",
    "SIMULATED_KINDS",
    "Market",
    "Settings",
    "SettingsError",
    "YearState",
    "band_frame",
    "changed_by",
    "cumulative",
    "first_change_frame",
    "half_life",
    "hazard",
    "holders_in",
    "map_frame",
    "market_for",
    "median_run",
    "per_area_frame",
    "run",
    "run_with_cells",
    "seeds_for",
    "settings_dict",
    "share_frame",
    "simulate",
    "simulate_per_area",
    "summarise",
    "tender_log",
    "yearly_metrics",
]
