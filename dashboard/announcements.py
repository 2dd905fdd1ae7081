"""Changes announced or legislated but not yet in force (``announcements.csv`` in a franchise data
folder, optional): what is known and what is not, never written into holdings' dates until it
is law with a date.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path

FILE = "announcements.csv"
COLUMNS = (
    "id",
    "title",
    "status",
    "announced",
    "expected",
    "services",
    "scope",
    "known",
    "unknown",
    "source",
    "checked",
)
STATUSES = {"announced": "Announced, not yet law", "legislated": "Law, not yet in force"}
NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


class AnnouncementError(ValueError):
    """``announcements.csv`` cannot be read; the message names the file, line and problem."""


@dataclass(frozen=True)
class Announcement:
    id: str
    title: str
    status: str
    announced: str
    expected: str
    services: tuple[str, ...]
    scope: tuple[str, ...]
    known: str
    unknown: str
    source: str
    checked: str

    def applies_to(self, code: str, country: str) -> bool:
        """Whether it reaches area ``code``: named, or in a nation named and not excluded
        ("-E08000003" in the scope leaves Manchester out)."""
        if f"-{code}" in self.scope:
            return False
        return code in self.scope or country in self.scope

    def as_json(self) -> dict:
        doc = asdict(self)
        doc["services"], doc["scope"] = list(self.services), list(self.scope)
        doc["expected"] = self.expected or None
        return doc


def _date(value: str, where: str, column: str, required: bool) -> None:
    if not value and not required:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        raise AnnouncementError(
            f"{where}: {column} '{value}' is not a date like 2028-05-04"
        ) from None


@cache
def _read(path: Path, stamp: float) -> tuple[Announcement, ...]:
    items = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return ()
        if tuple(h.strip() for h in header) != COLUMNS:
            raise AnnouncementError(f"{path.name}:1: the columns must be {', '.join(COLUMNS)}")
        for line, row in enumerate(reader, 2):
            if not any(cell.strip() for cell in row):
                continue
            where = f"{path.name}:{line}"
            if len(row) != len(COLUMNS):
                raise AnnouncementError(f"{where}: {len(row)} cells, expected {len(COLUMNS)}")
            cells = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))
            if cells["status"] not in STATUSES:
                raise AnnouncementError(
                    f"{where}: status '{cells['status']}' is not one of {', '.join(STATUSES)}"
                )
            for column in ("id", "title", "services", "scope", "source"):
                if not cells[column]:
                    raise AnnouncementError(f"{where}: {column} is empty")
            _date(cells["announced"], where, "announced", True)
            _date(cells["expected"], where, "expected", False)
            _date(cells["checked"], where, "checked", True)
            items.append(
                Announcement(
                    **{
                        **cells,
                        "services": tuple(cells["services"].split()),
                        "scope": _scope_words(cells["scope"]),
                    }
                )
            )
    return tuple(items)


def _scope_words(scope: str) -> tuple[str, ...]:
    """Nation names (which have spaces) and codes, from a space-separated cell."""
    text, found = f" {scope} ", []
    for nation in NATIONS:
        if f" {nation} " in text:
            found.append(nation)
            text = text.replace(f" {nation} ", " ")
    return (*found, *text.split())


def load(directory: Path) -> tuple[Announcement, ...]:
    """Every announcement in ``directory`` (none if it has no ``announcements.csv``)."""
    path = Path(directory) / FILE
    if not path.exists():
        return ()
    return _read(path, path.stat().st_mtime)


def for_area(
    directory: Path, code: str, country: str, on: date | None = None
) -> list[Announcement]:
    """The announcements that apply to area ``code`` in ``country`` and are news on day ``on``
    (default today): announced by then, and still ahead (no expected date, or a later one)."""
    day = (on or date.today()).isoformat()
    return [
        a
        for a in load(directory)
        if a.applies_to(code, country)
        and a.announced <= day
        and (not a.expected or a.expected > day)
    ]


def describe(item: Announcement) -> str:
    """Plain text for the command line."""
    when = f"; expected {item.expected}" if item.expected else "; no date set"
    lines = [f"{STATUSES[item.status]}: {item.title} (announced {item.announced}{when})"]
    if item.known:
        lines.append(f"  Known: {item.known}")
    if item.unknown:
        lines.append(f"  Not known: {item.unknown}")
    lines.append(f"  Source: {item.source} (checked {item.checked})")
    return "\n".join(lines)
