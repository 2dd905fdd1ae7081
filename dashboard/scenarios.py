"""Saved scenarios: named lots and a package, kept in an embedded SQLite database with history.

Every save writes a new version; a save that expected an older version than the newest is
refused (:class:`Conflict`) instead of overwriting someone else's work. WAL mode, ``BEGIN
IMMEDIATE`` and a busy timeout make concurrent saves from several sessions or processes safe,
and a process killed mid-save leaves the previous version intact (SQLite's transactions).
Scenarios also travel as files and as URL tokens (:func:`encode` / :func:`decode`).
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import zlib
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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
