"""The simulator's behaviour, checked over many seeds, one lever at a time."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dashboard import holdings, lads, population
from dashboard import simulation as sim
from dashboard.simulation import engine, money, rules
from dashboard.simulation import settings as spec
from tests.conftest import ROOT

SEEDS = list(range(1, 9))


@pytest.fixture(scope="module")
def benefits(baseline):
    """Council tax and housing benefit in England, one area per lot: a small, quick market."""
    settings = sim.Settings(nations=("E",), services=("council_tax", "housing_benefit"))
    return sim.Market.from_baseline(baseline, lads.lad_table(), settings=settings)


def final(market, seed, figure, **changes):
    return sim.simulate(sim.Settings(**changes), market, seed)[-1][figure]


def medians(market, figure, seeds=SEEDS, **changes):
    return float(np.median([final(market, s, figure, **changes) for s in seeds]))


# -- the market and its scope ----------------------------------------------------------------
def test_the_market_has_every_area_and_service_as_a_lot(market):
    assert market.lots == 361 * 8 == market.units
    assert len(market.area_codes) == 361 and len(market.service_ids) == 8


def test_the_scope_limits_the_market_to_its_nations_and_services(baseline):
    table = lads.lad_table()
    scoped = sim.Market.from_baseline(
        baseline, table, settings=sim.Settings(nations=("W", "S"), services=("police",))
    )
    assert scoped.lots == 22 + 32 and scoped.service_ids == ["police"]
    by_region = sim.Market.from_baseline(
        baseline,
        table,
        settings=sim.Settings(services=("fire", "ambulance"), lots="region"),
    )
    assert by_region.lots == 361 * 2 and by_region.units == 12 * 2
    bundled = by_region.unit_names
    assert len(set(bundled)) == len(bundled)
    forces = sim.Market.from_baseline(
        baseline, table, settings=sim.Settings(services=("police",), lots="police_force_area")
    )
    police = holdings.current(baseline).query("service_id == 'police'")["holder_id"]
    assert forces.units == police.nunique()


def test_an_unknown_service_in_the_scope_is_named(baseline):
    with pytest.raises(sim.SettingsError, match="unknown service id 'trains'"):
        sim.Market.from_baseline(
            baseline, lads.lad_table(), settings=sim.Settings(services=("trains",))
        )


# -- money -----------------------------------------------------------------------------------
def test_values_are_residents_times_national_spend_per_resident_and_unknown_without_a_figure(
    market,
):
    rate = money.per_resident()
    people = population.by_code()
    cells = sim.holders_in(
        next(sim.run(sim.Settings(years=1), market, np.random.default_rng(1))), market
    )
    cells["value"] = market.cell_value
    kent = cells.query("area_code == 'E07000105' and service_id == 'police'")["value"].item()
    assert kent == pytest.approx(people["E07000105"] * rate["police"])
    scottish = cells[cells["area_code"].str.startswith("S")]
    assert scottish["value"].isna().all()  # no sourced population for Scotland
    assert cells.query("service_id == 'universal_credit'")["value"].isna().all()
    # Every national figure used carries its source, year and geography.
    spend = money.national_spend()
    used = spend[spend["spend_gbp"].notna()]
    assert (used["source"] != "").all() and (used["financial_year"] != "").all()
    assert set(used["geography"]) <= {"England", "England and Wales"}


def test_a_planners_values_replace_the_indicative_ones(baseline, tmp_path):
    table = lads.lad_table()
    data = b"area_code,service_id,annual_value_gbp\nE06000001,police,123456789\n"
    values = money.read_values(data, table["code"], baseline.services["id"])
    mine = sim.Market.from_baseline(baseline, table, values=values)
    frame = pd.DataFrame(
        {
            "a": [mine.area_codes[a] for a in mine.lot_area],
            "s": [mine.service_ids[s] for s in mine.lot_service],
        }
    )
    row = frame.index[(frame["a"] == "E06000001") & (frame["s"] == "police")][0]
    assert mine.cell_value[row] == 123456789
    assert "planner's values for 1 area-services" in mine.value_source


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "is empty"),
        (b"code,service,value\n", "header area_code,service_id,annual_value_gbp"),
        (b"area_code,service_id,annual_value_gbp\n", "no rows"),
        (b"area_code,service_id,annual_value_gbp\nE0600001,police,1\n", "line 2: area code"),
        (b"area_code,service_id,annual_value_gbp\nE06000001,trains,1\n", "line 2: service"),
        (
            b"area_code,service_id,annual_value_gbp\nE06000001,police,-5\n",
            "is not £0 or more",
        ),
        (
            b"area_code,service_id,annual_value_gbp\nE06000001,police,1\nE06000001,police,2\n",
            "line 3: E06000001 police is given twice",
        ),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_bad_values_file_is_refused_with_the_line_and_the_problem(baseline, data, problem):
    with pytest.raises(money.ValuesError, match=problem):
        money.read_values(data, lads.lad_table()["code"], baseline.services["id"])


# -- settings --------------------------------------------------------------------------------
def test_a_settings_file_sets_what_it_names_and_leaves_the_rest_at_their_defaults():
    settings = spec.from_toml(
        '[market]\nterm = 3\nfailure_tolerance = 0\n[rules]\npublic_bidders = "barred"\n'
        '[scope]\nnations = ["E", "W"]\nlots = "region"\n'
    )
    assert (settings.term, settings.failure_tolerance) == (3, 0.0)
    assert settings.public_bidders == "barred" and settings.nations == ("E", "W")
    assert settings.price_weight == sim.Settings().price_weight
    assert spec.from_toml(settings.to_toml()) == settings


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[market]\nterms = 3\n", "unknown setting 'terms' in \\[market\\]"),
        ("[market]\nterm = 0\n", "term must be between 1 and 50"),
        ("[market]\nterm = 'three'\n", "term must be between 1 and 50"),
        ("[rules]\nterm = 3\n", "term belongs in \\[market\\], not \\[rules\\]"),
        ("[scope]\nnations = ['X']\n", "nations must list nations among E, W, S, N"),
        ("[rules]\neligible_kinds = ['bank']\n", "eligible_kinds must list kinds"),
        ("[rules]\ntender_on = 'whenever'\n", "tender_on must be one of term_end, failure_only"),
        ("[engine]\nx = 1\n", "unknown table \\[engine\\]"),
        ("[market\nterm = 3\n", "not valid TOML"),
    ],
)
def test_a_bad_settings_file_is_refused_naming_the_key(text, problem):
    with pytest.raises(sim.SettingsError, match=problem):
        spec.from_toml(text)


# -- invariants ------------------------------------------------------------------------------
def test_every_area_service_has_exactly_one_holder_every_year(market):
    states = list(sim.run(sim.Settings(years=8, term=2), market, np.random.default_rng(7)))
    assert [s.year for s in states] == list(range(2026, 2035))
    for state in states:
        assert state.holder.shape == (market.lots,)
        assert state.holder.min() >= 0 and state.holder.max() < len(state.bidder_ids)
        table = sim.holders_in(state, market)
        assert not table.duplicated(["area_code", "service_id"]).any()
        assert sum(state.metrics["kind_shares"].values()) == pytest.approx(1.0)
        assert 0 < state.metrics["hhi"] <= 1


def test_simulated_firms_and_the_operator_of_last_resort_are_labelled(market):
    seen = set()
    for seed in SEEDS[:4]:
        state = list(sim.run(sim.Settings(years=12, term=3), market, np.random.default_rng(seed)))[
            -1
        ]
        table = sim.holders_in(state, market)
        new = table[~table["holder_id"].isin(market.bidder_ids)]
        firms = new[new["holder_kind"] != "last_resort"]
        assert len(firms) > 0
        assert firms["holder"].str.startswith("Simulated ").all()
        assert firms["holder_id"].str.startswith("simulated-").all()
        seen |= set(new.loc[new["holder_kind"] == "last_resort", "holder"])
    assert seen <= {"Operator of last resort (the franchiser, state-run)"}


def test_the_same_settings_and_seed_give_identical_results_whatever_the_workers(market):
    a = sim.simulate(sim.Settings(years=6), market, seed=11)
    b = sim.simulate(sim.Settings(years=6), market, seed=11)
    c = sim.simulate(sim.Settings(years=6), market, seed=12)
    assert a == b and a != c
    one = sim.simulate(sim.Settings(years=5), market, seed=1, runs=6, workers=1)
    two = sim.simulate(sim.Settings(years=5), market, seed=1, runs=6, workers=2)
    assert one == two
    for row in one:
        assert row["incumbent_share_p10"] <= row["incumbent_share"] <= row["incumbent_share_p90"]


def test_year_zero_is_todays_baseline_with_todays_spend(market):
    zero = sim.simulate(sim.Settings(years=1), market, 1)[0]
    assert zero["incumbent_share"] == 1.0 and zero["tenders"] == 0
    assert zero["bids_per_tender"] is None and zero["cost_index"] == 1.0
    assert zero["spend_gbp"] == pytest.approx(np.nansum(market.cell_value))
    assert zero["savings_gbp"] == 0


def test_the_resident_weighted_share_counts_only_areas_with_a_population_figure(market, baseline):
    states = list(sim.run(sim.Settings(years=6, term=2), market, np.random.default_rng(3)))
    last = states[-1]
    table = sim.holders_in(last, market)
    people = table["area_code"].map(population.by_code())
    known = people.notna()
    expected = (table["incumbent"][known] * people[known]).sum() / people[known].sum()
    assert last.metrics["incumbent_share_population"] == pytest.approx(float(expected))
    assert last.metrics["incumbent_share_population"] != last.metrics["incumbent_share"]
    unknown = sim.Market.from_baseline(baseline, lads.lad_table().assign(population=pd.NA))
    rows_ = sim.simulate(sim.Settings(years=2), unknown, seed=1, runs=2)
    assert {r["incumbent_share_population"] for r in rows_} == {None}
    assert {r["spend_gbp"] for r in rows_} == {None}  # no residents, no indicative £


def test_concentration_is_over_owners_within_each_service_weighted_by_value(market):
    state = next(sim.run(sim.Settings(years=1), market, np.random.default_rng(1)))
    table = sim.holders_in(state, market).assign(value=market.cell_weight)
    expected = 0.0
    for _, rows in table.groupby("service_id"):
        shares = rows.groupby("holder_id")["value"].sum() / rows["value"].sum()
        expected += (shares**2).sum() * rows["value"].sum() / table["value"].sum()
    assert state.metrics["hhi"] == pytest.approx(expected)


def test_the_example_run_is_the_one_closest_to_the_median(market):
    runs = [sim.simulate(sim.Settings(years=8), market, seed) for seed in SEEDS[:5]]
    pick = sim.median_run(runs)
    middle = np.median([[r["incumbent_share"] for r in rows] for rows in runs], axis=0)
    gaps = [
        sum((r["incumbent_share"] - m) ** 2 for r, m in zip(rows, middle, strict=True))
        for rows in runs
    ]
    assert gaps[pick] == min(gaps)


# -- the levers, one at a time ---------------------------------------------------------------
def test_with_no_challengers_nothing_changes(market):
    quiet = dict(years=10, term=2, challengers=0, entry_rate=0, public_reach="own")
    for seed in SEEDS[:3]:
        result = sim.simulate(sim.Settings(**quiet), market, seed)
        assert {r["incumbent_share"] for r in result} == {1.0}
        assert {r["distinct_holders"] for r in result} == {result[0]["distinct_holders"]}
        assert {r["cost_index"] for r in result} == {1.0}  # no threat, no saving


def test_lower_tolerance_of_failure_ends_more_franchises_and_spins_faster(market):
    terminations, shares = [], []
    for tolerance in (0.05, 0.3):
        runs = [
            sim.simulate(sim.Settings(years=12, term=3, failure_tolerance=tolerance), market, s)
            for s in SEEDS
        ]
        terminations.append([sum(r["terminations"] for r in rows) for rows in runs])
        shares.append([rows[-1]["incumbent_share"] for rows in runs])
    assert all(a > b for a, b in zip(*terminations, strict=True))
    assert np.median(shares[0]) < np.median(shares[1]) - 0.03


def test_shorter_terms_tender_more_often_and_spin_faster(market):
    short = [sim.simulate(sim.Settings(years=12, term=3), market, s) for s in SEEDS]
    long = [sim.simulate(sim.Settings(years=12, term=10), market, s) for s in SEEDS]
    assert all(
        sum(r["tenders"] for r in a) > 2 * sum(r["tenders"] for r in b)
        for a, b in zip(short, long, strict=True)
    )
    gap = np.median(
        [
            b[-1]["incumbent_share"] - a[-1]["incumbent_share"]
            for a, b in zip(short, long, strict=True)
        ]
    )
    assert gap > 0.03


def test_the_default_termination_hazard_is_about_one_percent_a_year(market):
    hazards = [sim.hazard(sim.simulate(sim.Settings(), market, s)) for s in SEEDS[:4]]
    assert 0.005 <= np.median(hazards) <= 0.02


def test_in_house_teams_get_cheaper_when_challenged(benefits):
    challenged = medians(benefits, "in_house_cost_index", years=5)
    alone = medians(benefits, "in_house_cost_index", years=5, challengers=0, entry_rate=0)
    assert challenged < 0.97 and alone == 1.0


def test_barring_public_bidders_leaves_only_firms_and_the_operator_of_last_resort(benefits):
    for seed in SEEDS[:4]:
        first = sim.simulate(sim.Settings(years=1, public_bidders="barred"), benefits, seed)[1]
        assert first["public_share"] == 0.0
        assert first["incumbent_share"] == 0.0
        held = first["kind_shares"]
        assert set(held) <= {"private", "sme", "mutual", "utility", "charity", "last_resort"}
    later = sim.simulate(sim.Settings(years=1, public_bidders="barred_first_round"), benefits, 1)
    assert later[1]["public_share"] == 0.0
    allowed = sim.simulate(sim.Settings(years=1), benefits, 1)
    assert allowed[1]["public_share"] > 0.5


def test_tendering_only_on_failure_lets_far_fewer_units_than_at_term_end(benefits):
    for seed in SEEDS[:3]:
        always = sim.simulate(sim.Settings(years=10, term=3), benefits, seed)
        failures = sim.simulate(
            sim.Settings(years=10, term=3, tender_on="failure_only"), benefits, seed
        )
        assert sum(r["tenders"] for r in failures[2:]) < 0.2 * sum(r["tenders"] for r in always[2:])
        assert failures[-1]["incumbent_share"] > always[-1]["incumbent_share"]


def test_direct_awards_extend_instead_of_tendering(benefits):
    full = [
        sum(
            r["tenders"]
            for r in sim.simulate(
                sim.Settings(years=8, term=2, direct_award_share=1.0), benefits, s
            )[2:]
        )
        for s in SEEDS[:3]
    ]
    none = [
        sum(r["tenders"] for r in sim.simulate(sim.Settings(years=8, term=2), benefits, s)[2:])
        for s in SEEDS[:3]
    ]
    assert all(f < 0.2 * n for f, n in zip(full, none, strict=True))


def test_a_recall_returns_every_lot_to_its_original_holder_and_ends_tendering(benefits):
    for seed in SEEDS[:3]:
        rows = sim.simulate(sim.Settings(years=10, term=3, recall_year=6), benefits, seed)
        assert rows[5]["incumbent_share"] < 1.0
        assert all(r["incumbent_share"] == 1.0 for r in rows[6:])
        assert all(r["tenders"] == 0 for r in rows[7:])
        assert rows[6]["transition_cost_gbp"] > 0  # changing hands back costs money


def test_eligible_kinds_keep_other_kinds_of_firm_out(benefits):
    for seed in SEEDS[:3]:
        rows = sim.simulate(sim.Settings(years=6, eligible_kinds=("charity",)), benefits, seed)
        kinds = set().union(*(r["kind_shares"] for r in rows))
        assert not kinds & {"private", "sme", "mutual", "utility"}


def test_without_insourcing_a_lost_lot_never_returns_to_its_original_holder(benefits):
    settings = sim.Settings(years=10, term=2, insourcing=False)
    for seed in SEEDS[:3]:
        states = list(sim.run(settings, benefits, np.random.default_rng(seed)))
        lost = np.zeros(benefits.lots, dtype=bool)
        for state in states[1:]:
            kept = state.holder == benefits.original
            assert not (kept & lost).any()
            lost |= ~kept


def test_a_firm_that_runs_out_of_money_fails_with_all_its_contracts_at_once(benefits):
    run = engine._Run(sim.Settings(years=3), benefits, np.random.default_rng(4))
    for year in (1, 2):
        run.year(year)
    firm = run.holder >= run.b.first_firm
    owners, counts = np.unique(run.b.owner[run.holder[firm]], return_counts=True)
    biggest = owners[np.argmax(counts)]
    run.b.reserves[biggest] = -1e12  # far more than a year's profit can make good
    tally = {"terminations": 0, "insolvencies": 0, "transition": 0.0, "termination": 0.0}
    failed = np.zeros(run.n, dtype=bool)
    run._book(tally, failed)
    assert tally["insolvencies"] >= 1 and tally["terminations"] >= counts.max()
    assert not run.b.alive[biggest]
    assert (run.holder[failed] == run.b.last_resort).all() and failed.sum() >= counts.max()


def test_the_failure_regime_warns_then_plans_then_terminates():
    strikes = np.zeros(3, dtype=int)
    history = []
    for breach in ([True, True, False], [True, True, False], [True, False, True]):
        strikes, ended = rules.strike(np.array(breach), strikes, limit=3)
        history.append((strikes.tolist(), ended.tolist()))
    assert history == [
        ([1, 1, 0], [False, False, False]),
        ([2, 2, 0], [False, False, False]),
        ([3, 0, 1], [True, False, False]),
    ]
    assert rules.STAGES[1:] == ("warning", "improvement plan", "termination")


def test_shortfall_is_judged_over_the_review_window():
    delivered = np.array([[0.5, 0.7, 0.9], [0.9, 0.1, 0.1]])
    short = rules.shortfall(delivered, np.array([3, 1]), np.array([0.7, 0.9]))
    assert short == pytest.approx([0.0, 0.0])


def test_per_area_figures_say_when_each_area_service_first_changes_hands(benefits):
    settings = sim.Settings(years=10, term=3, failure_tolerance=0.05)
    rows, cells = sim.simulate_per_area(settings, benefits, seed=3, runs=6)
    assert rows == sim.simulate(settings, benefits, seed=3, runs=6)  # the same runs
    assert len(cells) == benefits.lots
    dated = cells.dropna(subset=["first_change_year", "first_change_year_p10"])
    assert len(dated) > 0
    assert (dated["first_change_year_p10"] <= dated["first_change_year"]).all()
    assert dated["first_change_year"].between(2027, 2036).all()
    assert cells["share_of_runs_changed"].between(0, 1).all()
    finals = cells.filter(like="final_")
    assert np.allclose(finals.sum(axis=1), 1.0)
    # Where it changed hands in most runs there is a median year; where it never did, none.
    often = cells["share_of_runs_changed"] > 0.5
    assert cells.loc[often, "first_change_year"].notna().all()
    assert cells.loc[cells["share_of_runs_changed"] == 0, "first_change_year"].isna().all()
    quiet = sim.Settings(years=5, challengers=0, entry_rate=0, public_reach="own")
    _, still = sim.simulate_per_area(quiet, benefits, seed=1, runs=2)
    assert (still["share_of_runs_changed"] == 0).all() and still["first_change_year"].isna().all()


def test_the_tender_log_has_one_line_per_tender_direct_award_and_recall(benefits):
    settings = sim.Settings(years=8, term=2, direct_award_share=0.3, recall_year=6)
    root = np.random.SeedSequence(5)
    log = sim.tender_log(settings, benefits, root)
    rows = sim.simulate(settings, benefits, seed=5)
    assert (log["reason"] != "direct award").sum() - (log["reason"] == "recall").sum() == sum(
        r["tenders"] for r in rows
    )
    assert set(log["reason"]) <= {
        "first round", "term end", "failure", "re-let after step-in", "direct award", "recall"
    }  # fmt: skip
    assert (log.loc[log["reason"] == "first round", "year"] == 2027).all()
    assert (log["reason"] == "recall").sum() == benefits.lots - rows[5][
        "incumbent_share"
    ] * benefits.lots
    assert (log.loc[log["reason"] == "recall", "year"] == 2032).all()
    firms = log[log["winner_id"].str.startswith("simulated-")]
    assert firms["winner"].str.startswith("Simulated ").all()
    assert (log.loc[log["reason"] == "direct award", "bids"] == 0).all()


def test_the_flip_map_bins_years_early_to_late_and_marks_never(benefits):
    per_area = pd.DataFrame(
        {
            "area_code": ["E1", "E2", "E3", "E4"],
            "service_id": "council_tax",
            "first_change_year": pd.array([2027, 2033, 2056, pd.NA], dtype="Int64"),
            "share_of_runs_failed": [0.0, 0.19, 0.6, 1.0],
        }
    )
    frame = sim.first_change_frame(per_area, "council_tax", 2027, 2056)
    assert frame["label"].tolist() == [
        "2027–2031",
        "2032–2036",
        "2052–2056",
        "Not within the horizon (to 2056)",
    ]
    assert frame["key"].is_monotonic_increasing and frame["colour"].nunique() == 4
    shares = sim.share_frame(per_area, "council_tax", "share_of_runs_failed")
    assert shares["label"].tolist() == ["0%–20%", "0%–20%", "60%–80%", "80%–100% of runs"]


def test_money_moved_is_summed_over_the_years_of_each_run():
    runs = [
        [{"year": 2026, "x": 0.0}, {"year": 2027, "x": 2.0}, {"year": 2028, "x": 1.0}],
        [{"year": 2026, "x": 0.0}, {"year": 2027, "x": 4.0}, {"year": 2028, "x": 3.0}],
    ]
    summed = sim.cumulative(runs, "x")
    assert [r["median"] for r in summed] == [0.0, 3.0, 5.0]
    assert sim.cumulative([[{"year": 2026, "x": None}]], "x")[0]["median"] is None


# -- the command line ------------------------------------------------------------------------
def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_cli_prints_json_per_year_and_repeats_itself_exactly():
    args = (
        "simulate",
        "--term",
        "3",
        "--failure-tolerance",
        "0.2",
        "--seed",
        "1",
        "--years",
        "6",
        "--json",
    )
    first, again = cli(*args), cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    doc = json.loads(first.stdout)
    assert doc["settings"]["term"] == 3 and doc["settings"]["seed"] == 1
    assert len(doc["years"]) == 7
    for key in [*sim.METRICS, "year", "kind_shares"]:
        assert key in doc["years"][1], key


def test_the_cli_reads_a_settings_file_and_its_options_override_it(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[market]\nterm = 4\nyears = 3\n[scope]\nnations = ["W"]\n')
    out = cli("simulate", "--settings", str(path), "--term", "2", "--json")
    assert out.returncode == 0, out.stderr
    settings = json.loads(out.stdout)["settings"]
    assert settings["term"] == 2 and settings["years"] == 3 and settings["nations"] == ["W"]
    assert settings["area_services"] == 22 * 8
    bad = tmp_path / "bad.toml"
    bad.write_text("[market]\nterms = 4\n")
    refused = cli("simulate", "--settings", str(bad))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "unknown setting 'terms'" in refused.stderr


def test_the_cli_runs_monte_carlo_with_bands_and_writes_csv(tmp_path):
    target, cells = tmp_path / "runs.csv", tmp_path / "areas.csv"
    out = cli(
        "simulate", "--years", "3", "--runs", "4", "--csv", str(target), "--per-area", str(cells)
    )
    assert out.returncode == 0, out.stderr
    per_area = pd.read_csv(cells)
    assert len(per_area) == 2888
    assert {"area_code", "service_id", "first_change_year", "share_of_runs_failed"} <= set(
        per_area.columns
    )
    header = target.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"incumbent_share", "incumbent_share_p10", "spend_gbp_p90", "owning_groups"} <= set(
        header
    )


def test_the_cli_refuses_bad_settings_with_one_line():
    for args, words in [
        (("--failure-tolerance", "2"), "failure_tolerance must be between 0 and 1"),
        (("--public-bidders", "sometimes"), "public_bidders must be one of"),
        (("--nations", "E,X"), "nations must list nations"),
        (("--values", "nowhere.csv"), "nowhere.csv is not a file"),
    ]:
        out = cli("simulate", *args)
        assert out.returncode == 2 and out.stderr.count("\n") == 1, args
        assert words in out.stderr


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
    out = cli("simulate", "--scenario", str(path), "--years", "3", "--json")
    assert out.returncode == 0, out.stderr
    settings = json.loads(out.stdout)["settings"]
    assert settings["scenario"] == "Wales bundle" and settings["units"] == 2888 - 66 + 1
    # The same scenario named as the lots of a settings file.
    settings_file = tmp_path / "wales.toml"
    settings_file.write_text(f'[market]\nyears = 2\n[scope]\nlots = "{path.as_posix()}"\n')
    named = cli("simulate", "--settings", str(settings_file), "--json")
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout)["settings"]["units"] == 2888 - 66 + 1
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    bad = cli("simulate", "--scenario", str(broken))
    assert bad.returncode == 2 and "not valid JSON" in bad.stderr


def test_the_cli_table_survives_a_reader_that_stops_early():
    out = subprocess.run(
        f"{sys.executable} -m dashboard.cli simulate --years 30 | head -2",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in out.stderr and out.stdout.count("\n") == 2


# -- history ---------------------------------------------------------------------------------
def test_centrifuge_calibrate_passes_every_history_target_and_pattern():
    """The same check as `centrifuge calibrate`: 20 seeds a scenario, every band."""
    out = cli("calibrate", "--seeds", "20", "--workers", "2")
    lines = out.stdout.strip().splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert out.returncode == 0 and not failed, "\n".join(failed) or out.stderr
    targets = [line for line in lines if line.startswith("pass")]
    assert len(targets) >= 3 + 4 + 5 + 7  # S1, S2, S3 and the patterns
    assert {line.split(":")[0] for line in targets} >= {
        "pass  S1",
        "pass  S2",
        "pass  S3",
        "pass  P6",
    }
