"""Rounds of franchise bidding, year by year: the centrifuge.

Every area × service is a lot. Year one tenders every lot ("business as usual": incumbents bid
to keep what they run, and mostly do). After that, a lot is tendered when its term ends or its
holder fails. Bidders have capacity, regional presence, capability per service family and an
appetite for risk; the franchiser scores price against quality, with a local-voice weight and an
incumbent advantage. Every rule and default is explained in ``docs/simulation.md``.

All randomness comes from one injected :class:`numpy.random.Generator`: the same settings and
seed give identical results. :func:`run` is an iterator of yearly :class:`YearState` objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from dashboard import holdings, population
from dashboard.franchises import Baseline

RISK_LEVEL = {"low": 0.2, "medium": 0.5, "high": 0.8}
#: Organisation kinds whose holder answers to a locally elected body.
LOCALLY_ACCOUNTABLE = {
    "local_authority",
    "combined_authority",
    "joint_board",
    "police",
    "fire",
    "mutual",
    "charity",
}
#: Simulated entrant types: (kind, label, share of entrants, cost, margin, optimism, appetite).
ENTRANTS = {
    "outsourcer": ("private", "outsourcer", 0.22, 0.90, 0.08, 0.08, 0.50),
    "sme": ("sme", "small business", 0.28, 0.95, 0.05, 0.05, 0.50),
    "spin_out": ("mutual", "public-service spin-out", 0.22, 0.97, 0.03, 0.02, 0.75),
    "utility": ("utility", "utility", 0.10, 0.92, 0.05, 0.03, 0.40),
    "charity": ("charity", "charity", 0.18, 0.98, 0.02, 0.02, 0.80),
}
METRICS = [
    "incumbent_share",
    "incumbent_share_population",
    "distinct_holders",
    "hhi",
    "fragmentation",
    "tenders",
    "failures",
    "cost_index",
]


@dataclass(frozen=True)
class Settings:
    """Everything a run depends on, besides the data and the random generator."""

    years: int = 30
    term: int = 7
    failure_tolerance: float = 0.2
    incumbent_advantage: float = 0.08
    price_weight: float = 0.4
    spec: str = "outcome"  # "outcome" rewards quality spread; "input" narrows it
    local_voice: float = 0.05
    challengers: int = 40  # challengers in the market at the first round
    entry_rate: float = 3.0  # new challengers per year, on average
    start_year: int = 2026

    def check(self) -> None:
        """Raise ValueError naming the first setting out of range."""
        rules = [
            (1 <= self.years <= 100, "years must be between 1 and 100"),
            (1 <= self.term <= 50, "term must be between 1 and 50 years"),
            (0 <= self.failure_tolerance <= 1, "failure tolerance must be between 0 and 1"),
            (0 <= self.incumbent_advantage <= 1, "incumbent advantage must be between 0 and 1"),
            (0 <= self.price_weight <= 1, "price weight must be between 0 and 1"),
            (self.spec in ("outcome", "input"), "spec must be 'outcome' or 'input'"),
            (0 <= self.local_voice <= 1, "local voice must be between 0 and 1"),
            (0 <= self.challengers <= 1000, "challengers must be between 0 and 1000"),
            (0 <= self.entry_rate <= 100, "entry rate must be between 0 and 100 a year"),
        ]
        for ok, message in rules:
            if not ok:
                raise ValueError(message)


@dataclass
class Market:
    """The lots and the public incumbents, prepared once from the baseline (no randomness)."""

    area_codes: list[str]
    service_ids: list[str]
    lot_area: np.ndarray  # int index into area_codes
    lot_service: np.ndarray  # int index into service_ids
    lot_family: np.ndarray  # int index into families
    lot_risk: np.ndarray  # float risk level
    lot_region: np.ndarray  # int index into regions
    original: np.ndarray  # bidder index of today's holder
    families: list[str]
    regions: list[str]
    bidder_ids: list[str]
    bidder_names: list[str]
    bidder_kinds: list[str]
    # Tender units: a scenario's lot (its package over its areas) or one area-service.
    unit_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    unit_names: list[str] = field(default_factory=list)
    scenario: str | None = None
    # Residents per area (index into area_codes); NaN where no figure is sourced.
    area_population: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def from_baseline(
        cls,
        baseline: Baseline,
        areas: pd.DataFrame,
        lots: dict[str, list[str]] | None = None,
        package: list[str] | None = None,
        scenario: str | None = None,
    ) -> Market:
        """Every area and service held today; ``areas`` has code, country, region and, where
        known, population (else the shipped figures are used). With
        ``lots`` (lot name -> area codes) and ``package`` (its services), each lot's package is
        tendered as one unit; every other area-service is tendered on its own."""
        table = holdings.current(baseline)
        table = table[table["area_code"].isin(set(areas["code"]))]
        services = baseline.services.set_index("id")
        region_of = {
            row.code: (row.region if isinstance(row.region, str) and row.region else row.country)
            for row in areas.itertuples()
        }
        area_codes = sorted(set(table["area_code"]))
        people = (areas if "population" in areas else population.attach(areas)).set_index("code")
        area_population = people["population"].reindex(area_codes).astype("Float64")
        service_ids = [s for s in baseline.services["id"] if s in set(table["service_id"])]
        families = sorted(set(services.loc[service_ids, "family"]))
        regions = sorted(set(region_of[a] for a in area_codes))
        bidder_ids = sorted(set(table["holder_id"]))
        orgs = baseline.organisations.set_index("id")
        table = table.sort_values(["area_code", "service_id"])
        index = {name: i for i, name in enumerate(bidder_ids)}
        unit_names = [
            f"{a} {s}" for a, s in zip(table["area_code"], table["service_id"], strict=True)
        ]
        unit_of = np.arange(len(table))
        if lots:
            lot_of_area = {code: name for name, codes in lots.items() for code in codes}
            bundled = (
                table["area_code"].map(lot_of_area).where(table["service_id"].isin(package or []))
            )
            names = list(dict.fromkeys(n for n in bundled if isinstance(n, str)))
            position = {name: i for i, name in enumerate(names)}
            next_unit = len(names)
            unit_of = np.empty(len(table), dtype=int)
            unit_names = list(names)
            for i, (lot, code, service) in enumerate(
                zip(bundled, table["area_code"], table["service_id"], strict=True)
            ):
                if isinstance(lot, str):
                    unit_of[i] = position[lot]
                else:
                    unit_of[i] = next_unit
                    unit_names.append(f"{code} {service}")
                    next_unit += 1
        return cls(
            area_codes=area_codes,
            service_ids=service_ids,
            lot_area=table["area_code"].map({a: i for i, a in enumerate(area_codes)}).to_numpy(),
            lot_service=table["service_id"]
            .map({s: i for i, s in enumerate(service_ids)})
            .to_numpy(),
            lot_family=table["service_id"]
            .map(lambda s: families.index(services.at[s, "family"]))
            .to_numpy(),
            lot_risk=table["service_id"]
            .map(lambda s: RISK_LEVEL.get(services.at[s, "risk"], 0.5))
            .to_numpy(),
            lot_region=table["area_code"].map(lambda a: regions.index(region_of[a])).to_numpy(),
            original=table["holder_id"].map(index).to_numpy(),
            families=families,
            regions=regions,
            bidder_ids=bidder_ids,
            bidder_names=[str(orgs.at[b, "name"]) for b in bidder_ids],
            bidder_kinds=[str(orgs.at[b, "kind"]) for b in bidder_ids],
            unit_of=unit_of,
            unit_names=unit_names,
            scenario=scenario,
            area_population=area_population.to_numpy(dtype=float, na_value=np.nan),
        )

    @property
    def lots(self) -> int:
        """Area-services (cells): 361 × 8 for the whole UK."""
        return len(self.original)

    @property
    def units(self) -> int:
        """What is tendered: a scenario's lots, plus every area-service outside them."""
        return int(self.unit_of.max()) + 1 if len(self.unit_of) else self.lots

    def unit_arrays(self) -> dict:
        """Per unit: size, family weights, risk (the highest), region (the commonest), lead
        original holder (the one holding most of its cells)."""
        unit_of = self.unit_of if len(self.unit_of) else np.arange(self.lots)
        n = int(unit_of.max()) + 1
        size = np.bincount(unit_of, minlength=n)
        weights = np.zeros((n, len(self.families)))
        np.add.at(weights, (unit_of, self.lot_family), 1.0)
        weights /= size[:, None]
        risk = np.zeros(n)
        np.maximum.at(risk, unit_of, self.lot_risk)
        region = np.zeros(n, dtype=int)
        lead = np.zeros(n, dtype=int)
        order = np.argsort(unit_of, kind="stable")
        bounds = np.searchsorted(unit_of[order], np.arange(n + 1))
        cells = [order[bounds[u] : bounds[u + 1]] for u in range(n)]
        for u, members in enumerate(cells):
            region[u] = np.bincount(self.lot_region[members]).argmax()
            lead[u] = np.bincount(self.original[members]).argmax()
        return {
            "unit_of": unit_of,
            "size": size,
            "weights": weights,
            "risk": risk,
            "region": region,
            "lead": lead,
            "cells": cells,
            "original": self.original,
        }


@dataclass
class _Bidders:
    """All bidders, public incumbents first; simulated challengers are appended as they enter."""

    ids: list[str]
    names: list[str]
    kinds: list[str]
    simulated: list[bool]
    capability: np.ndarray  # bidders × families
    presence: np.ndarray  # bidders × regions (bool)
    appetite: np.ndarray
    capacity: np.ndarray  # lots a bidder can run at once (public incumbents: their own lots)
    cost: np.ndarray
    margin: np.ndarray
    optimism: np.ndarray
    local: np.ndarray  # bool
    n_public: int = 0  # bidders before this index are today's (public) holders
    counter: dict[str, int] = field(default_factory=dict)

    def add(self, rng: np.random.Generator, market: Market, kind_key: str) -> None:
        kind, label, _share, cost, margin, optimism, appetite = ENTRANTS[kind_key]
        n_regions, n_families = len(market.regions), len(market.families)
        capability = np.zeros(n_families)
        presence = np.zeros(n_regions, dtype=bool)
        if kind_key == "outsourcer":
            presence[:] = True
            capability[:] = rng.uniform(0.45, 0.65, n_families)
            capacity = int(rng.integers(60, 160))
        elif kind_key == "sme":
            presence[rng.integers(n_regions)] = True
            capability[rng.integers(n_families)] = rng.uniform(0.5, 0.7)
            capacity = int(rng.integers(2, 9))
        elif kind_key == "spin_out":
            presence[rng.integers(n_regions)] = True
            capability[rng.integers(n_families)] = rng.uniform(0.58, 0.72)
            capacity = int(rng.integers(3, 16))
        elif kind_key == "utility":
            presence[rng.choice(n_regions, size=min(3, n_regions), replace=False)] = True
            if "benefits" in market.families:
                capability[market.families.index("benefits")] = rng.uniform(0.55, 0.7)
            else:
                capability[rng.integers(n_families)] = rng.uniform(0.55, 0.7)
            capacity = int(rng.integers(20, 41))
        else:  # charity
            presence[rng.choice(n_regions, size=min(2, n_regions), replace=False)] = True
            if "social_care" in market.families:
                capability[market.families.index("social_care")] = rng.uniform(0.55, 0.72)
            else:
                capability[rng.integers(n_families)] = rng.uniform(0.55, 0.72)
            capacity = int(rng.integers(5, 16))
        self.counter[kind_key] = self.counter.get(kind_key, 0) + 1
        number = self.counter[kind_key]
        self.ids.append(f"simulated-{kind_key.replace('_', '-')}-{number}")
        self.names.append(f"Simulated {label} {number}")
        self.kinds.append(kind)
        self.simulated.append(True)
        self.capability = np.vstack([self.capability, capability])
        self.presence = np.vstack([self.presence, presence])
        self.appetite = np.append(self.appetite, appetite + rng.normal(0, 0.05))
        self.capacity = np.append(self.capacity, capacity)
        self.cost = np.append(self.cost, cost * rng.uniform(0.97, 1.03))
        self.margin = np.append(self.margin, margin)
        self.optimism = np.append(self.optimism, optimism)
        self.local = np.append(self.local, kind in LOCALLY_ACCOUNTABLE)


def _incumbents(market: Market, rng: np.random.Generator) -> _Bidders:
    n = len(market.bidder_ids)
    capability = np.zeros((n, len(market.families)))
    presence = np.zeros((n, len(market.regions)), dtype=bool)
    base = np.clip(rng.normal(0.6, 0.04, n), 0.45, 0.75)
    for lot in range(market.lots):
        b = market.original[lot]
        capability[b, market.lot_family[lot]] = base[b]
        presence[b, market.lot_region[lot]] = True
    return _Bidders(
        ids=list(market.bidder_ids),
        names=list(market.bidder_names),
        kinds=list(market.bidder_kinds),
        simulated=[False] * n,
        capability=capability,
        presence=presence,
        appetite=np.ones(n),
        capacity=np.zeros(n, dtype=int),  # public incumbents bid only for their own lots
        cost=np.ones(n),
        margin=np.zeros(n),
        optimism=np.zeros(n),
        local=np.array([k in LOCALLY_ACCOUNTABLE for k in market.bidder_kinds]),
        n_public=n,
    )


@dataclass(frozen=True)
class YearState:
    """The market after one year: who holds each lot, and that year's figures."""

    year: int
    holder: np.ndarray  # bidder index per lot
    metrics: dict
    bidder_ids: tuple[str, ...]
    bidder_names: tuple[str, ...]
    bidder_kinds: tuple[str, ...]


def _metrics(
    market: Market,
    bidders: _Bidders,
    holder: np.ndarray,
    price: np.ndarray,
    tenders: int,
    failures: int,
) -> dict:
    lots = market.lots
    counts = np.bincount(holder, minlength=len(bidders.ids))
    shares = counts[counts > 0] / lots
    pairs = np.unique(market.lot_area * (len(bidders.ids) + 1) + holder)
    per_area = np.bincount(pairs // (len(bidders.ids) + 1), minlength=len(market.area_codes))
    kinds: dict[str, float] = {}
    for b in np.flatnonzero(counts):
        kinds[bidders.kinds[b]] = kinds.get(bidders.kinds[b], 0.0) + counts[b] / lots
    kept = holder == market.original
    weight = market.area_population[market.lot_area] if len(market.area_population) else None
    known = ~np.isnan(weight) if weight is not None else None
    return {
        "incumbent_share": float(np.mean(kept)),
        # Weighted by residents, over the area-services whose area has a population figure.
        "incumbent_share_population": float(np.average(kept[known], weights=weight[known]))
        if known is not None and known.any()
        else None,
        "distinct_holders": len(shares),
        "hhi": float(np.sum(shares**2)),
        "fragmentation": float(np.mean(per_area)),
        "tenders": int(tenders),
        "failures": int(failures),
        "cost_index": float(np.mean(price)),
        "kind_shares": dict(sorted(kinds.items())),
    }


def _spawn_challengers(
    bidders: _Bidders, market: Market, rng: np.random.Generator, count: int
) -> None:
    keys = list(ENTRANTS)
    weights = np.array([ENTRANTS[k][2] for k in keys])
    for _ in range(count):
        bidders.add(rng, market, keys[rng.choice(len(keys), p=weights / weights.sum())])


@dataclass
class _Book:
    """Who holds what during a run: per area-service (``holder``) and per tender unit."""

    units: dict  # Market.unit_arrays()
    holder: np.ndarray  # bidder per area-service
    unit_holder: np.ndarray  # bidder per unit (a consortium's lead when the originals hold it)
    consortium: np.ndarray  # the original holders' average capability per unit
    promised: np.ndarray
    quality: np.ndarray
    price: np.ndarray

    def load(self, bidders: _Bidders) -> np.ndarray:
        """Area-services each challenger runs now (public holders are not counted)."""
        load = np.bincount(self.unit_holder, self.units["size"], len(bidders.ids)).astype(int)
        load[: bidders.n_public] = 0
        return load


def run(settings: Settings, market: Market, rng: np.random.Generator) -> Iterator[YearState]:
    """Yearly states: the baseline first (``start_year``), then one per simulated year."""
    settings.check()
    units = market.unit_arrays()
    n_units = len(units["size"])
    bidders = _incumbents(market, rng)
    _spawn_challengers(bidders, market, rng, settings.challengers)
    # Today's holders, cell by cell; a unit is led by the original holder of most of its cells.
    cell_capability = bidders.capability[market.original, market.lot_family]
    consortium = np.bincount(units["unit_of"], cell_capability, n_units) / units["size"]
    book = _Book(
        units=units,
        holder=market.original.copy(),
        unit_holder=units["lead"].copy(),
        consortium=consortium,
        promised=consortium.copy(),
        quality=consortium.copy(),
        price=np.ones(n_units),
    )
    term_end = np.zeros(n_units, dtype=int)  # year 1 tenders everything
    failed = np.zeros(n_units, dtype=bool)
    yield _state(settings.start_year, market, bidders, book.holder, np.ones(market.lots), 0, 0)
    for year in range(1, settings.years + 1):
        if year > 1 and settings.entry_rate > 0:
            _spawn_challengers(bidders, market, rng, int(rng.poisson(settings.entry_rate)))
        due = np.flatnonzero((term_end <= year) | failed)
        terminated = failed.copy()
        order = rng.permutation(due)
        _tender_round(order, terminated, book, bidders, settings, rng)
        # The first round's terms are staggered so later rounds do not all fall at once.
        if year == 1:
            term_end[order] = year + rng.integers(1, settings.term + 1, len(order))
        else:
            term_end[order] = year + settings.term
        noise = rng.normal(0.0, 0.03 + 0.05 * units["risk"])
        performance = book.quality + noise
        failed = performance < book.promised * (1.0 - settings.failure_tolerance)
        yield _state(
            settings.start_year + year,
            market,
            bidders,
            book.holder,
            book.price[units["unit_of"]],
            len(due),
            int(failed.sum()),
        )


def _bids(capability, columns, current, bidders, settings, rng):
    """Scores, promised and true quality and prices of bidders ``columns`` whose capability
    for each unit is ``capability`` (units × bidders, or one bidder per unit)."""
    true_quality = capability + rng.normal(0, 0.04, capability.shape)
    promised = true_quality + bidders.optimism[columns]
    # An input spec leaves bidders little room to show they differ; an outcome spec rewards it.
    shown = 0.6 + 0.3 * (promised - 0.6) if settings.spec == "input" else promised
    price = (
        bidders.cost[columns]
        * (1.0 + bidders.margin[columns])
        * (1.0 + rng.normal(0, 0.03, capability.shape))
    )
    sitting = current if capability.ndim == 1 else current[:, None]
    score = (
        settings.price_weight * np.clip((1.2 - price) / 0.4, 0.0, 1.0)
        + (1.0 - settings.price_weight) * shown
        + settings.local_voice * bidders.local[columns]
        + settings.incumbent_advantage * (columns == sitting)
    )
    return score, promised, true_quality, price


def _tender_round(order, terminated, book: _Book, bidders: _Bidders, settings, rng):
    """Tender the units in ``order``, one after another (capacity, counted in area-services,
    fills as units are won).

    Each unit's original holders bid together, led by the one holding most of its cells, to
    keep or win it back; challengers bid where they are present, capable, have room and the
    risk suits their appetite. A holder terminated for failure may not bid for the unit it
    failed; if nobody else bids, it carries on as provider of last resort, so every
    area-service always has exactly one holder."""
    if len(order) == 0:
        return
    units, n_public, load = book.units, bidders.n_public, book.load(bidders)
    current = book.unit_holder[order]
    lead = units["lead"][order]
    size = units["size"][order]
    challengers = np.arange(n_public, len(bidders.ids))
    capability = units["weights"][order] @ bidders.capability[challengers].T
    eligible = (
        (capability > 0)
        & bidders.presence[challengers][:, units["region"][order]].T
        & (
            rng.random((len(order), len(challengers)))
            < _willingness(bidders.appetite[challengers][None, :], units["risk"][order][:, None])
        )
    )
    sitting = current[:, None] == challengers[None, :]
    eligible |= sitting  # a sitting challenger may always rebid
    eligible &= ~(sitting & terminated[order][:, None])
    c_score, c_promised, c_quality, c_price = _bids(
        capability, challengers[None, :], current, bidders, settings, rng
    )
    o_score, o_promised, o_quality, o_price = _bids(
        book.consortium[order], lead, current, bidders, settings, rng
    )
    lead_barred = terminated[order] & (current == lead)
    for i, unit in enumerate(order):
        room = (load[challengers] + size[i] <= bidders.capacity[challengers]) | sitting[i]
        row = np.where(eligible[i] & room, c_score[i], -np.inf)
        best = int(np.argmax(row)) if len(row) else -1
        challenger_wins = best >= 0 and np.isfinite(row[best])
        if challenger_wins and (lead_barred[i] or row[best] > o_score[i]):
            winner = int(challengers[best])
            values = c_promised[i, best], c_quality[i, best], c_price[i, best]
        else:
            winner = int(lead[i])
            values = o_promised[i], o_quality[i], o_price[i]
        if winner != current[i]:
            if current[i] >= n_public:
                load[current[i]] -= size[i]
            if winner >= n_public:
                load[winner] += size[i]
        book.unit_holder[unit] = winner
        cells = units["cells"][unit]
        # When the original holders win, they carry on together: each runs its own cells.
        book.holder[cells] = units["original"][cells] if winner == lead[i] else winner
        book.promised[unit], book.quality[unit], book.price[unit] = values


def _willingness(appetite: np.ndarray, risk: float) -> np.ndarray:
    """Chance that a bidder with this appetite for risk bids for a lot this risky."""
    return 1.0 / (1.0 + np.exp(-(appetite - risk) / 0.12))


def _state(year, market, bidders, holder, price, tenders, failures) -> YearState:
    return YearState(
        year=year,
        holder=holder.copy(),
        metrics=_metrics(market, bidders, holder, price, tenders, failures),
        bidder_ids=tuple(bidders.ids),
        bidder_names=tuple(bidders.names),
        bidder_kinds=tuple(bidders.kinds),
    )


def yearly_metrics(states: list[YearState] | Iterator[YearState]) -> list[dict]:
    """The per-year rows of the ``simulate --json`` contract."""
    return [{"year": s.year, **s.metrics} for s in states]


def _one_run(args: tuple[Settings, Market, np.random.SeedSequence]) -> list[dict]:
    settings, market, seed = args
    return yearly_metrics(run(settings, market, np.random.default_rng(seed)))


def simulate(settings: Settings, market: Market, seed: int, runs: int = 1, workers: int = 1):
    """Per-year metrics: one run, or with ``runs`` > 1 the median with ``<name>_p10`` and
    ``<name>_p90`` over independent runs (seeds spawned from ``seed``; the result does not
    depend on ``workers``)."""
    settings.check()
    if runs < 1 or runs > 10_000:
        raise ValueError("runs must be between 1 and 10000")
    if runs == 1:
        return _one_run((settings, market, np.random.SeedSequence(seed)))
    seeds = np.random.SeedSequence(seed).spawn(runs)
    jobs = [(settings, market, s) for s in seeds]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_one_run, jobs, chunksize=max(1, runs // (4 * workers))))
    else:
        results = [_one_run(job) for job in jobs]
    return summarise(results)


def summarise(results: list[list[dict]]) -> list[dict]:
    """Median and 10–90% band of every figure, year by year, over several runs."""
    rows = []
    for year_rows in zip(*results, strict=True):
        row: dict = {"year": year_rows[0]["year"]}
        for name in METRICS:
            if any(r[name] is None for r in year_rows):
                row[name] = row[f"{name}_p10"] = row[f"{name}_p90"] = None
                continue
            values = np.array([r[name] for r in year_rows], dtype=float)
            row[name] = float(np.median(values))
            row[f"{name}_p10"] = float(np.percentile(values, 10))
            row[f"{name}_p90"] = float(np.percentile(values, 90))
        kinds = sorted({k for r in year_rows for k in r["kind_shares"]})
        row["kind_shares"] = {
            k: float(np.median([r["kind_shares"].get(k, 0.0) for r in year_rows])) for k in kinds
        }
        rows.append(row)
    return rows


def settings_dict(settings: Settings, seed: int, runs: int) -> dict:
    return {**asdict(settings), "seed": seed, "runs": runs}


def holders_in(state: YearState, market: Market) -> pd.DataFrame:
    """area_code, service_id, holder, holder_kind and simulated flag of every lot in a year."""
    return pd.DataFrame(
        {
            "area_code": [market.area_codes[a] for a in market.lot_area],
            "service_id": [market.service_ids[s] for s in market.lot_service],
            "holder_id": [state.bidder_ids[b] for b in state.holder],
            "holder": [state.bidder_names[b] for b in state.holder],
            "holder_kind": [state.bidder_kinds[b] for b in state.holder],
            "incumbent": state.holder == market.original,
        }
    )


def half_life(rows: list[dict]) -> int | None:
    """Years until the incumbent share first falls below one half (None if it never does)."""
    for row in rows[1:]:
        if row["incumbent_share"] < 0.5:
            return int(row["year"] - rows[0]["year"])
    return None


def map_frame(
    state: YearState,
    market: Market,
    service_id: str,
    colour_by: str,
    adjacency: dict[str, set[str]] | None = None,
) -> pd.DataFrame:
    """code, key, label and colour of every area for one service in one simulated year."""
    from dashboard import atlas, franchises

    table = holders_in(state, market)
    table = table[table["service_id"] == service_id]
    if colour_by == "kind":
        keys, labels = table["holder_kind"], table["holder_kind"].map(franchises.KINDS)
    else:
        keys, labels = table["holder_id"], table["holder"]
    frame = pd.DataFrame(
        {"code": table["area_code"].to_numpy(), "key": keys.to_numpy(), "label": labels.to_numpy()}
    )
    frame["label"] = frame["label"].fillna(frame["key"])
    frame["colour"] = frame["key"].map(atlas.colours_for(frame, colour_by, adjacency))
    return frame


def band_frame(rows: list[dict], setting: str) -> pd.DataFrame:
    """Long table for charts: year, metric, value, low, high (the 10–90% band when there is
    one, else the value) and the setting's label."""
    records = []
    for row in rows:
        for name in METRICS:
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
