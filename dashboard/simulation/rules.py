"""The franchiser's rules: what triggers a tender, who may bid, how failure is judged and met.

Each rule is a small pure function of the settings and the run's arrays, so the engine reads as
the sequence of a year, and every rule can be tested on its own.
"""

from __future__ import annotations

import numpy as np

from dashboard.simulation.settings import Settings

#: Stages of the graduated failure regime, by years in a row in breach (see ``strike``).
STAGES = ("good standing", "warning", "improvement plan", "termination")


def due(
    settings: Settings,
    year: int,
    term_end: np.ndarray,
    terminated: np.ndarray,
    last_resort: np.ndarray,
    strikes: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Units tendered this year, and units whose term ends and are extended without competition.

    Year 1 tenders every unit. Later, a unit is tendered when its holder was terminated, when
    the operator of last resort runs it, or when its term ends, unless ``tender_on`` is
    ``failure_only`` or a direct award (share ``direct_award_share``, never to a holder in
    breach) extends it."""
    n = len(term_end)
    if year == 1:
        return np.arange(n), np.zeros(0, dtype=int)
    ending = (term_end <= year) & ~terminated & ~last_resort
    if settings.tender_on == "failure_only":
        extend = ending
    else:
        lucky = rng.random(n) < settings.direct_award_share
        extend = ending & lucky & (strikes == 0)
    tender = (ending & ~extend) | terminated | last_resort
    return np.flatnonzero(tender), np.flatnonzero(extend)


def original_may_bid(settings: Settings, year: int, holds_it: np.ndarray) -> np.ndarray:
    """Whether each unit's original public holders may bid: never when ``public_bidders`` is
    ``barred``; not in year 1 when it is ``barred_first_round``; to take a unit back only when
    ``insourcing`` is on (else only to keep what they hold)."""
    if settings.public_bidders == "barred" or (
        settings.public_bidders == "barred_first_round" and year == 1
    ):
        return np.zeros(len(holds_it), dtype=bool)
    return np.ones(len(holds_it), dtype=bool) if settings.insourcing else holds_it.copy()


def public_may_compete(settings: Settings, year: int) -> bool:
    """Whether public bodies may bid for units other than their own (``public_reach``
    ``region``), given ``public_bidders``."""
    if settings.public_reach != "region" or settings.public_bidders == "barred":
        return False
    return not (settings.public_bidders == "barred_first_round" and year == 1)


def strike(breach: np.ndarray, strikes: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Years in a row in breach, and which units are terminated now.

    One year in breach is a warning, the next an improvement plan, and ``limit`` years in a
    row (default 3) end the franchise; a year back within tolerance clears the record."""
    strikes = np.where(breach, strikes + 1, 0)
    return strikes, strikes >= limit


def shortfall(delivered: np.ndarray, count: np.ndarray, promised: np.ndarray) -> np.ndarray:
    """Share by which the mean delivered quality over the review window (the last ``count``
    years, rows of ``delivered``) falls short of what was promised."""
    window = delivered.shape[1]
    valid = np.arange(window)[None, :] < np.minimum(count, window)[:, None]
    mean = np.where(valid, delivered, 0.0).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)
    return 1.0 - mean / promised


def score(
    settings: Settings, price: np.ndarray, promised: np.ndarray, local, sitting
) -> np.ndarray:
    """The franchiser's score of bids: price against quality shown, plus local voice and the
    sitting holder's advantage. An input specification narrows the quality bidders can show."""
    shown = 0.6 + 0.3 * (promised - 0.6) if settings.spec == "input" else promised
    return (
        settings.price_weight * np.clip((1.2 - price) / 0.4, 0.0, 1.0)
        + (1.0 - settings.price_weight) * shown
        + settings.local_voice * local
        + settings.incumbent_advantage * sitting
    )


def willingness(appetite: np.ndarray, risk: np.ndarray) -> np.ndarray:
    """Chance that a bidder with this appetite for risk bids for a unit this risky."""
    return 1.0 / (1.0 + np.exp(-(appetite - risk) / 0.12))


def worth_bidding(
    wins: np.ndarray, bids: np.ndarray, margin: np.ndarray, settings: Settings
) -> np.ndarray:
    """Whether a group expects a bid to pay: its own record of winning ((wins + 1) / (bids + 2))
    times the margin over the term must cover the bid's cost."""
    chance = (wins + 1.0) / (bids + 2.0)
    return chance * margin * settings.term >= settings.bid_cost
