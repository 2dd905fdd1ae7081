"""The centrifuge: rounds of tendering year by year, as an iterator of yearly states.

A year: firms enter; a recall (if set) returns every unit to its original holders; units due
are tendered; holders deliver, are judged over the review window and may be terminated; groups
book their profit or loss, and one whose reserves run out fails with all its contracts at once;
idle groups leave and small ones are acquired. The model is described, with every default, in
``docs/simulation.md``. All randomness comes from the one generator passed in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from dashboard.simulation import metrics, rules, tender
from dashboard.simulation.firms import RESERVES, Bidders, public_holders
from dashboard.simulation.market import Market
from dashboard.simulation.settings import Settings
from dashboard.simulation.tender import LAST_RESORT_PRICE

#: Persistence of a holder's year-to-year performance (AR(1) coefficient).
PERSISTENCE = 0.7
#: Spread of yearly performance: base plus a share per unit of risk.
NOISE = (0.04, 0.10)
#: In-house slack (share of today's cost that competition can remove), low-risk units.
SLACK = (0.08, 0.20)
#: Share of its slack an in-house team sheds when first challenged, and of what is left
#: each year after while it faces competition.
FIRST_RESPONSE = 0.30
THREAT_RESPONSE = 0.15
#: An in-house service rebuilt after its team was lost costs this much of today's cost.
REBUILD = 1.05
#: A new holder's quality while it learns the service: this share in year one, rising to 1.
NEW_HOLDER_QUALITY = 0.96
#: Learning by doing: a holder's costs fall this much a year over its first five years.
LEARNING = 0.01
#: A group buys only a group this many times smaller than itself (by capacity, or by the
#: contracts it runs).
TAKEOVER = 12.0
#: Years a terminated holder is barred from the unit it failed (the Public Contracts
#: Regulations 2015, reg. 57(8)(g) and 57(11), allow exclusion for up to three years).
DEBAR_YEARS = 3
#: A group with no contract leaves the market after this many years, or sooner once it has
#: lost this many bids in a row.
IDLE_YEARS = 6
GIVE_UP = 8
#: A holder hands a contract back once its losses on it pass this share of a year's value.
HANDBACK = 0.15
#: A group running contracts gets this much cheaper a year, down to a floor.
GROUP_LEARNING = 0.005
COST_FLOOR = 0.75
#: A group is under financial stress when its reserves fall below this share of its revenue.
STRESS = 0.02


@dataclass(frozen=True)
class YearState:
    """The market after one year: who holds each area-service, and that year's figures."""

    year: int
    holder: np.ndarray  # bidder index per cell
    failed: np.ndarray  # bool per cell: terminated or its holder insolvent this year
    price: np.ndarray  # per cell: what the state pays, as a share of today's cost
    metrics: dict
    bidder_ids: tuple[str, ...]
    bidder_names: tuple[str, ...]
    bidder_kinds: tuple[str, ...]


class _Run:
    """The state of one run; ``year()`` advances it."""

    def __init__(
        self,
        settings: Settings,
        market: Market,
        rng: np.random.Generator,
        log: list | None = None,
    ):
        self.s, self.m, self.rng = settings, market, rng
        self.log = log  # when a list: one record per tender, direct award and recall
        self.u = market.unit_arrays()
        n = len(self.u["size"])
        self.n = n
        self.value = self.u["value"]
        self.known = np.bincount(
            market.unit_of, np.nan_to_num(market.cell_value), n
        )  # £ per unit, where known
        self.b: Bidders = public_holders(market, rng)
        self.b.spawn(rng, market, settings.challengers, settings.eligible_kinds)
        lead = self.u["lead"]
        cell_cap = self.b.capability[market.original, market.lot_family]
        self.consortium = np.bincount(market.unit_of, cell_cap * market.cell_weight, n) / (
            self.value
        )
        self.holder = lead.copy()  # per unit: a bidder; the lead means "the originals"
        self.price = np.ones(n)
        self.promised = self.consortium.copy()
        self.quality = self.consortium.copy()
        self.true_cost = np.ones(n)
        self.in_house = np.ones(n)
        self.slack0 = rng.uniform(*SLACK, n) * (1.0 - 0.5 * self.u["risk"])
        self.slack = self.slack0.copy()
        self.exposed = np.zeros(n, dtype=bool)
        # Tenders of each service so far: what the market has learnt of its costs.
        self.experience = np.zeros(len(market.service_ids))
        self.held = np.full(n, 30)  # years held: today's holders are long established
        self.shock = np.zeros(n)
        self.window = np.repeat(self.quality[:, None], settings.review_years, axis=1)
        self.strikes = np.zeros(n, dtype=int)
        self.pnl = np.zeros(n)  # a holder's profit on its contract so far, in years of value
        self.term_end = np.zeros(n, dtype=int)
        self.terminated = np.zeros(n, dtype=bool)
        self.debarred = np.full(n, -1)  # per unit: a holder it terminated, barred from it
        self.debar_end = np.zeros(n, dtype=int)  # … until this year
        self.cost_shock = np.zeros(len(market.families))
        # Per unit: its main service and family; per public body: services it runs, own size.
        main = [c[np.argmax(market.cell_weight[c])] for c in self.u["cells"]]
        self.unit_service = market.lot_service[main]
        self.unit_family = market.lot_family[main]
        n_pub = self.b.n_public
        self.runs = np.zeros((n_pub, len(market.service_ids)), dtype=bool)
        self.runs[market.original, market.lot_service] = True
        self.own_value = np.bincount(lead, self.value, n_pub)
        self.service_units = np.bincount(self.unit_service, minlength=len(market.service_ids))
        self.service_units = np.maximum(self.service_units, 1)
        self.recalled = False
        self.stressed = np.zeros(0, dtype=bool)

    # -- one year --------------------------------------------------------------------------
    def year(self, year: int) -> YearState:
        s, rng = self.s, self.rng
        tally = {k: 0 for k in ("tenders", "bids", "terminations", "insolvencies")}
        tally["transition"] = tally["termination"] = 0.0
        failed_units = np.zeros(self.n, dtype=bool)
        if year > 1 and s.entry_rate > 0:
            self.b.spawn(rng, self.m, int(rng.poisson(s.entry_rate)), s.eligible_kinds)
        if s.recall_year and year == s.recall_year:
            self._recall(tally, year)
        if not self.recalled:
            self._threat()
            last_resort = self.holder == self.b.last_resort
            order, extend = rules.due(
                s, year, self.term_end, self.terminated, last_resort, self.strikes, rng
            )
            self.term_end[extend] = year + s.term
            for unit in extend:
                self.record(year, unit, "direct award", bids=0)
            reasons = self._reasons(year, last_resort)
            order = rng.permutation(order)
            tender.tender(self, order, year, tally, reasons)
            if year == 1:  # staggered first terms, so later rounds do not all fall at once
                self.term_end[order] = year + rng.integers(1, s.term + 1, len(order))
            else:
                self.term_end[order] = year + s.term
        breach = self._deliver()
        self.strikes, ended = rules.strike(breach, self.strikes, s.strikes)
        ended &= self.holder != self.b.last_resort
        self.terminated = ended
        self.debarred[ended] = self.holder[ended]
        self.debar_end[ended] = year + DEBAR_YEARS
        failed_units |= ended
        tally["terminations"] += int(ended.sum())
        tally["termination"] += float(self.known[ended].sum() * s.termination_cost)
        self._book(tally, failed_units)
        self._exits_and_mergers()
        # Money at stake: what the units ended early this year, or run by the state, are worth.
        stake = failed_units | (self.holder == self.b.last_resort)
        tally["stake"] = float(self.known[stake].sum())
        cells = self.cells()
        figures = metrics.year_figures(self, cells, tally, failures=int(breach.sum()))
        return YearState(
            year=s.start_year + year,
            holder=cells,
            failed=failed_units[self.m.unit_of],
            price=self.price[self.m.unit_of].copy(),
            metrics=figures,
            bidder_ids=tuple(self.b.ids),
            bidder_names=tuple(self.b.names),
            bidder_kinds=tuple(self.b.kinds),
        )

    def cells(self) -> np.ndarray:
        """Holder per area-service: when the originals hold a unit, each runs its own cells."""
        per_cell = self.holder[self.m.unit_of]
        originals = per_cell == self.u["lead"][self.m.unit_of]
        return np.where(originals, self.m.original, per_cell)

    def award(self, unit: int, winner: int, price, promised, quality, cost, tally) -> None:
        if winner != self.holder[unit]:
            if self.holder[unit] == self.u["lead"][unit]:
                # The in-house team moves with the service: taking it back means rebuilding.
                self.in_house[unit], self.slack[unit] = REBUILD, self.slack0[unit]
            tally["transition"] += float(self.known[unit] * self.s.transition_cost)
            self.held[unit] = 0
            self.shock[unit] = self.rng.normal(0.0, self._sigma(unit))
            self.window[unit] = 0.0
        self.holder[unit] = winner
        self.pnl[unit] = 0.0
        self.price[unit], self.promised[unit] = price, promised
        self.quality[unit], self.true_cost[unit] = quality, cost
        self.strikes[unit] = 0

    def _threat(self) -> None:
        """The threat of competition: while any firm is in the market, an in-house team sheds
        ``FIRST_RESPONSE`` of its slack when it first faces a tender, and ``THREAT_RESPONSE``
        of what is left each year after."""
        if len(self.b.groups()) == 0:
            return
        own = self.holder == self.u["lead"]
        share = np.where(self.exposed, THREAT_RESPONSE, FIRST_RESPONSE)
        cut = share * self.slack * own
        self.in_house -= cut
        self.slack -= cut
        self.price = np.where(own, self.in_house, self.price)  # what the state now pays
        self.exposed |= own

    def _sigma(self, unit):
        return NOISE[0] + NOISE[1] * self.u["risk"][unit]

    def _reasons(self, year: int, last_resort: np.ndarray) -> np.ndarray:
        """Why each unit would be let this year (for the tender log)."""
        if year == 1:
            return np.full(self.n, "first round", dtype=object)
        return np.where(
            self.terminated,
            "failure",
            np.where(last_resort, "re-let after step-in", "term end"),
        ).astype(object)

    def record(self, year: int, unit: int, reason: str, bids: int) -> None:
        """One line of the tender log: the unit, what it is worth, who holds it now and why."""
        if self.log is None:
            return
        cells = self.u["cells"][unit]
        holder = self.holder[unit]
        lead = holder == self.u["lead"][unit]
        self.log.append(
            {
                "year": self.s.start_year + year,
                "lot": self.m.unit_names[unit],
                "areas": ";".join(
                    dict.fromkeys(self.m.area_codes[a] for a in self.m.lot_area[cells])
                ),
                "services": ";".join(
                    dict.fromkeys(self.m.service_ids[v] for v in self.m.lot_service[cells])
                ),
                "value_gbp": float(self.known[unit]) if self.known[unit] > 0 else None,
                "bids": bids,
                "winner_id": "original holders"
                if lead and len(set(self.m.original[cells])) > 1
                else self.b.ids[holder],
                "winner": self.b.names[holder],
                "winner_kind": self.b.kinds[holder],
                "price_index": round(float(self.price[unit]), 4),
                "reason": reason,
            }
        )

    def _recall(self, tally, year: int) -> None:
        """A policy reversal: every unit goes back to its original holders; no more tenders."""
        lead = self.u["lead"]
        for unit in np.flatnonzero(self.holder != lead):
            self.award(
                unit,
                lead[unit],
                self.in_house[unit],
                self.consortium[unit],
                self.consortium[unit],
                self.in_house[unit],
                tally,
            )
            self.record(year, unit, "recall", bids=0)
        self.terminated[:] = False
        self.recalled = True

    # -- delivery and money -----------------------------------------------------------------
    def _deliver(self) -> np.ndarray:
        """This year's delivered quality per unit; which units are in breach of tolerance."""
        s, rng = self.s, self.rng
        sigma = NOISE[0] + NOISE[1] * self.u["risk"]
        self.shock = PERSISTENCE * self.shock + np.sqrt(1 - PERSISTENCE**2) * rng.normal(0.0, sigma)
        learning = np.minimum(1.0, NEW_HOLDER_QUALITY + (1 - NEW_HOLDER_QUALITY) * self.held / 2)
        stress = np.zeros(self.n)
        if self.stressed.any():
            flags = np.zeros(len(self.b.ids), dtype=bool)
            flags[: len(self.stressed)] = self.stressed
            owner = self.b.owner[self.holder]
            stress = np.where(self.holder >= self.b.first_firm, flags[owner] * 0.05, 0.0)
        delivered = self.quality * learning * (1.0 - stress) * (1.0 + self.shock)
        self.window = np.roll(self.window, 1, axis=1)
        self.window[:, 0] = delivered
        self.held += 1
        short = rules.shortfall(self.window, self.held, self.promised)
        breach = (short > s.failure_tolerance) & (self.holder != self.b.last_resort)
        # An improvement plan (the second year in breach) claws back part of the gap.
        plan = breach & (self.strikes == 1)
        self.shock[plan] *= 0.5
        return breach

    def _book(self, tally: dict, failed_units: np.ndarray) -> None:
        """Profit or loss per group; a group whose reserves run out fails with every contract."""
        b, m, rng = self.b, self.m, self.rng
        self.cost_shock = 0.6 * self.cost_shock + rng.normal(0.0, 0.015, len(m.families))
        firm = self.holder >= b.first_firm
        family = np.argmax(self.u["weights"], axis=1)
        running = self.true_cost * (1.0 + self.cost_shock[family])
        self.true_cost = np.where(
            firm & (self.held <= 5), self.true_cost * (1 - LEARNING), self.true_cost
        )
        owner = np.where(firm, b.owner[self.holder], 0)
        n = len(b.ids)
        profit = np.bincount(owner[firm], ((self.price - running) * self.value)[firm], n)
        revenue = np.bincount(owner[firm], (self.price * self.value)[firm], n)
        b.reserves[b.first_firm :] += profit[b.first_firm :]
        # Experience: a group that runs contracts gets cheaper at what it does, to a floor.
        running_groups = np.flatnonzero(revenue > 0)
        b.cost[running_groups] = np.maximum(
            b.cost[running_groups] * (1 - GROUP_LEARNING), COST_FLOOR
        )
        # A contract losing too much is handed back: the franchiser steps in until it is re-let.
        self.pnl = np.where(firm, self.pnl + self.price - running, 0.0)
        for unit in np.flatnonzero(firm & (self.pnl < -HANDBACK)):
            self._step_in(unit, tally, failed_units)
        broke = np.flatnonzero((b.reserves < 0) & b.alive & (np.arange(n) >= b.first_firm))
        for g in broke:
            units = np.flatnonzero(firm & (owner == g))
            b.alive[g] = False
            if len(units):
                tally["insolvencies"] += 1
                for unit in units:
                    self._step_in(unit, tally, failed_units)
        self.stressed = (b.reserves < STRESS * revenue) & (revenue > 0)

    def _step_in(self, unit: int, tally: dict, failed_units: np.ndarray) -> None:
        """The holder is gone (handed back, or insolvent): the operator of last resort runs the
        unit until it is re-let next year."""
        b = self.b
        tally["terminations"] += 1
        tally["termination"] += float(self.known[unit] * self.s.termination_cost)
        failed_units[unit] = True
        quality = b.capability[b.last_resort, 0]
        self.award(
            unit, b.last_resort, LAST_RESORT_PRICE, quality, quality, LAST_RESORT_PRICE, tally
        )
        self.terminated[unit] = False

    def _exits_and_mergers(self) -> None:
        """A group with no contract leaves once it has lost ``GIVE_UP`` bids in a row, after
        ``IDLE_YEARS`` years, or when bid costs have eaten half its reserves. Each year a share
        (``merger_rate``) of groups is acquired by groups that run contracts and are at least
        ``TAKEOVER`` times their scale or book (bigger buyers more often)."""
        b, rng = self.b, self.rng
        firm = self.holder >= b.first_firm
        n = len(b.ids)
        size = np.bincount(b.owner[self.holder[firm]], self.value[firm], n)
        groups = b.groups()
        idle = size[groups] == 0
        b.idle[groups] = np.where(idle, b.idle[groups] + 1, 0)
        spent = b.reserves[groups] < 0.5 * RESERVES * b.capacity[groups]
        gone = (b.idle[groups] >= IDLE_YEARS) | (idle & (spent | (b.losing[groups] >= GIVE_UP)))
        b.alive[groups[gone]] = False
        groups = b.groups()
        if self.s.merger_rate <= 0 or len(groups) < 2:
            return
        for target in groups[rng.random(len(groups)) < self.s.merger_rate]:
            if not b.alive[target]:
                continue
            bigger = (b.capacity[groups] > TAKEOVER * b.capacity[target]) | (
                size[groups] > TAKEOVER * size[target]
            )
            buyers = groups[b.alive[groups] & (size[groups] > 0) & bigger]
            if len(buyers) == 0:
                continue
            weight = size[buyers] / size[buyers].sum()
            buyer = int(rng.choice(buyers, p=weight))
            b.acquire(buyer, target)
            size[buyer] += size[target]
            size[target] = 0


def run(
    settings: Settings, market: Market, rng: np.random.Generator, log: list | None = None
) -> Iterator[YearState]:
    """Yearly states: the baseline first (``start_year``), then one per simulated year. With
    ``log`` (a list), one record is appended per tender, direct award and recall."""
    settings.check()
    state = _Run(settings, market, rng, log)
    cells = state.cells()
    yield YearState(
        year=settings.start_year,
        holder=cells,
        failed=np.zeros(market.lots, dtype=bool),
        price=np.ones(market.lots),
        metrics=metrics.year_figures(state, cells, None, failures=0),
        bidder_ids=tuple(state.b.ids),
        bidder_names=tuple(state.b.names),
        bidder_kinds=tuple(state.b.kinds),
    )
    for year in range(1, settings.years + 1):
        yield state.year(year)
