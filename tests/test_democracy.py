"""Democracy in the franchise: who answers for a service today, and how many residents keep a
service run by a body they elect once the centrifuge spins (one lever at a time, many seeds)."""

from __future__ import annotations

import statistics

import pytest

from dashboard import holdings, lads, population, taxation
from dashboard import simulation as sim


def test_year_one_counts_the_residents_whose_service_their_own_council_or_mayor_runs(
    baseline, market
):
    table = holdings.current(baseline)
    people = population.attach(lads.lad_table()).set_index("code")["population"]
    table = table.assign(people=table["area_code"].map(people)).dropna(subset=["people"])
    elected = table["holder_kind"].isin(taxation.ELECTED_KINDS)
    expected = (table["people"] * elected).sum() / table["people"].sum()
    first = sim.simulate(sim.Settings(), market, seed=1)[0]
    assert first["elected_share_population"] == pytest.approx(expected, abs=1e-9)


def _share_in_year_5(settings, market, seeds=range(8)) -> float:
    return statistics.median(
        sim.simulate(settings, market, seed=seed)[5]["elected_share_population"] for seed in seeds
    )


def test_shorter_terms_take_services_away_from_elected_bodies_faster(market):
    short = _share_in_year_5(sim.Settings(term=3), market)
    long = _share_in_year_5(sim.Settings(term=10), market)
    assert short < long < 0.5


def test_the_card_says_who_answers_today_and_under_a_franchise(baseline):
    text = taxation.accountability(holdings.for_area(baseline, "E07000110"))  # Maidstone
    assert text.startswith("Run by a body residents elect (their council or mayor): Council tax")
    assert "(4 of 8)" in text and "answer to the franchiser (central government)" in text
    scotland = taxation.accountability(holdings.for_area(baseline, "S12000049"))  # Glasgow
    assert "of 8)" in scotland
