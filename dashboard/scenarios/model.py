"""A scenario: named lots of areas and a package of services, as data, as a JSON file and as a
self-contained URL token (:func:`encode` / :func:`decode`)."""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass

from dashboard.lots import Assignment, LotError, clean_name

FORMAT = "centrifuge-scenario"
VERSION = 1
MAX_TOKEN = 20_000
MAX_FILE = 1_000_000


class ScenarioError(ValueError):
    """A scenario cannot be read, saved or found; the message says why."""


@dataclass(frozen=True)
class Scenario:
    name: str
    package_id: str
    assignment: Assignment
    version: int = 0
    saved_at: str = ""
    id: str = ""  # the store's unguessable id, once saved (it is also the short share link)

    def saved(self, id: str, version: int, saved_at: str, name: str | None = None) -> Scenario:
        """This scenario as the store holds it: its id, version and time of saving."""
        return Scenario(name or self.name, self.package_id, self.assignment, version, saved_at, id)

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
