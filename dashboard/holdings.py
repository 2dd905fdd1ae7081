"""Who runs what: questions asked of a checked franchise data folder."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from dashboard import franchises, lads, paths, vintages
from dashboard.franchises import Baseline


@dataclass(frozen=True)
class Holding:
    """One service in one area: who holds it, since when, who answers for it, and the source.

    Empty strings mean "unknown" (``since``) or "no end date" (``until``).
    """

    area_code: str
    service_id: str
    service: str
    family: str
    holder_id: str
    holder: str
    holder_kind: str
    accountable_to: str
    since: str
    until: str
    source: str
    checked: str
    notes: str

    def as_json(self) -> dict[str, str | None]:
        """The fields of the ``who-runs --json`` contract; unknown or open dates are null."""
        doc: dict[str, str | None] = asdict(self)
        for key in ("since", "until", "accountable_to", "notes"):
            doc[key] = doc[key] or None
        return doc


#: What a holder no source names yet is called wherever it is shown.
UNKNOWN_HOLDER = "not yet known"


def area_codes() -> list[str]:
    """The areas franchise data must cover: the LAD 2025 codes of ``data/boundaries/lads.csv``,
    whatever boundary file the map uses."""
    return lads.lad_table()["code"].tolist()


def area_lives() -> dict[str, franchises.Life]:
    """Every area franchise data may name, with its first and last day (None: before or beyond
    any day checked): today's LAD 2025 areas, and the former and future areas of
    ``data/boundaries/area_changes.csv``."""
    lives = {}
    for row in vintages.all_areas().itertuples():
        start = date.fromisoformat(row.start) if row.start else None
        end = date.fromisoformat(row.end) if row.end else None
        lives[row.code] = (start, end)
    return lives


def load(directory: Path | None = None, today: date | None = None) -> Baseline:
    """The franchise data in use (``CENTRIFUGE_DATA`` or the shipped baseline), checked.
    Raises :class:`franchises.DataError` listing every problem."""
    return franchises.load(directory or paths.franchises_dir(), area_lives(), today)


def in_force_mask(held: pd.DataFrame, on: date) -> pd.Series:
    """Which holdings (rows with ``since`` and ``until``) are in force on day ``on``."""
    return vintages.alive(held, on, "since", "until")


@functools.lru_cache(maxsize=64)
def absent_on(on: date) -> frozenset[str]:
    """Codes of the known areas that do not exist on day ``on``."""
    frame = vintages.all_areas()
    return frozenset(frame.loc[~vintages.alive(frame, on), "code"])


def current(baseline: Baseline, on: date | None = None) -> pd.DataFrame:
    """One row per area and service: the holding in force ``on`` that day (default today),
    joined with the service and holder, in the order of ``services.csv``. Rows of areas that do
    not exist that day (a former district, a future council) are left out."""
    on = on or date.today()
    held = baseline.holdings
    in_force = held[in_force_mask(held, on) & ~held["area_code"].isin(absent_on(on))]
    services = baseline.services.rename(
        columns={"id": "service_id", "name": "service", "description": "service_description"}
    ).assign(service_order=range(len(baseline.services)))
    holders = baseline.organisations.rename(
        columns={
            "id": "holder_id",
            "name": "holder",
            "kind": "holder_kind",
            "website": "holder_website",
            "notes": "holder_notes",
        }
    )
    table = in_force.merge(services, on="service_id", how="left").merge(
        holders, on="holder_id", how="left"
    )
    # A future holding whose holder no source names yet (see SCHEMA.md): shown as unknown.
    unknown = table["holder_id"] == ""
    if unknown.any():
        table.loc[unknown, "holder"] = UNKNOWN_HOLDER
        for column in ("holder_kind", "holder_website", "holder_notes"):
            table.loc[unknown, column] = ""
    return table.sort_values(["area_code", "service_order"], kind="stable").reset_index(drop=True)


def for_area(baseline: Baseline, code: str, on: date | None = None) -> list[Holding]:
    """Every service's holding in area ``code``, in the order of ``services.csv``."""
    table = current(baseline, on)
    fields = Holding.__dataclass_fields__
    return [
        Holding(**{k: str(row[k]) for k in fields})
        for row in table[table["area_code"] == code].to_dict("records")
    ]


@dataclass(frozen=True)
class Next:
    """What follows a holding that ends: from which day, who holds the service then (names
    joined with "and"), whom they answer to, and in which areas (the same one, or those that
    replaced it)."""

    day: str
    holder: str
    accountable_to: str
    area_codes: tuple[str, ...]

    def as_json(self) -> dict:
        return {
            "from": self.day,
            "holder": self.holder,
            "accountable_to": self.accountable_to or None,
            "area_codes": list(self.area_codes),
        }

    def describe(self, ended: Holding, names: dict[str, str] | None = None) -> str:
        """ "then West Surrey Council", "then answering to Mayor of West Yorkshire", "the same
        after, in North Yorkshire"."""
        if self.holder != ended.holder:
            return f"then {self.holder}"
        if self.accountable_to and self.accountable_to != ended.accountable_to:
            return f"then answering to {self.accountable_to}"
        if self.area_codes != (ended.area_code,):
            where = " and ".join((names or {}).get(c, c) for c in self.area_codes)
            return f"the same after, in {where}"
        return "the same after"


def next_holder(baseline: Baseline, holding: Holding) -> Next | None:
    """Who holds the service the day after ``holding`` ends, in its area or the areas that
    replaced it, or None if it has no end or nobody is recorded then."""
    if not holding.until:
        return None
    day = date.fromisoformat(holding.until) + timedelta(days=1)
    codes = vintages.successors_on(holding.area_code, day) or [holding.area_code]
    held = baseline.holdings
    rows = held[
        held["area_code"].isin(codes)
        & (held["service_id"] == holding.service_id)
        & in_force_mask(held, day)
    ]
    if rows.empty:
        return None
    names = dict(zip(baseline.organisations["id"], baseline.organisations["name"], strict=True))
    holders = list(dict.fromkeys(names.get(h, UNKNOWN_HOLDER) for h in rows["holder_id"]))
    answer = list(dict.fromkeys(a for a in rows["accountable_to"] if a))
    return Next(
        day.isoformat(),
        " and ".join(holders),
        " and ".join(answer),
        tuple(sorted(set(rows["area_code"]))),
    )
