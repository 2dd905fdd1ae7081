"""Areas through time: which local authority districts exist on a day, and which boundary set
(vintage) draws them.

Every area of the LAD 2025 table (``data/boundaries/lads.csv``) exists from before 2019 until
further notice, unless ``data/boundaries/area_changes.csv`` gives it a ``start`` or an ``end``.
That file also lists the areas that no longer exist (Harrogate, abolished on 1 April 2023) and
those that will (West Surrey, from 1 April 2027, with a provisional code until ONS issues one),
each with its council, its successors and the order that made the change.

A vintage is the set of areas in force over a span of days. Between two vintages only whole
areas merge or change code, except the Barnsley and Sheffield boundary change of 2025, so each
vintage is drawn from the same official pieces (see :mod:`dashboard.boundaries`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import pandas as pd

from dashboard import lads, paths

AREA_CHANGES = paths.BOUNDARIES_DIR / "area_changes.csv"
#: The earliest and latest day the atlas and ``who-runs --on`` answer for.
FIRST_DAY = date(2019, 4, 1)
LAST_DAY = date(2028, 12, 31)


@dataclass(frozen=True)
class Vintage:
    """A boundary set: its name (as ONS names LAD vintages), the first and last day it is in
    force (``end`` None: until further notice), and whether its codes are provisional."""

    name: str
    start: date
    end: date | None
    provisional: bool = False
    note: str = ""

    @property
    def slug(self) -> str:
        """``lad_2025``: the stem of this vintage's boundary files."""
        return self.name.lower().replace(" ", "_")

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def label(self) -> str:
        """ "LAD 2025 (in force 1 April 2025 to 31 March 2027)"."""
        span = f"from {long_date(self.start)}"
        if self.end is not None:
            span = f"{long_date(self.start)} to {long_date(self.end)}"
        extra = "; provisional codes" if self.provisional else ""
        return f"{self.name} (in force {span}{extra})"


VINTAGES: tuple[Vintage, ...] = (
    Vintage(
        "LAD 2019",
        date(2019, 4, 1),
        date(2020, 3, 31),
        note="Buckinghamshire's four districts, Northamptonshire's seven",
    ),
    Vintage(
        "LAD 2020",
        date(2020, 4, 1),
        date(2021, 3, 31),
        note="Buckinghamshire Council; Northamptonshire's seven districts",
    ),
    Vintage(
        "LAD 2021",
        date(2021, 4, 1),
        date(2023, 3, 31),
        note="before the 2023 reorganisations of Cumbria, North Yorkshire and Somerset",
    ),
    Vintage(
        "LAD 2023",
        date(2023, 4, 1),
        date(2025, 3, 31),
        note="before the 2025 Barnsley and Sheffield boundary change",
    ),
    Vintage("LAD 2025", date(2025, 4, 1), date(2027, 3, 31), note="the areas in force today"),
    Vintage(
        "LAD 2027",
        date(2027, 4, 1),
        None,
        provisional=True,
        note="East Surrey (E06P27001) and West Surrey (E06P27002) are provisional codes until ONS "
        "issues theirs",
    ),
)
CURRENT = next(v for v in VINTAGES if v.name == paths.VINTAGE)


class DateOutOfRange(ValueError):
    """A day before or after the span Centrifuge answers for."""


def long_date(day: date) -> str:
    """ "1 April 2027"."""
    return f"{day.day} {day:%B %Y}"


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` day within the span answered for, or :class:`DateOutOfRange` /
    ``ValueError`` naming the problem."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        shown = (text or "").strip()[:20]
        raise ValueError(
            f"'{shown}' is not a date: write it as YYYY-MM-DD, e.g. 2027-06-01"
        ) from None
    check_day(day)
    return day


def check_day(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateOutOfRange(
            f"{day.isoformat()} is outside the dates Centrifuge answers for "
            f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
        )
    return day


def clip(day: date) -> date:
    """``day``, or the nearest day within the span answered for."""
    return min(max(day, FIRST_DAY), LAST_DAY)


def for_day(day: date) -> Vintage:
    """The vintage in force on ``day`` (which must be within the span answered for)."""
    check_day(day)
    return next(v for v in VINTAGES if v.covers(day))


def by_name(name: str) -> Vintage:
    for vintage in VINTAGES:
        if vintage.name == name:
            return vintage
    raise KeyError(name)


@cache
def changes() -> pd.DataFrame:
    """``area_changes.csv``: code, name, council, country, region, upper_tier_code,
    upper_tier_name, start, end, successors, order, si, status (strings; "" when empty)."""
    return pd.read_csv(AREA_CHANGES, dtype=str, keep_default_na=False)


@cache
def all_areas() -> pd.DataFrame:
    """Every area that exists on some day answered for, or did until 2019: the LAD 2025 table's
    columns plus ``start``, ``end``, ``successors``, ``order``, ``si``, ``council`` and
    ``status`` ("official", or "provisional" for a code ONS has not yet issued)."""
    today = lads.lad_table().assign(
        start="", end="", successors="", order="", si="", council="", status="official"
    )
    extra = changes()
    known = today.set_index("code")
    for column in ("start", "end", "successors", "order", "si", "council", "status"):
        values = extra.set_index("code")[column]
        shared = values.index.intersection(known.index)
        known.loc[shared, column] = values.loc[shared]
    others = extra[~extra["code"].isin(known.index)]
    frame = pd.concat([known.reset_index(), others[known.reset_index().columns]], ignore_index=True)
    return frame.sort_values("code", kind="stable").reset_index(drop=True)


def alive(frame: pd.DataFrame, day: date, start: str = "start", end: str = "end") -> pd.Series:
    """Which rows of ``frame`` are in force on ``day``: their ``start`` column ("" for always
    before) is not after it and their ``end`` column ("" for no end) not before it. Areas have
    ``start`` and ``end``; holdings ``since`` and ``until``."""
    on = day.isoformat()
    return ((frame[start] == "") | (frame[start] <= on)) & ((frame[end] == "") | (frame[end] >= on))


@cache
def names() -> dict[str, str]:
    """Area code -> name, for every area of any day."""
    frame = all_areas()
    return dict(zip(frame["code"], frame["name"], strict=True))


@cache
def areas_of(name: str) -> pd.DataFrame:
    """The areas of vintage ``name``: the columns of :func:`all_areas`, sorted by code."""
    vintage = by_name(name)
    frame = all_areas()
    return frame[alive(frame, vintage.start)].reset_index(drop=True)


def areas_on(day: date) -> pd.DataFrame:
    """The areas in force on ``day``."""
    return areas_of(for_day(day).name)


def area(code: str) -> pd.Series | None:
    """One area of any vintage by code, or None."""
    frame = all_areas()
    hit = frame[frame["code"] == code]
    return hit.iloc[0] if len(hit) else None


def successors_on(code: str, day: date) -> list[str]:
    """The areas in force on ``day`` that cover area ``code`` (itself if it is in force),
    following successors through any number of changes."""
    frame = all_areas().set_index("code")
    living = alive(frame, day)
    seen: list[str] = []
    todo = [code]
    while todo:
        current = todo.pop(0)
        if current not in frame.index or current in seen:
            continue
        row = frame.loc[current]
        if living[current]:
            seen.append(current)
        elif row["end"] and row["end"] < day.isoformat():
            todo.extend(row["successors"].split())
    return seen


def predecessors(code: str) -> list[str]:
    """The areas that ``code`` directly replaced."""
    frame = all_areas()
    return frame[frame["successors"].str.split().map(lambda s: code in s)]["code"].tolist()
