"""Saved scenarios: named lots and a package, kept in an embedded SQLite database with history.

Every save writes a new version; a save that expected an older version than the newest is
refused (:class:`Conflict`) instead of overwriting someone else's work. WAL mode, ``BEGIN
IMMEDIATE`` and a busy timeout make concurrent saves from several sessions or processes safe,
and a process killed mid-save leaves the previous version intact (SQLite's transactions).
Scenarios also travel as files and as URL tokens (:func:`encode` / :func:`decode`).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import sqlite3
import zipfile
import zlib
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard import population
from dashboard.franchises import records
from dashboard.lots import Assignment, LotError, clean_name

FORMAT = "centrifuge-scenario"
VERSION = 1
MAX_TOKEN = 20_000
MAX_FILE = 1_000_000


class ScenarioError(ValueError):
    """A scenario cannot be read, saved or found; the message says why."""


class Conflict(ScenarioError):
    """Someone saved a newer version since this one was opened."""


def default_path() -> Path:
    """``CENTRIFUGE_DB`` if set, else a file in the user's data folder (never the repo's data)."""
    override = os.environ.get("CENTRIFUGE_DB")
    if override:
        return Path(override)
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "centrifuge" / "scenarios.db"


@dataclass(frozen=True)
class Scenario:
    name: str
    package_id: str
    assignment: Assignment
    version: int = 0
    saved_at: str = ""

    def payload(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "name": self.name,
            "package_id": self.package_id,
            **self.assignment.to_dict(),
        }


def from_payload(doc: object, known_areas=None) -> Scenario:
    """A scenario from its JSON document; raises ScenarioError naming the problem."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ScenarioError(f'this is not a Centrifuge scenario (no "format": "{FORMAT}")')
    if doc.get("version") != VERSION:
        raise ScenarioError(f"scenario format version {doc.get('version')!r} is not supported")
    try:
        name = clean_name(doc.get("name", ""))
        assignment = Assignment.from_dict(doc, known_areas)
    except LotError as exc:
        raise ScenarioError(str(exc)) from exc
    package = doc.get("package_id")
    if not isinstance(package, str) or not package:
        raise ScenarioError("a scenario needs a package_id")
    return Scenario(name=name, package_id=package[:60], assignment=assignment)


def read_file(data: bytes, known_areas=None) -> Scenario:
    if not data.strip():
        raise ScenarioError("the file is empty")
    if len(data) > MAX_FILE:
        raise ScenarioError(f"the file is larger than {MAX_FILE // 1000} kB")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ScenarioError("the file is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"the file is not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    return from_payload(doc, known_areas)


def encode(scenario: Scenario) -> str:
    """A compact URL-safe token holding the whole scenario."""
    raw = json.dumps(scenario.payload(), separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(zlib.compress(raw.encode("utf-8"), 9)).decode().rstrip("=")


def decode(token: str, known_areas=None) -> Scenario:
    if not token or len(token) > MAX_TOKEN:
        raise ScenarioError("the shared scenario link is empty or too long")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_FILE)
        if inflater.unconsumed_tail:
            raise ScenarioError("the shared scenario is too large")
        doc = json.loads(raw.decode("utf-8"))
    except ScenarioError:
        raise
    except (ValueError, zlib.error, UnicodeDecodeError) as exc:
        raise ScenarioError("the shared scenario link is damaged") from exc
    return from_payload(doc, known_areas)


SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    name TEXT PRIMARY KEY,
    current INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
"""


class Store:
    """The scenario database at ``path`` (created on first use)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connect(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA synchronous=FULL")
        return closing(db)

    @contextmanager
    def _write(self):
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def names(self) -> list[tuple[str, int, str]]:
        """(name, newest version, saved at) of every scenario, newest first."""
        with self._connect() as db:
            return db.execute(
                "SELECT s.name, s.current, v.saved_at FROM scenarios s JOIN versions v "
                "ON v.name = s.name AND v.version = s.current ORDER BY v.saved_at DESC, s.name"
            ).fetchall()

    def save(self, scenario: Scenario, expected: int | None = None) -> Scenario:
        """Write a new version. ``expected`` is the version the user opened (0 or None for a
        new scenario); a newer saved version means a Conflict, and nothing is written."""
        payload = json.dumps(scenario.payload(), ensure_ascii=False, sort_keys=True)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._write() as db:
            row = db.execute(
                "SELECT current FROM scenarios WHERE name = ?", (scenario.name,)
            ).fetchone()
            current = row[0] if row else 0
            if expected is not None and current != expected:
                if expected == 0:
                    raise Conflict(f"a scenario called '{scenario.name}' already exists")
                raise Conflict(
                    f"'{scenario.name}' was saved again (version {current}) after you opened "
                    f"version {expected}; reopen it, or save yours under another name"
                )
            version = current + 1
            db.execute(
                "INSERT INTO versions (name, version, saved_at, payload) VALUES (?, ?, ?, ?)",
                (scenario.name, version, now, payload),
            )
            if row:
                db.execute(
                    "UPDATE scenarios SET current = ? WHERE name = ?", (version, scenario.name)
                )
            else:
                db.execute(
                    "INSERT INTO scenarios (name, current, created_at) VALUES (?, ?, ?)",
                    (scenario.name, version, now),
                )
        return Scenario(scenario.name, scenario.package_id, scenario.assignment, version, now)

    def load(self, name: str, version: int | None = None) -> Scenario:
        with self._connect() as db:
            if version is None:
                row = db.execute(
                    "SELECT v.payload, v.version, v.saved_at FROM scenarios s JOIN versions v "
                    "ON v.name = s.name AND v.version = s.current WHERE s.name = ?",
                    (name,),
                ).fetchone()
            else:
                row = db.execute(
                    "SELECT payload, version, saved_at FROM versions "
                    "WHERE name = ? AND version = ?",
                    (name, version),
                ).fetchone()
        if row is None:
            raise ScenarioError(f"there is no saved scenario called '{name}'")
        scenario = from_payload(json.loads(row[0]))
        return Scenario(scenario.name, scenario.package_id, scenario.assignment, row[1], row[2])

    def history(self, name: str) -> list[tuple[int, str]]:
        with self._connect() as db:
            return db.execute(
                "SELECT version, saved_at FROM versions WHERE name = ? ORDER BY version DESC",
                (name,),
            ).fetchall()

    def rename(self, old: str, new: str) -> None:
        new = clean_name(new)
        with self._write() as db:
            if db.execute("SELECT 1 FROM scenarios WHERE name = ?", (new,)).fetchone():
                raise Conflict(f"a scenario called '{new}' already exists")
            if not db.execute("SELECT 1 FROM scenarios WHERE name = ?", (old,)).fetchone():
                raise ScenarioError(f"there is no saved scenario called '{old}'")
            rows = db.execute(
                "SELECT version, payload FROM versions WHERE name = ?", (old,)
            ).fetchall()
            for version, payload in rows:
                doc = json.loads(payload)
                doc["name"] = new
                db.execute(
                    "UPDATE versions SET name = ?, payload = ? WHERE name = ? AND version = ?",
                    (new, json.dumps(doc, ensure_ascii=False, sort_keys=True), old, version),
                )
            db.execute("UPDATE scenarios SET name = ? WHERE name = ?", (new, old))

    def duplicate(self, name: str, new: str) -> Scenario:
        original = self.load(name)
        copy = Scenario(clean_name(new), original.package_id, original.assignment)
        return self.save(copy, expected=0)

    def delete(self, name: str) -> None:
        with self._write() as db:
            if not db.execute("SELECT 1 FROM scenarios WHERE name = ?", (name,)).fetchone():
                raise ScenarioError(f"there is no saved scenario called '{name}'")
            db.execute("DELETE FROM versions WHERE name = ?", (name,))
            db.execute("DELETE FROM scenarios WHERE name = ?", (name,))


# --- import and export ----------------------------------------------------------------------


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class LotFileError(ScenarioError):
    """A lot file with problems; ``problems`` lists each by line, and nothing was changed."""

    def __init__(self, problems: list[LineProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was changed: {problems[0]}")


def read_lot_csv(data: bytes, known_areas, base: Assignment | None = None) -> Assignment:
    """Lots from a CSV with columns ``area_code,lot``: a new assignment built on ``base``
    (locked lots kept), or LotFileError listing every problem by line."""
    if not data.strip():
        raise LotFileError(
            [LineProblem(1, "the file is empty; the first line should be area_code,lot")]
        )
    if len(data) > MAX_FILE:
        raise LotFileError([LineProblem(1, f"the file is larger than {MAX_FILE // 1000} kB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LotFileError(
            [LineProblem(line, "is not UTF-8 text: save the file as UTF-8")]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[LineProblem] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        header = []
    if header[:2] != ["area_code", "lot"]:
        raise LotFileError(
            [LineProblem(1, f"columns should be area_code,lot; found {','.join(header)[:80]}")]
        )
    known = set(known_areas)
    wanted: dict[str, str] = {}
    first_line: dict[str, int] = {}
    try:
        for line, fields in records(reader):
            if len(fields) < 2:
                problems.append(LineProblem(line, "expected an area code and a lot name"))
                continue
            code, lot = fields[0].strip().upper(), " ".join(fields[1].split())
            if code not in known:
                problems.append(LineProblem(line, f"{code[:20]} is not a known LAD code"))
                continue
            if code in wanted and wanted[code] != lot:
                problems.append(
                    LineProblem(
                        line,
                        f"{code} is already in lot '{wanted[code][:60]}' (line {first_line[code]})",
                    )
                )
                continue
            if lot:
                try:
                    clean_name(lot)
                except LotError as exc:
                    problems.append(LineProblem(line, str(exc)))
                    continue
            wanted[code] = lot
            first_line.setdefault(code, line)
    except csv.Error as exc:
        problems.append(LineProblem(reader.line_num, f"cannot read this line: {exc}"))
    if problems:
        raise LotFileError(problems)
    if not wanted:
        raise LotFileError([LineProblem(2, "there are no rows after the header")])
    result = base or Assignment()
    try:
        for lot in dict.fromkeys(v for v in wanted.values() if v):
            if lot not in result.order:
                result = result.add_lot(lot)
        result = result.assign([c for c, v in wanted.items() if not v], None)
        for lot in dict.fromkeys(v for v in wanted.values() if v):
            result = result.assign([c for c, v in wanted.items() if v == lot], lot)
    except LotError as exc:
        raise LotFileError([LineProblem(first_line.get(next(iter(wanted)), 2), str(exc))]) from exc
    return result


def lots_frame(assignment: Assignment, frame, names) -> object:
    """Dissolved lots as a GeoDataFrame (EPSG:4326): lot, colour, areas, area codes."""
    rows = []
    for lot in assignment.order:
        codes = assignment.areas_of(lot)
        if not codes:
            continue
        shape = frame[frame["code"].isin(codes)].geometry.union_all()
        rows.append(
            {
                "lot": lot,
                "colour": assignment.colours.get(lot, ""),
                "areas": len(codes),
                "area_codes": " ".join(codes),
                "area_names": "; ".join(names.get(c, c) for c in codes),
                "geometry": shape,
            }
        )
    columns = ["lot", "colour", "areas", "area_codes", "area_names", "geometry"]
    result = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=columns), geometry="geometry", crs=frame.crs
    )
    return result.to_crs(4326)


def lots_table(assignment: Assignment, names) -> object:
    """area_code, area_name, lot: one row per assigned area, lot by lot."""
    return pd.DataFrame(
        [
            {"area_code": c, "area_name": names.get(c, c), "lot": lot}
            for lot in assignment.order
            for c in assignment.areas_of(lot)
        ],
        columns=["area_code", "area_name", "lot"],
    )


def bid_pack(scenario: Scenario, lot: str, frame, names, holders, tally: dict) -> bytes:
    """A zip for bidders: the lot's boundary (GeoJSON), its areas with their population where
    known, who holds each of the package's services there today, and the lot's figures."""
    from dashboard.atlas import to_csv

    codes = scenario.assignment.areas_of(lot)
    shape = lots_frame(Assignment().add_lot(lot).assign(codes, lot), frame, names)
    areas = population.attach(
        lots_table(Assignment().add_lot(lot).assign(codes, lot), names).rename(
            columns={"area_code": "code"}
        )
    ).rename(columns={"code": "area_code"})
    today = holders[holders["area_code"].isin(codes)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("lot.geojson", shape.to_json(drop_id=True) if len(shape) else "{}")
        pack.writestr("areas.csv", to_csv(areas))
        pack.writestr("current_holders.csv", to_csv(today))
        pack.writestr(
            "totals.json",
            json.dumps(
                {
                    "scenario": scenario.name,
                    "package_id": scenario.package_id,
                    "lot": lot,
                    **{k: _plain(v) for k, v in tally.items() if k != "lot"},
                    "population_source": population.LABEL,
                },
                indent=2,
                ensure_ascii=False,
                default=str,
            ),
        )
        pack.writestr(
            "README.txt",
            f"Bid pack for lot '{lot}' of scenario '{scenario.name}' (package "
            f"{scenario.package_id}), made by Centrifuge. Boundaries: LAD 2025 derived from the "
            "ONS Postcode Directory (Open Government Licence v3.0). Holders: the Centrifuge "
            f"baseline, each with its source. Population ({population.LABEL}): the sum of the "
            "known figures, with the number of areas that have none.\n",
        )
    return out.getvalue()


def _plain(value):
    """A tally value as JSON has it: numpy numbers as numbers, NaN and NA as null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


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
