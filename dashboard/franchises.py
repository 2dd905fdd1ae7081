"""Franchise data folders: read them, check them, and say exactly what is wrong.

A folder (``data/franchises/`` or any folder named by ``CENTRIFUGE_DATA``) holds four CSV files,
described in ``data/franchises/SCHEMA.md``: ``services.csv``, ``organisations.csv``,
``holdings.csv`` and ``packages.csv``. :func:`check` reports every problem it finds as a
:class:`Problem` (file, line, message); :func:`load` returns a :class:`Baseline` only when there
are none, so nothing downstream ever sees half-valid data.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

SERVICES = "services.csv"
ORGANISATIONS = "organisations.csv"
HOLDINGS = "holdings.csv"
PACKAGES = "packages.csv"

#: Required columns of each file, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    SERVICES: ("id", "name", "family", "risk", "description"),
    ORGANISATIONS: ("id", "name", "kind", "website", "notes"),
    HOLDINGS: (
        "area_code",
        "service_id",
        "holder_id",
        "accountable_to",
        "since",
        "until",
        "source",
        "checked",
    ),
    PACKAGES: ("package_id", "name", "service_id"),
}
#: Columns a file may add after the required ones.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {HOLDINGS: ("notes",)}
#: Cells that must not be empty.
REQUIRED_CELLS: dict[str, tuple[str, ...]] = {
    SERVICES: ("id", "name", "family", "risk"),
    ORGANISATIONS: ("id", "name", "kind"),
    HOLDINGS: ("area_code", "service_id", "source", "checked"),
    PACKAGES: ("package_id", "name", "service_id"),
}

KINDS = {
    "local_authority": "Local authority",
    "combined_authority": "Combined authority or mayor",
    "central_government": "Central government",
    "public_body": "Public body (arm's length)",
    "joint_board": "Joint board of council and NHS",
    "nhs": "NHS or HSC body",
    "police": "Police",
    "fire": "Fire and rescue",
    "ambulance": "Ambulance",
    "private": "Private company",
    "mutual": "Mutual or spin-out",
    "sme": "Small business",
    "charity": "Charity",
    "utility": "Utility",
}
FAMILIES = {
    "benefits": "Revenues and benefits",
    "blue_light": "Blue light",
    "social_care": "Social care",
}
RISKS = ("low", "medium", "high")

_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
MAX_CELL = 2000


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a data folder, where it is and what it is."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DataError(ValueError):
    """A data folder failed its checks; ``problems`` lists every one."""

    def __init__(self, directory: Path, problems: list[Problem]):
        self.directory = directory
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        first = f": {problems[0]}" if problems else ""
        super().__init__(f"{directory} has {len(problems)} {noun}{first}")


@dataclass(frozen=True)
class Baseline:
    """A checked franchise data folder: four tables of strings, plus where they came from."""

    directory: Path
    services: pd.DataFrame
    organisations: pd.DataFrame
    holdings: pd.DataFrame
    packages: pd.DataFrame


@dataclass
class _Table:
    name: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    ok: bool = False  # header read and matched


def _read(directory: Path, name: str, problems: list[Problem]) -> _Table:
    table = _Table(name)
    path = directory / name
    if not path.is_file():
        problems.append(Problem(name, 0, f"file is missing from {directory}"))
        return table
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, "is not UTF-8 text: save the file as UTF-8 and try again")
        )
        return table
    if not text.strip():
        expected = ",".join(COLUMNS[name])
        problems.append(Problem(name, 1, f"file is empty; the first line should be: {expected}"))
        return table
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(name, line, "contains a NUL byte: this is not a CSV text file"))
        return table
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.append(Problem(name, 1, f"cannot read the header: {exc}"))
        return table
    header = [h.strip() for h in header]
    required, optional = COLUMNS[name], OPTIONAL_COLUMNS.get(name, ())
    if tuple(header[: len(required)]) != required or not set(header[len(required) :]) <= set(
        optional
    ):
        missing = [c for c in required if c not in header]
        extra = [c for c in header if c not in required and c not in optional]
        detail = []
        if missing:
            detail.append(f"missing {', '.join(missing)}")
        if extra:
            detail.append(f"unexpected {', '.join(extra)}")
        if not detail:
            detail.append("wrong order")
        problems.append(
            Problem(
                name,
                1,
                f"columns should be {','.join(required)}"
                + (f" (optionally then {','.join(optional)})" if optional else "")
                + f"; found {','.join(header)} ({'; '.join(detail)})",
            )
        )
        return table
    if len(set(header)) != len(header):
        problems.append(Problem(name, 1, "a column name appears twice"))
        return table
    table.ok = True
    try:
        for line, fields in records(reader):
            if len(fields) != len(header):
                problems.append(
                    Problem(name, line, f"expected {len(header)} fields, found {len(fields)}")
                )
                continue
            row = {h: f.strip() for h, f in zip(header, fields, strict=True)}
            for column in optional:
                row.setdefault(column, "")
            table.rows.append((line, row))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, f"cannot read this line: {exc}"))
    if not table.rows and not any(p.file == name and p.line > 1 for p in problems):
        problems.append(Problem(name, 1, "has a header but no rows"))
    return table


def records(reader) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records of a ``csv.reader``, each with the line it starts on (a quoted
    cell may span lines). ``csv.Error`` propagates to the caller."""
    start = reader.line_num + 1
    for fields in reader:
        line, start = start, reader.line_num + 1
        if fields and any(f.strip() for f in fields):
            yield line, fields


def _parse_date(value: str) -> date | None:
    if not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _check_cells(table: _Table, problems: list[Problem]) -> None:
    for line, row in table.rows:
        for column in REQUIRED_CELLS[table.name]:
            if not row[column]:
                problems.append(Problem(table.name, line, f"{column} is empty"))
        for column, value in row.items():
            if len(value) > MAX_CELL:
                problems.append(
                    Problem(table.name, line, f"{column} is longer than {MAX_CELL} characters")
                )
            if any(ord(c) < 32 and c not in "\t\n" for c in value):
                problems.append(Problem(table.name, line, f"{column} has control characters"))


def _check_one_of(file, line, row, column, allowed, problems: list[Problem]) -> None:
    value = row[column]
    if value and value not in allowed:
        problems.append(
            Problem(file, line, f"{column} '{value}' is not one of {', '.join(allowed)}")
        )


def _check_link(file: str, line: int, column: str, value: str, problems: list[Problem]) -> None:
    """Only http(s) links may reach a page: ``javascript:`` and friends are refused."""
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        problems.append(
            Problem(file, line, f"{column} uses a '{scheme.group(1)}:' link; only http(s) allowed")
        )
    elif column == "website" and value and not scheme:
        problems.append(Problem(file, line, f"website '{value}' should start with https://"))


def _bad_id(file: str, line: int, column: str, value: str) -> Problem:
    return Problem(
        file, line, f"{column} '{value}' must be lower-case letters and digits joined by - or _"
    )


def _unique(table: _Table, key: str, problems: list[Problem]) -> dict[str, int]:
    first: dict[str, int] = {}
    for line, row in table.rows:
        value = row[key]
        if not value:
            continue
        if not _ID.match(value):
            problems.append(_bad_id(table.name, line, key, value))
        if value in first:
            problems.append(
                Problem(
                    table.name, line, f"duplicate {key} '{value}' (first on line {first[value]})"
                )
            )
        else:
            first[value] = line
    return first


#: The first day whose holders are checked for gaps (the first day the atlas answers for).
FIRST_CHECKED_DAY = date(2019, 4, 1)
#: An area's life: its first and last day, None where it began before, or lasts beyond, any
#: day we check.
Life = tuple[date | None, date | None]


def check(
    directory: Path | str,
    area_codes: Iterable[str] | Mapping[str, Life],
    today: date | None = None,
) -> list[Problem]:
    """Every problem with the data folder, sorted by file and line; empty when it is valid.

    ``area_codes`` are the GSS codes the data may use, and must cover. Given as plain codes,
    each must have one current holder for every service today. Given with their lives
    (:func:`holdings.area_lives`), each area must have exactly one holder for every service on
    every day of its life from ``FIRST_CHECKED_DAY`` (checked on its first day and on every
    day a holding of it starts or follows one that ends), and today if it exists today.
    ``today`` fixes what "current" means.
    """
    return _inspect(Path(directory), area_codes, today or date.today())[1]


def _lives(area_codes: Iterable[str] | Mapping[str, Life]) -> tuple[dict[str, Life], bool]:
    if isinstance(area_codes, Mapping):
        return dict(area_codes), True
    return {code: (None, None) for code in area_codes}, False


def _check_days(life: Life, spans, today: date, through_time: bool) -> list[date]:
    """The days on which an area must have a holder: today (if it exists then), and with its
    life known, its first checked day and each day a holding starts or the day after one ends,
    within its life."""
    start, end = life
    first = max(start or FIRST_CHECKED_DAY, FIRST_CHECKED_DAY)
    last = end or date.max
    days = {today} if (start or date.min) <= today <= last else set()
    if through_time and first <= last:
        days.add(first)
        for since, until, _, _ in spans:
            if since != date.min:
                days.add(since)
            if until != date.max:
                days.add(until + timedelta(days=1))
    return sorted(d for d in days if first <= d <= last or d == today)


def _inspect(
    directory: Path, area_codes: Iterable[str] | Mapping[str, Life], today: date
) -> tuple[dict[str, _Table], list[Problem]]:
    lives, through_time = _lives(area_codes)
    areas = set(lives)
    problems: list[Problem] = []
    tables = {name: _read(directory, name, problems) for name in COLUMNS}
    for table in tables.values():
        _check_cells(table, problems)

    services = tables[SERVICES]
    service_ids = _unique(services, "id", problems)
    for line, row in services.rows:
        _check_one_of(SERVICES, line, row, "family", FAMILIES, problems)
        _check_one_of(SERVICES, line, row, "risk", RISKS, problems)

    organisations = tables[ORGANISATIONS]
    organisation_ids = _unique(organisations, "id", problems)
    for line, row in organisations.rows:
        _check_one_of(ORGANISATIONS, line, row, "kind", KINDS, problems)
        _check_link(ORGANISATIONS, line, "website", row["website"], problems)

    packages = tables[PACKAGES]
    package_names: dict[str, tuple[str, int]] = {}
    seen_members: dict[tuple[str, str], int] = {}
    for line, row in packages.rows:
        package, service = row["package_id"], row["service_id"]
        if package and not _ID.match(package):
            problems.append(_bad_id(PACKAGES, line, "package_id", package))
        if service and services.ok and service not in service_ids:
            problems.append(Problem(PACKAGES, line, f"unknown service_id '{service}'"))
        if package in package_names and row["name"] != package_names[package][0]:
            problems.append(
                Problem(
                    PACKAGES,
                    line,
                    f"package '{package}' is named '{package_names[package][0]}' on line "
                    f"{package_names[package][1]}, not '{row['name']}'",
                )
            )
        package_names.setdefault(package, (row["name"], line))
        if (package, service) in seen_members:
            problems.append(
                Problem(
                    PACKAGES,
                    line,
                    f"service '{service}' is already in package '{package}' "
                    f"(line {seen_members[(package, service)]})",
                )
            )
        seen_members.setdefault((package, service), line)

    holdings = tables[HOLDINGS]
    periods: dict[tuple[str, str], list[tuple[date, date, int, str]]] = defaultdict(list)
    for line, row in holdings.rows:
        area, service, holder = row["area_code"], row["service_id"], row["holder_id"]
        if area and area not in areas:
            problems.append(Problem(HOLDINGS, line, f"area code {area} is not a known LAD code"))
        if service and services.ok and service not in service_ids:
            problems.append(Problem(HOLDINGS, line, f"unknown service_id '{service}'"))
        if holder and organisations.ok and holder not in organisation_ids:
            problems.append(
                Problem(HOLDINGS, line, f"holder_id '{holder}' is not in {ORGANISATIONS}")
            )
        _check_link(HOLDINGS, line, "source", row["source"], problems)
        dates: dict[str, date | None] = {}
        for column in ("since", "until", "checked"):
            value = row[column]
            dates[column] = _parse_date(value) if value else None
            if value and dates[column] is None:
                problems.append(
                    Problem(HOLDINGS, line, f"{column} '{value}' is not a date like 2023-04-01")
                )
        since, until = dates["since"], dates["until"]
        if not holder and not (since and since > today):
            problems.append(
                Problem(
                    HOLDINGS,
                    line,
                    "holder_id is empty: only a holding that starts after today may leave its "
                    "holder unknown",
                )
            )
        if since and until and until < since:
            problems.append(Problem(HOLDINGS, line, f"until {until} is before since {since}"))
            continue
        if dates["checked"] and dates["checked"] > today:
            problems.append(Problem(HOLDINGS, line, f"checked {dates['checked']} is in the future"))
        if area and service:  # a bad date is reported above and read as open here
            periods[(area, service)].append((since or date.min, until or date.max, line, holder))

    for (area, service), spans in periods.items():
        spans.sort()
        latest = spans[0]  # the span reaching furthest so far
        for span in spans[1:]:
            if span[0] <= latest[1]:
                problems.append(
                    Problem(
                        HOLDINGS,
                        span[2],
                        f"{area} {service}: holders '{latest[3]}' (line {latest[2]}) and "
                        f"'{span[3]}' overlap in time",
                    )
                )
            if span[1] > latest[1]:
                latest = span

    if holdings.ok and services.ok and areas:
        for area in sorted(areas):
            for service in service_ids:
                spans = periods.get((area, service), [])
                for day in _check_days(lives[area], spans, today, through_time):
                    if any(start <= day <= end for start, end, _, _ in spans):
                        continue
                    if day == today:
                        message = f"area {area} has no current holder for '{service}'"
                    else:
                        message = f"area {area} has no holder for '{service}' on {day}"
                    problems.append(Problem(HOLDINGS, 1, message))
    return tables, sorted(set(problems))


def _frame(table: _Table, name: str) -> pd.DataFrame:
    columns = list(COLUMNS[name]) + list(OPTIONAL_COLUMNS.get(name, ()))
    return pd.DataFrame([row for _, row in table.rows], columns=columns, dtype=str)


def load(
    directory: Path | str,
    area_codes: Iterable[str] | Mapping[str, Life],
    today: date | None = None,
) -> Baseline:
    """The checked data folder; raises :class:`DataError` listing every problem otherwise."""
    directory = Path(directory)
    tables, problems = _inspect(directory, area_codes, today or date.today())
    if problems:
        raise DataError(directory, problems)
    frames = {name: _frame(table, name) for name, table in tables.items()}
    return Baseline(
        directory=directory,
        services=frames[SERVICES],
        organisations=frames[ORGANISATIONS],
        holdings=frames[HOLDINGS],
        packages=frames[PACKAGES],
    )
