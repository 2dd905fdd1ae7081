"""Who runs what: questions asked of a checked franchise data folder."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import franchises, lads, paths
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


def area_codes() -> list[str]:
    """The areas franchise data must cover: the LAD 2025 codes of ``data/boundaries/lads.csv``,
    whatever boundary file the map uses."""
    return lads.lad_table()["code"].tolist()


def load(directory: Path | None = None, today: date | None = None) -> Baseline:
    """The franchise data in use (``CENTRIFUGE_DATA`` or the shipped baseline), checked.
    Raises :class:`franchises.DataError` listing every problem."""
    return franchises.load(directory or paths.franchises_dir(), area_codes(), today)


def current(baseline: Baseline, on: date | None = None) -> pd.DataFrame:
    """One row per area and service: the holding in force ``on`` that day (default today),
    joined with the service and holder, in the order of ``services.csv``."""
    on = (on or date.today()).isoformat()
    held = baseline.holdings
    in_force = held[
        ((held["since"] == "") | (held["since"] <= on))
        & ((held["until"] == "") | (held["until"] >= on))
    ]
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
    return table.sort_values(["area_code", "service_order"], kind="stable").reset_index(drop=True)


def for_area(baseline: Baseline, code: str, on: date | None = None) -> list[Holding]:
    """Every service's holding in area ``code``, in the order of ``services.csv``."""
    table = current(baseline, on)
    fields = Holding.__dataclass_fields__
    return [
        Holding(**{k: str(row[k]) for k in fields})
        for row in table[table["area_code"] == code].to_dict("records")
    ]
