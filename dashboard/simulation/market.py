"""What is tendered: the area-services in scope, grouped into tender units, with their values.

Prepared once from the baseline, with no randomness. An *area-service* (a cell) is one service
in one area; a *unit* is what one tender lets: one cell, a group of areas for one service
(``lots = "region"`` …), a group's whole package (``bundle = true``), or a studio scenario's lot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from dashboard import holdings, population, taxation
from dashboard.franchises import Baseline
from dashboard.simulation import money
from dashboard.simulation.settings import NATIONS, Settings, SettingsError

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
#: Kinds of holder residents elect: their council, or their mayor's combined authority. A
#: service is "run by a body they elect" while its own such holder keeps it (a neighbouring
#: council that wins it is elected by others); the ``elected_share_population`` figure.
ELECTED_KINDS = taxation.ELECTED_KINDS
#: Kinds of today's holders that are public bodies (the ``public_share`` figure).
PUBLIC_KINDS = {
    "local_authority",
    "combined_authority",
    "central_government",
    "public_body",
    "joint_board",
    "nhs",
    "police",
    "fire",
    "ambulance",
}
#: The column of the area table that each geographic grouping of lots uses.
GROUP_COLUMN = {
    "upper_tier": "upper_tier_code",
    "police_force_area": "police",
    "fire_area": "fire",
    "region": "region",
    "nation": "country",
}


@dataclass
class Market:
    """The cells in scope, their units and values, and today's holders as bidders."""

    area_codes: list[str]
    service_ids: list[str]
    lot_area: np.ndarray  # per cell: index into area_codes
    lot_service: np.ndarray  # per cell: index into service_ids
    lot_family: np.ndarray  # per cell: index into families
    lot_risk: np.ndarray  # per cell: risk level
    lot_region: np.ndarray  # per cell: index into regions
    original: np.ndarray  # per cell: bidder index of today's holder
    families: list[str]
    regions: list[str]
    bidder_ids: list[str]
    bidder_names: list[str]
    bidder_kinds: list[str]
    unit_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    unit_names: list[str] = field(default_factory=list)
    scenario: str | None = None
    area_population: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: per cell: indicative annual value in £ (NaN where it cannot be sourced)
    cell_value: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: per cell: the value the dynamics use (the £ value, or its service's median where unknown)
    cell_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    value_source: str = ""

    @classmethod
    def from_baseline(
        cls,
        baseline: Baseline,
        areas: pd.DataFrame,
        lots: dict[str, list[str]] | None = None,
        package: list[str] | None = None,
        scenario: str | None = None,
        settings: Settings | None = None,
        values: pd.DataFrame | None = None,
    ) -> Market:
        """Every area-service in the scope of ``settings`` (all of them by default).

        ``areas`` has code, country, region and upper_tier_code and, where known, population.
        With ``lots`` (lot name -> area codes) and ``package`` (its services), each lot's
        package is tendered as one unit, as a studio scenario asks; otherwise ``settings.lots``
        groups the areas. ``values`` (area_code, service_id, annual_value_gbp) replaces the
        indicative values where it has a row.
        """
        settings = settings or Settings()
        table = holdings.current(baseline)
        table = table[table["area_code"].isin(set(areas["code"]))]
        table = _in_scope(table, areas, settings, baseline)
        services = baseline.services.set_index("id")
        people = (areas if "population" in areas else population.attach(areas)).set_index("code")
        groups = _groups(areas, holdings.current(baseline))
        region_of = groups["region"].to_dict()
        area_codes = sorted(set(table["area_code"]))
        area_population = people["population"].reindex(area_codes).astype("Float64")
        service_ids = [s for s in baseline.services["id"] if s in set(table["service_id"])]
        families = sorted(set(services.loc[service_ids, "family"]))
        regions = sorted(set(region_of[a] for a in area_codes))
        bidder_ids = sorted(set(table["holder_id"]))
        orgs = baseline.organisations.set_index("id")
        table = table.sort_values(["area_code", "service_id"]).reset_index(drop=True)
        index = {name: i for i, name in enumerate(bidder_ids)}
        unit_of, unit_names = _units(table, groups, settings, lots, package)
        residents = table["area_code"].map(area_population).astype(float).to_numpy()
        cell_value, source = money.cell_values(table, residents, values)
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
            cell_value=cell_value,
            cell_weight=money.weights(cell_value, table["service_id"].to_numpy()),
            value_source=source,
        )

    @cached_property
    def original_elected(self) -> np.ndarray:
        """Per cell: whether today's holder is a body residents elect (:data:`ELECTED_KINDS`)."""
        kinds = np.asarray(self.bidder_kinds, dtype=object)[self.original]
        return np.isin(kinds, list(ELECTED_KINDS))

    @property
    def lots(self) -> int:
        """Area-services (cells) in scope: 361 × 8 for the whole UK."""
        return len(self.original)

    @property
    def units(self) -> int:
        """What is tendered: units, each one or more cells."""
        return int(self.unit_of.max()) + 1 if len(self.unit_of) else 0

    def unit_arrays(self) -> dict:
        """Per unit: cells, size, family weights, risk (the highest), region (the commonest),
        lead original holder (the one holding most of its cells) and value."""
        unit_of = self.unit_of
        n = self.units
        size = np.bincount(unit_of, minlength=n)
        weights = np.zeros((n, len(self.families)))
        np.add.at(weights, (unit_of, self.lot_family), self.cell_weight)
        value = np.bincount(unit_of, self.cell_weight, n)
        weights /= np.maximum(value, 1e-12)[:, None]
        risk = np.zeros(n)
        np.maximum.at(risk, unit_of, self.lot_risk)
        order = np.argsort(unit_of, kind="stable")
        bounds = np.searchsorted(unit_of[order], np.arange(n + 1))
        cells = [order[bounds[u] : bounds[u + 1]] for u in range(n)]
        region = np.array([np.bincount(self.lot_region[c]).argmax() for c in cells], dtype=int)
        lead = np.array([np.bincount(self.original[c]).argmax() for c in cells], dtype=int)
        return {
            "unit_of": unit_of,
            "size": size,
            "weights": weights,
            "risk": risk,
            "region": region,
            "lead": lead,
            "cells": cells,
            "value": value,
        }


def _groups(areas: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Per area code: region (the nation outside England), nation, upper tier, police force
    and fire service holders."""
    frame = areas.set_index("code")
    region = frame["region"].where(frame["region"].fillna("") != "", frame["country"])
    out = pd.DataFrame(
        {
            "region": region,
            "country": frame["country"],
            "upper_tier_code": frame["upper_tier_code"]
            if "upper_tier_code" in frame
            else frame.index.to_series(),
        }
    )
    for service in ("police", "fire"):
        held = current[current["service_id"] == service].set_index("area_code")["holder_id"]
        out[service] = out.index.map(held).fillna("")
    return out


def _in_scope(table, areas, settings: Settings, baseline: Baseline) -> pd.DataFrame:
    known = set(baseline.services["id"])
    unknown = [s for s in settings.services if s not in known]
    if unknown:
        raise SettingsError(
            f"services: unknown service id '{unknown[0][:40]}' (known: {', '.join(sorted(known))})"
        )
    if settings.services:
        table = table[table["service_id"].isin(settings.services)]
    if settings.nations:
        wanted = {NATIONS[n] for n in settings.nations}
        country = areas.set_index("code")["country"]
        table = table[table["area_code"].map(country).isin(wanted)]
    if table.empty:
        raise SettingsError("the scope holds no area-service (check nations and services)")
    return table


def _units(table, groups, settings: Settings, lots, package) -> tuple[np.ndarray, list[str]]:
    """The unit of each cell, and the units' names."""
    if lots:
        lot_of_area = {code: name for name, codes in lots.items() for code in codes}
        bundled = table["area_code"].map(lot_of_area).where(table["service_id"].isin(package or []))
        keys = [
            lot if isinstance(lot, str) else f"{code} {service}"
            for lot, code, service in zip(
                bundled, table["area_code"], table["service_id"], strict=True
            )
        ]
    elif settings.lots == "area":
        keys = [f"{a} {s}" for a, s in zip(table["area_code"], table["service_id"], strict=True)]
    else:
        column = GROUP_COLUMN[settings.lots]
        group = table["area_code"].map(groups[column]).fillna("")
        group = group.where(group != "", table["area_code"])
        if settings.bundle:
            keys = list(group)
        else:
            keys = [f"{g} {s}" for g, s in zip(group, table["service_id"], strict=True)]
    names = list(dict.fromkeys(keys))
    position = {name: i for i, name in enumerate(names)}
    return np.array([position[k] for k in keys], dtype=int), names
