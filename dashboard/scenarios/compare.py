"""Scenarios against today and against each other: organisations replaced, what a resident
deals with, areas that change lot, and the services a scenario's package bundles."""

from __future__ import annotations

import pandas as pd

from dashboard.lots import Assignment
from dashboard.scenarios.model import Scenario, ScenarioError


def compare(baseline, assignment: Assignment, services: list[str]) -> pd.DataFrame:
    """Per lot: areas, the organisations running the package there today (replaced by one),
    and the mean number of organisations a resident deals with, today and after (each lot's
    package run by one organisation, every other service as today)."""
    from dashboard import holdings

    table = holdings.current(baseline)
    rows = []
    for lot in assignment.order:
        codes = set(assignment.areas_of(lot))
        if not codes:
            continue
        here = table[table["area_code"].isin(codes)]
        today = here.groupby("area_code")["holder_id"].nunique()
        others = here[~here["service_id"].isin(services)]
        after = others.groupby("area_code")["holder_id"].nunique().reindex(
            sorted(codes), fill_value=0
        ) + (1 if services else 0)
        rows.append(
            {
                "Lot": lot,
                "Areas": len(codes),
                "Organisations replaced": int(
                    here.loc[here["service_id"].isin(services), "holder_id"].nunique()
                ),
                "Organisations a resident deals with today (mean over areas)": round(
                    float(today.mean()), 2
                ),
                "…after": round(float(after.mean()), 2),
            }
        )
    return pd.DataFrame(rows)


def differences(mine: Assignment, theirs: Assignment, names) -> pd.DataFrame:
    """Areas whose lot differs between two assignments (empty when they agree)."""
    codes = sorted(set(mine.lots) | set(theirs.lots))
    rows = [
        {
            "Code": c,
            "Area": names.get(c, c),
            "Lot here": mine.lots.get(c, "(none)"),
            "Lot there": theirs.lots.get(c, "(none)"),
        }
        for c in codes
        if mine.lots.get(c) != theirs.lots.get(c)
    ]
    return pd.DataFrame(rows, columns=["Code", "Area", "Lot here", "Lot there"])


def services_of(baseline, package_id: str) -> list[str]:
    """The services a scenario's package bundles: a preset package, or ``custom:a,b``."""
    known = baseline.services["id"].tolist()
    if package_id.startswith("custom:"):
        wanted = [s for s in package_id.removeprefix("custom:").split(",") if s in known]
    else:
        packages = baseline.packages
        wanted = packages.loc[packages["package_id"] == package_id, "service_id"].tolist()
    if not wanted:
        raise ScenarioError(f"package '{package_id[:60]}' has no known services")
    return [s for s in known if s in wanted]


def market_lots(scenario: Scenario) -> dict[str, list[str]]:
    """Lot name -> area codes, for the simulator (empty lots left out)."""
    return {
        name: scenario.assignment.areas_of(name)
        for name in scenario.assignment.order
        if scenario.assignment.areas_of(name)
    }
