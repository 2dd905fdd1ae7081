"""Sweeps over a grid of settings: the same figures wherever the runs are done."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from dashboard import simulation as sim
from dashboard.simulation import sweep as sweeps
from tests.conftest import ROOT


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "sweep", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_grid_has_every_combination_with_the_first_setting_varying_slowest():
    combos = sweeps.grid({"term": [2, 5], "failure_tolerance": [0.05, 0.3]})
    assert combos == [
        {"term": 2, "failure_tolerance": 0.05},
        {"term": 2, "failure_tolerance": 0.3},
        {"term": 5, "failure_tolerance": 0.05},
        {"term": 5, "failure_tolerance": 0.3},
    ]
    with pytest.raises(sim.SettingsError, match="nations cannot be swept"):
        sweeps.grid({"nations": [("E",), ("W",)]})
    with pytest.raises(sim.SettingsError, match="term: 'x' is not a number"):
        sweeps.parse("term", "2,x")
    with pytest.raises(sim.SettingsError, match="term must be between 1 and 50"):
        sweeps.parse("term", "2,99")


def test_a_sweep_gives_each_combination_the_figures_of_its_own_settings():
    market = sim.market_for(sim.Settings(nations=("W",)))
    base = sim.Settings(years=6, nations=("W",))
    table = sweeps.sweep(base, market, {"term": [2, 10]}, seed=3, runs=3)
    assert len(table) == 2 * 7 and set(table["term"]) == {2, 10}
    for term in (2, 10):
        alone = sim.simulate(base.replace(term=term), market, seed=3, runs=3)
        mine = table[table["term"] == term]
        assert mine["incumbent_share"].tolist() == [r["incumbent_share"] for r in alone]
    year = sweeps.at_year(table, 2032, "incumbent_share")
    assert list(year.columns) == [
        "term",
        "incumbent_share",
        "incumbent_share_p10",
        "incumbent_share_p90",
    ]


def test_the_cli_sweeps_the_same_on_one_process_two_or_a_dask_cluster(tmp_path):
    from distributed import LocalCluster

    args = ["--term", "3,10", "--failure-tolerance", "0.05,0.3", "--years", "4", "--runs", "2"]
    one, two, dask = (tmp_path / f"{n}.csv" for n in ("one", "two", "dask"))
    assert cli(*args, "--csv", str(one)).returncode == 0
    assert cli(*args, "--workers", "2", "--csv", str(two)).returncode == 0
    with LocalCluster(
        n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        out = cli(*args, "--dask", cluster.scheduler_address, "--csv", str(dask))
    assert out.returncode == 0, out.stderr
    assert "8/8 runs" in out.stderr  # the progress bar
    table = pd.read_csv(one)
    assert len(table) == 4 * 5
    assert {"term", "failure_tolerance", "year", "incumbent_share_p90", "spend_gbp"} <= set(
        table.columns
    )
    assert one.read_bytes() == two.read_bytes() == dask.read_bytes()


def test_the_cli_refuses_a_sweep_of_nothing_or_an_unreachable_cluster(tmp_path):
    out = cli("--term", "3", "--csv", str(tmp_path / "x.csv"))
    assert out.returncode == 2 and "two or more values" in out.stderr
    bad = cli("--term", "3,x", "--csv", str(tmp_path / "x.csv"))
    assert bad.returncode == 2 and "term: 'x' is not a number" in bad.stderr
    gone = cli("--term", "3,5", "--dask", "tcp://127.0.0.1:9", "--csv", str(tmp_path / "x.csv"))
    assert gone.returncode == 2 and "could not reach the Dask scheduler" in gone.stderr
