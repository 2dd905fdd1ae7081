"""Tendering: each unit due is let to the best of the bids of its original holders, other
public bodies and simulated firm groups, one unit after another so capacity fills.

Functions of a run's state (``engine._Run``); the rules they apply are in ``rules.py``.
"""

from __future__ import annotations

import numpy as np

from dashboard.simulation import rules

#: Spread of a firm's cost from one unit to another (how well a unit suits it).
FIT = 0.08
#: Error of a newcomer's estimate of its own cost on a unit (the sitting holder knows it).
ESTIMATE = 0.06
#: Newcomers' premium for the unknown in the first round (halved after one round, …).
UNCERTAINTY = 0.10
#: A newcomer bids where its price is within this multiple of the holder's (quality counts too).
REACH = 1.05
#: The operator of last resort's price, as a share of today's cost.
LAST_RESORT_PRICE = 1.05
#: Other public bodies: chance of bidding for a unit in their region now and then, and when
#: it is being rescued from a failed holder; bids a year; how far they may grow beyond their
#: own size; their price over their own in-house cost (running a service further away).
PUBLIC_APPETITE = 0.02
PUBLIC_RESCUE = 0.5
PUBLIC_BIDS = 2
PUBLIC_STRETCH = 1.0
PUBLIC_PREMIUM = 1.03


def tender(run, order: np.ndarray, year: int, tally: dict, reasons=None) -> None:
    """Tender the units in ``order``, one after another, so capacity and mobilisation fill.

    Three sorts of bid meet: the unit's original holders (to keep it or take it back),
    other public bodies that run the same service in the region, and challenger groups."""
    if len(order) == 0:
        return
    s, b, u, rng = run.s, run.b, run.u, run.rng
    groups = b.groups()
    k = len(groups)
    lead = u["lead"][order]
    current = run.holder[order]
    sitting_group = np.where(current >= b.first_firm, b.owner[current], -1)
    risk = u["risk"][order]
    value = run.value[order]
    barred = run.terminated[order]
    rescue = barred | (current == b.last_resort)
    # Challenger groups: present, capable, willing for the risk; the sitting one may rebid.
    capability = u["weights"][order] @ b.capability[groups].T  # units × groups
    willing = rng.random((len(order), k)) < rules.willingness(
        b.appetite[groups][None, :], risk[:, None]
    )
    open_to = (capability > 0) & b.presence[groups][:, u["region"][order]].T & willing
    sitting = sitting_group[:, None] == groups[None, :]
    open_to |= sitting
    open_to &= ~(sitting & barred[:, None])
    # Prices: own cost for this unit (risky services leave less room to save), estimated
    # with error by newcomers and closely by the sitting holder, plus the group's margin.
    cost = 1.0 - (1.0 - b.cost[groups][None, :]) * (1.0 - 0.5 * risk[:, None])
    cost = cost * (1.0 + rng.normal(0.0, FIT, cost.shape))  # how well this unit suits it
    cost = np.where(sitting, run.true_cost[order][:, None], cost)
    error = np.where(sitting, 0.01, ESTIMATE)
    estimate = cost * (1.0 + rng.normal(0.0, 1.0, cost.shape) * error)
    # Newcomers add a premium for what no one yet knows of a service never let before; it
    # fades as rounds of tendering publish what the service costs.
    rounds = run.experience[run.unit_service[order]] / run.service_units[run.unit_service[order]]
    premium = np.where(sitting, 0.0, UNCERTAINTY / (1.0 + rounds)[:, None])
    c_price = estimate * (1.0 + b.margin[groups][None, :] + premium)
    c_quality = capability + rng.normal(0.0, 0.03, capability.shape)
    c_quality = np.where(sitting, run.quality[order][:, None], c_quality)
    # A newcomer judges its own quality with error, then over-promises by its optimism.
    judged = c_quality + np.where(sitting, 0.0, rng.normal(0.0, ESTIMATE, c_quality.shape))
    c_promised = judged * (1.0 + b.optimism[groups][None, :])
    c_score = rules.score(s, c_price, c_promised, b.local[groups][None, :], sitting)
    # A newcomer bids only where it expects to undercut the holder's price (published),
    # unless the unit is being rescued from a failed holder.
    open_to &= sitting | rescue[:, None] | (c_price < REACH * run.price[order][:, None])
    worth = rules.worth_bidding(b.wins[groups], b.bids[groups], b.margin[groups], s)
    team = b.mobilise[groups].copy()  # new contracts each group can still take on
    held = run.holder >= b.first_firm
    load = np.bincount(np.searchsorted(groups, b.owner[run.holder[held]]), run.value[held], k + 1)[
        :k
    ]
    # The originals, and other public bodies running the same service in the region.
    holds_it = current == lead
    debarred = np.where(run.debar_end[order] >= year, run.debarred[order], -1)
    o_allowed = rules.original_may_bid(s, year, holds_it) & (debarred != lead)
    # To take a unit back, the originals too must see a chance of winning it.
    o_allowed &= holds_it | rescue | (run.in_house[order] < REACH * run.price[order])
    firm_debarred = np.where(debarred >= b.first_firm, b.owner[np.maximum(debarred, 0)], -1)
    open_to &= firm_debarred[:, None] != groups[None, :]
    o_score = rules.score(s, run.in_house[order], run.consortium[order], b.local[lead], holds_it)
    public, settle = _public_bids(run, order, year, lead, rescue)
    market = k > 0 or rules.public_may_compete(s, year)
    capacity = b.capacity[groups]
    made = np.zeros(k, dtype=int)  # bids each group makes this round
    spend = np.zeros(k)  # and what they cost it
    last_win = np.full(k, -1)  # the round's position of its last win
    n_bids = int(o_allowed.sum())
    for i, unit in enumerate(order):
        room = (load + value[i] <= capacity) & (team > 0) & worth
        rows = np.flatnonzero(open_to[i] & (room | sitting[i]))
        made[rows] += 1
        spend[rows] += s.bid_cost * value[i]
        bodies, p_price, p_quality, p_score = public(i, unit, value[i], current[i])
        n_bids += len(rows) + len(bodies)
        bids_here = len(rows) + len(bodies) + int(o_allowed[i])
        best_score, kind, pick = -np.inf, "", -1
        if o_allowed[i]:
            best_score, kind = o_score[i], "original"
        if len(rows):
            top = rows[np.argmax(c_score[i, rows])]
            if c_score[i, top] > best_score:
                pick, best_score, kind = top, c_score[i, top], "firm"
        if len(bodies) and p_score.max() > best_score:
            pick, kind = int(np.argmax(p_score)), "public"
        if kind != "firm" or not sitting[i, pick]:
            _lose(i, sitting_group, groups, load, value)
        if kind == "firm":
            g = groups[pick]
            b.wins[g] += 1
            last_win[pick] = made[pick]
            if not sitting[i, pick]:
                load[pick] += value[i]
                team[pick] -= 1
            firm = current[i] if sitting[i, pick] else g
            run.award(
                unit, firm, c_price[i, pick], c_promised[i, pick], c_quality[i, pick],
                cost[i, pick], tally,
            )  # fmt: skip
        elif kind == "public":
            body = bodies[pick]
            run.award(
                unit, body, p_price[pick], p_quality[pick], p_quality[pick], p_price[pick],
                tally,
            )  # fmt: skip
        elif kind == "original" or (holds_it[i] and not market):
            # The originals win, or, with no one else in the market, carry on under the
            # franchiser's direction; otherwise the operator of last resort steps in.
            run.award(
                unit, lead[i], run.in_house[unit], run.consortium[unit],
                run.consortium[unit], run.in_house[unit], tally,
            )  # fmt: skip
        else:
            quality = b.capability[b.last_resort, 0]
            run.award(
                unit, b.last_resort, LAST_RESORT_PRICE, quality, quality,
                LAST_RESORT_PRICE, tally,
            )  # fmt: skip
        settle(i, run.holder[unit], value[i], current[i])
        if reasons is not None:
            run.record(year, unit, reasons[unit], bids=bids_here)
    tally["tenders"] += len(order)
    tally["bids"] += n_bids
    np.add.at(run.experience, run.unit_service[order], 1)
    b.bids[groups] += made
    b.reserves[groups] -= spend
    # Bids lost in a row: those since the group's last win this round, or all of them.
    b.losing[groups] = np.where(last_win >= 0, made - last_win, b.losing[groups] + made)


def _public_bids(run, order, year, lead, rescue):
    """A function giving, for the ``i``-th unit of ``order``, the public bodies other than
    its originals that bid (their index, price, quality and score).

    A public body bids for a unit of a service it already runs, in a region where it runs
    it, when it is in good standing and has room (it may grow by ``PUBLIC_STRETCH`` of
    its own size): now and then (``PUBLIC_APPETITE``), and readily when the unit is being
    rescued from a failed holder (``PUBLIC_RESCUE``); at most ``PUBLIC_BIDS`` a year."""
    s, b, u, rng = run.s, run.b, run.u, run.rng
    n_pub = b.n_public
    active = rules.public_may_compete(s, year)
    if not active:
        return (
            lambda i, unit, value, current: (np.zeros(0, dtype=int), None, None, None),
            lambda i, winner, value, current: None,
        )
    service = run.unit_service[order]
    family = run.unit_family[order]
    eligible = run.runs[:, service].T & b.presence[:n_pub][:, u["region"][order]].T
    eligible[np.arange(len(order)), lead] = False
    troubled = np.zeros(n_pub, dtype=bool)
    public_held = run.holder < n_pub
    troubled[run.holder[public_held & (run.strikes > 0)]] = True
    eligible &= ~troubled[None, :]
    appetite = np.where(rescue, PUBLIC_RESCUE, PUBLIC_APPETITE)
    eligible &= rng.random(eligible.shape) < appetite[:, None]
    own = run.holder == u["lead"]
    spent = np.bincount(u["lead"][own], run.in_house[own] * run.value[own], n_pub)
    size = np.bincount(u["lead"][own], run.value[own], n_pub)
    p_cost = np.where(size > 0, spent / np.maximum(size, 1e-12), 1.0)
    away = public_held & ~own
    load = np.bincount(run.holder[away], run.value[away], n_pub)
    limit = PUBLIC_STRETCH * run.own_value
    team = np.full(n_pub, PUBLIC_BIDS)

    none = np.zeros(0, dtype=int)
    some = eligible.any(axis=1)

    def bids(i, unit, value, current):
        sitting = current < n_pub and current != lead[i] and not run.terminated[unit]
        if not (some[i] or sitting):
            return none, none, none, none
        bodies = np.flatnonzero(eligible[i] & (load + value <= limit) & (team > 0))
        if sitting:
            bodies = bodies[bodies != current]
        price = p_cost[bodies] * PUBLIC_PREMIUM * (1.0 + rng.normal(0.0, 0.02, len(bodies)))
        if not rescue[i]:  # like a firm, a body bids only where it can undercut
            keep = price < REACH * run.price[unit]
            bodies, price = bodies[keep], price[keep]
        team[bodies] -= 1
        quality = b.capability[bodies, family[i]]
        if sitting:
            bodies = np.append(bodies, current)
            price = np.append(price, run.price[unit])
            quality = np.append(quality, run.quality[unit])
        score = rules.score(s, price, quality, b.local[bodies], bodies == current)
        return bodies, price, quality, score

    def settle(i, winner, value, current):
        """Move the unit's value between public bodies' loads."""
        if current < n_pub and current != lead[i]:
            load[current] -= value
        if winner < n_pub and winner != lead[i]:
            load[winner] += value

    return bids, settle


def _lose(i, sitting_group, groups, load, value) -> None:
    if sitting_group[i] >= 0:
        load[np.searchsorted(groups, sitting_group[i])] -= value[i]
