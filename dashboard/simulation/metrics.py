"""The figures of a year, over the area-services in scope, and their medians over many runs.

Shares count area-services (cells); ``failure_rate``, ``tenders`` and ``last_resort_lots``
count tender units (franchises). Money is in £ a year over the cells with a known value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Every per-year figure with a median and a 10–90% band (``kind_shares`` is summarised apart).
METRICS = [
    "incumbent_share",
    "incumbent_share_population",
    "elected_share_population",
    "public_share",
    "distinct_holders",
    "owning_groups",
    "groups_holding_90",
    "bids_per_tender",
    "hhi",
    "fragmentation",
    "tenders",
    "failures",
    "failure_rate",
    "terminations",
    "insolvencies",
    "last_resort_lots",
    "cost_index",
    "in_house_cost_index",
    "spend_gbp",
    "savings_gbp",
    "transition_cost_gbp",
    "termination_cost_gbp",
    "at_stake_gbp",
]


def year_figures(run, cells: np.ndarray, tally: dict | None, failures: int) -> dict:
    """The figures of one year of ``run`` (an ``engine._Run``); ``tally`` is None for the
    baseline, year 0."""
    market, b = run.m, run.b
    n_bidders = len(b.ids)
    lots = market.lots
    counts = np.bincount(cells, minlength=n_bidders)
    kept = cells == market.original
    elected = kept & market.original_elected
    weight = market.area_population[market.lot_area]
    known = ~np.isnan(weight)
    pairs = np.unique(market.lot_area * (n_bidders + 1) + cells)
    per_area = np.bincount(pairs // (n_bidders + 1), minlength=len(market.area_codes))
    kinds: dict[str, float] = {}
    for holder in np.flatnonzero(counts):
        kinds[b.kinds[holder]] = kinds.get(b.kinds[holder], 0.0) + counts[holder] / lots
    firm = run.holder >= b.first_firm
    owners = b.owner[run.holder[firm]]
    group_lots = np.sort(np.bincount(owners, minlength=n_bidders))[::-1]
    group_lots = group_lots[group_lots > 0]
    cover = np.cumsum(group_lots) / group_lots.sum() if len(group_lots) else np.zeros(0)
    price_cells = run.price[market.unit_of]
    value = market.cell_value
    has_value = ~np.isnan(value)
    spend = float(np.sum(price_cells[has_value] * value[has_value]))
    today = float(np.sum(value[has_value]))
    in_house = run.holder == run.u["lead"]
    tally = tally or {}
    tenders = tally.get("tenders", 0)
    money = has_value.any()
    return {
        "incumbent_share": float(np.mean(kept)),
        # Weighted by residents, over the area-services whose area has a population figure.
        "incumbent_share_population": float(np.average(kept[known], weights=weight[known]))
        if known.any()
        else None,
        # Residents whose area-service is run by a body they elect (their own council or
        # mayor), over the area-services whose area has a population figure.
        "elected_share_population": float(np.average(elected[known], weights=weight[known]))
        if known.any()
        else None,
        "public_share": float(np.mean(cells < b.n_public)),
        "distinct_holders": int(np.count_nonzero(counts)),
        "owning_groups": len(group_lots),
        "groups_holding_90": int(np.searchsorted(cover, 0.9 - 1e-9) + 1) if len(cover) else 0,
        "bids_per_tender": tally["bids"] / tenders if tenders else None,
        "hhi": _hhi(market, b, cells),
        "fragmentation": float(np.mean(per_area)),
        "tenders": int(tenders),
        "failures": int(failures),
        "failure_rate": tally.get("terminations", 0) / run.n,
        "terminations": int(tally.get("terminations", 0)),
        "insolvencies": int(tally.get("insolvencies", 0)),
        "last_resort_lots": int(np.sum(run.holder == b.last_resort)),
        "cost_index": float(np.sum(run.price * run.value) / np.sum(run.value)),
        "in_house_cost_index": float(
            np.sum(run.price[in_house] * run.value[in_house]) / np.sum(run.value[in_house])
        )
        if in_house.any()
        else None,
        "spend_gbp": spend if money else None,
        "savings_gbp": today - spend if money else None,
        "transition_cost_gbp": float(tally.get("transition", 0.0)) if money else None,
        "termination_cost_gbp": float(tally.get("termination", 0.0)) if money else None,
        "at_stake_gbp": float(tally.get("stake", 0.0)) if money else None,
        "kind_shares": dict(sorted(kinds.items())),
        # £ a year paid for each service, over its cells with a known value.
        "spend_by_service": {
            market.service_ids[v]: float(
                np.sum((price_cells * value)[has_value & (market.lot_service == v)])
            )
            for v in np.unique(market.lot_service[has_value])
        },
    }


def _hhi(market, b, cells: np.ndarray) -> float:
    """Concentration: for each service, the Herfindahl–Hirschman index of its value by owning
    group (a public body is its own owner; acquired firms count with their buyer), averaged
    over services weighted by their value. 1 is one owner per service across the scope."""
    owner = b.owner[cells]
    weight = market.cell_weight
    total, out = weight.sum(), 0.0
    for s in np.unique(market.lot_service):
        here = market.lot_service == s
        by_owner = np.bincount(owner[here], weight[here])
        share = by_owner[by_owner > 0] / by_owner.sum()
        out += np.sum(share**2) * weight[here].sum() / total
    return float(out)


def yearly_metrics(states) -> list[dict]:
    """The per-year rows of the ``simulate --json`` contract."""
    return [{"year": s.year, **s.metrics} for s in states]


def summarise(results: list[list[dict]]) -> list[dict]:
    """Median and 10–90% band of every figure, year by year, over several runs (a figure that
    is undefined in some runs, such as bids per tender in a year without tenders, is taken over
    the runs that have it; None when none has)."""
    rows = []
    for year_rows in zip(*results, strict=True):
        row: dict = {"year": year_rows[0]["year"]}
        for name in METRICS:
            values = np.array([r[name] for r in year_rows if r[name] is not None], dtype=float)
            if len(values) == 0:
                row[name] = row[f"{name}_p10"] = row[f"{name}_p90"] = None
                continue
            row[name] = float(np.median(values))
            row[f"{name}_p10"] = float(np.percentile(values, 10))
            row[f"{name}_p90"] = float(np.percentile(values, 90))
        for shares in ("kind_shares", "spend_by_service"):
            keys = sorted({k for r in year_rows for k in r[shares]})
            row[shares] = {
                k: float(np.median([r[shares].get(k, 0.0) for r in year_rows])) for k in keys
            }
        rows.append(row)
    return rows


def cumulative(results: list[list[dict]], name: str) -> list[dict]:
    """Per year, the median and 10–90% band over runs of ``name`` summed from year 1 to that
    year (None where the figure is unknown)."""
    if any(rows[0][name] is None for rows in results):
        return [{"year": r["year"], "median": None, "p10": None, "p90": None} for r in results[0]]
    totals = np.cumsum([[r[name] for r in rows] for rows in results], axis=1)
    return [
        {
            "year": row["year"],
            "median": float(np.median(totals[:, i])),
            "p10": float(np.percentile(totals[:, i], 10)),
            "p90": float(np.percentile(totals[:, i], 90)),
        }
        for i, row in enumerate(results[0])
    ]


def median_run(results: list[list[dict]], figure: str = "incumbent_share") -> int:
    """The run whose ``figure`` stays closest to the median over the years (least squares):
    the one to show as an example of the many."""
    values = np.array([[r[figure] for r in rows] for rows in results], dtype=float)
    middle = np.median(values, axis=0)
    return int(np.argmin(((values - middle) ** 2).sum(axis=1)))


def half_life(rows: list[dict]) -> int | None:
    """Years until the incumbent share first falls below one half (None if it never does)."""
    for row in rows[1:]:
        if row["incumbent_share"] < 0.5:
            return int(row["year"] - rows[0]["year"])
    return None


def hazard(rows: list[dict], first: int = 1) -> float:
    """Terminations per franchise-year from year ``first`` on (one run's rows)."""
    years = rows[first:]
    return float(np.mean([r["failure_rate"] for r in years])) if years else 0.0


def band_frame(rows: list[dict], setting: str, names=None) -> pd.DataFrame:
    """Long table for charts: year, metric, value, low, high (the 10–90% band when there is
    one, else the value) and the setting's label."""
    records = []
    for row in rows:
        for name in names or METRICS:
            value = row[name]
            records.append(
                {
                    "year": row["year"],
                    "metric": name,
                    "value": value,
                    "low": row.get(f"{name}_p10", value),
                    "high": row.get(f"{name}_p90", value),
                    "setting": setting,
                }
            )
    return pd.DataFrame(records)
