"""The simulator's behaviour, checked over several seeds rather than one lucky one."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dashboard import holdings, lads, paths, population
from dashboard import simulation as sim
from tests.conftest import ROOT

SEEDS = [1, 2, 3, 4, 5]


@pytest.fixture(scope="module")
def market():
    return sim.Market.from_baseline(holdings.load(paths.FRANCHISES_DIR), lads.lad_table())


def rows(market, seed, **changes):
    return sim.simulate(sim.Settings(**changes), market, seed)


def test_the_market_has_every_area_and_service_as_a_lot(market):
    assert market.lots == 361 * 8
    assert len(market.area_codes) == 361 and len(market.service_ids) == 8


def test_with_default_settings_incumbents_win_most_of_the_first_round(market):
    for seed in SEEDS:
        first = rows(market, seed, years=1)[1]
        assert first["tenders"] == market.lots
        assert first["incumbent_share"] > 0.5, seed


def test_short_terms_and_low_tolerance_cut_the_incumbent_share_faster(market):
    # Paired by seed: the same starting market, spun at two speeds.
    gaps = []
    for seed in SEEDS:
        fast = rows(market, seed, years=12, term=3, failure_tolerance=0.1)
        slow = rows(market, seed, years=12, term=10, failure_tolerance=0.3)
        assert fast[-1]["incumbent_share"] < slow[-1]["incumbent_share"], seed
        assert sum(r["tenders"] for r in fast) > 2 * sum(r["tenders"] for r in slow), seed
        gaps.append(slow[-1]["incumbent_share"] - fast[-1]["incumbent_share"])
    assert np.median(gaps) > 0.08


def test_lower_tolerance_of_failure_means_more_failures(market):
    strict = [rows(market, s, years=5, failure_tolerance=0.05)[-1]["failures"] for s in SEEDS]
    lenient = [rows(market, s, years=5, failure_tolerance=0.4)[-1]["failures"] for s in SEEDS]
    assert min(strict) > max(lenient)


def test_with_no_challengers_nothing_changes(market):
    for seed in SEEDS[:3]:
        result = rows(market, seed, years=10, term=2, challengers=0, entry_rate=0)
        assert {r["incumbent_share"] for r in result} == {1.0}
        assert {r["incumbent_share_population"] for r in result} == {1.0}
        assert {r["distinct_holders"] for r in result} == {result[0]["distinct_holders"]}


def test_the_resident_weighted_share_counts_only_areas_with_a_population_figure(market):
    states = list(sim.run(sim.Settings(years=6, term=2), market, np.random.default_rng(3)))
    last = states[-1]
    table = sim.holders_in(last, market)
    people = table["area_code"].map(population.by_code())
    known = people.notna()
    expected = (table["incumbent"][known] * people[known]).sum() / people[known].sum()
    assert last.metrics["incumbent_share_population"] == pytest.approx(float(expected))
    assert last.metrics["incumbent_share_population"] != last.metrics["incumbent_share"]
    unknown = sim.Market.from_baseline(
        holdings.load(paths.FRANCHISES_DIR),
        lads.lad_table().assign(population=pd.NA),
    )
    rows_ = sim.simulate(sim.Settings(years=2), unknown, seed=1, runs=2)
    assert {r["incumbent_share_population"] for r in rows_} == {None}
    assert rows_[0]["incumbent_share"] == 1.0


def test_every_lot_has_exactly_one_holder_every_year_and_shares_sum_to_one(market):
    states = list(sim.run(sim.Settings(years=8, term=2), market, np.random.default_rng(7)))
    assert [s.year for s in states] == list(range(2026, 2035))
    for state in states:
        assert state.holder.shape == (market.lots,)
        assert state.holder.min() >= 0 and state.holder.max() < len(state.bidder_ids)
        table = sim.holders_in(state, market)
        assert not table.duplicated(["area_code", "service_id"]).any()
        assert sum(state.metrics["kind_shares"].values()) == pytest.approx(1.0)
        assert 0 < state.metrics["hhi"] <= 1


def test_simulated_entrants_are_labelled_and_never_named_after_real_firms(market):
    state = list(sim.run(sim.Settings(years=10), market, np.random.default_rng(3)))[-1]
    table = sim.holders_in(state, market)
    new = table[~table["holder_id"].isin(market.bidder_ids)]
    assert len(new) > 0
    assert new["holder"].str.startswith("Simulated ").all()
    assert new["holder_id"].str.startswith("simulated-").all()


def test_the_same_settings_and_seed_give_identical_results(market):
    a = sim.simulate(sim.Settings(years=6), market, seed=11)
    b = sim.simulate(sim.Settings(years=6), market, seed=11)
    c = sim.simulate(sim.Settings(years=6), market, seed=12)
    assert a == b and a != c


def test_monte_carlo_gives_a_median_inside_its_band_whatever_the_workers(market):
    one = sim.simulate(sim.Settings(years=5), market, seed=1, runs=6, workers=1)
    two = sim.simulate(sim.Settings(years=5), market, seed=1, runs=6, workers=2)
    assert one == two
    for row in one:
        assert row["incumbent_share_p10"] <= row["incumbent_share"] <= row["incumbent_share_p90"]


def test_bad_settings_are_refused_by_name():
    with pytest.raises(ValueError, match="failure tolerance must be between 0 and 1"):
        sim.Settings(failure_tolerance=1.5).check()
    with pytest.raises(ValueError, match="term must be between 1 and 50"):
        sim.Settings(term=0).check()


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "simulate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_cli_prints_json_per_year_and_repeats_itself_exactly():
    first = cli(
        "--term", "3", "--failure-tolerance", "0.2", "--seed", "1", "--years", "6", "--json"
    )
    again = cli(
        "--term", "3", "--failure-tolerance", "0.2", "--seed", "1", "--years", "6", "--json"
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    doc = json.loads(first.stdout)
    assert doc["settings"]["term"] == 3 and doc["settings"]["seed"] == 1
    assert len(doc["years"]) == 7
    year = doc["years"][1]
    for key in ("year", "incumbent_share", "distinct_holders", "hhi", "fragmentation"):
        assert key in year
    for key in ("tenders", "failures", "cost_index", "kind_shares"):
        assert key in year


def test_the_cli_runs_monte_carlo_with_bands_and_writes_csv(tmp_path):
    target = tmp_path / "runs.csv"
    out = cli("--years", "3", "--runs", "4", "--csv", str(target))
    assert out.returncode == 0, out.stderr
    header = target.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"incumbent_share", "incumbent_share_p10", "incumbent_share_p90"} <= set(header)


def test_the_cli_refuses_bad_settings_with_one_line():
    out = cli("--failure-tolerance", "2")
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "failure tolerance must be between 0 and 1" in out.stderr


@pytest.fixture(scope="module")
def nations():
    """The blue-light bundle tendered as one lot per nation."""
    from dashboard.lots import Assignment, one_per_group

    table = lads.lad_table()
    lots = one_per_group(Assignment(), table[["code", "country"]], "country")
    baseline = holdings.load(paths.FRANCHISES_DIR)
    return sim.Market.from_baseline(
        baseline,
        table,
        {name: lots.areas_of(name) for name in lots.order},
        ["police", "fire", "ambulance"],
        "Blue light per nation",
    )


def test_a_scenario_tenders_each_lot_as_one_unit(nations):
    assert nations.lots == 2888
    assert nations.units == 2888 - 361 * 3 + 4


def test_a_bundled_lot_moves_as_one_and_no_challengers_still_change_nothing(nations):
    quiet = sim.simulate(sim.Settings(years=4, challengers=0, entry_rate=0), nations, seed=1)
    assert {r["incumbent_share"] for r in quiet} == {1.0}
    for state in sim.run(sim.Settings(years=12, term=3), nations, np.random.default_rng(2)):
        table = sim.holders_in(state, nations)
        bundled = table[table["service_id"].isin(["police", "fire", "ambulance"])]
        moved = bundled[~bundled["incumbent"]]
        # Once a lot is won by a challenger, every cell of that lot has that one holder.
        countries = dict(zip(lads.lad_table()["code"], lads.lad_table()["country"], strict=True))
        for _, group in moved.groupby(moved["area_code"].map(countries)):
            assert group["holder_id"].nunique() == 1


def test_the_cli_simulates_a_studio_scenario_file(tmp_path):
    from dashboard.lots import Assignment
    from dashboard.scenarios import Scenario

    lots = (
        Assignment()
        .add_lot("Wales")
        .assign(lads.lad_table().query("country == 'Wales'")["code"].tolist(), "Wales")
    )
    path = tmp_path / "wales.json"
    path.write_text(json.dumps(Scenario("Wales bundle", "blue-light", lots).payload()))
    out = cli("--scenario", str(path), "--years", "3", "--json")
    assert out.returncode == 0, out.stderr
    settings = json.loads(out.stdout)["settings"]
    assert settings["scenario"] == "Wales bundle" and settings["units"] == 2888 - 66 + 1
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    bad = cli("--scenario", str(broken))
    assert bad.returncode == 2 and "not valid JSON" in bad.stderr
