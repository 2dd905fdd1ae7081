"""Search that finds what people type: an area (postcode, GSS code or name), or a larger place
made of areas: a nation, region, county or unitary authority, police force area, fire and rescue
area, or a former county whose council has gone (Cumbria: Cumberland, and Westmorland and
Furness)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pandas as pd

from dashboard import focus, lookup, paths

FORMER_COUNTIES = paths.BOUNDARIES_DIR / "former_counties.csv"
TOWNS = paths.BOUNDARIES_DIR / "towns.csv"
# What people leave off a force's or service's name when they type it.
_SUFFIXES = re.compile(
    r"\b(police|constabulary|police service|fire and rescue service|fire and rescue authority|"
    r"fire and rescue|fire service|fire authority|fire|county council|council)$"
)


@dataclass(frozen=True)
class Place:
    """A place made of several areas: what it is, its name, its areas, and a note for a place
    that has gone."""

    query: str
    kind: str  # a key of focus.KINDS, "former" (a county gone) or "town" (from the gazetteer)
    name: str
    codes: list[str] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Former:
    name: str
    council: str
    abolished: date
    successors: list[str]
    legislation: str
    source: str


@lru_cache(maxsize=1)
def former_counties() -> dict[str, Former]:
    with FORMER_COUNTIES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        _key(r["name"]): Former(
            r["name"],
            r["council"],
            date.fromisoformat(r["abolished"]),
            r["successors"].split(),
            r["legislation"],
            r["source"],
        )
        for r in rows
    }


@lru_cache(maxsize=1)
def towns() -> dict[str, list[tuple[str, str]]]:
    """Town name (as a search key) -> the (name, LAD code) of each place so called."""
    found: dict[str, list[tuple[str, str]]] = {}
    with TOWNS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for spelling in {row["name"], row["ascii_name"]}:
                places_here = found.setdefault(_key(spelling), [])
                if (row["name"], row["lad_code"]) not in places_here:
                    places_here.append((row["name"], row["lad_code"]))
    return found


def _key(name: str) -> str:
    return lookup.normalise(str(name))


def _bare(name: str) -> str:
    return _SUFFIXES.sub("", _key(name)).strip()


def find(
    query: str, areas: pd.DataFrame, grouped: pd.DataFrame, day: date | None = None
) -> lookup.Match | Place:
    """The area or place ``query`` names: a postcode or code as :func:`lookup.resolve` finds
    it; an area's own name ("Leeds", "Durham"); a larger place's whole name ("North West",
    "Thames Valley Police"); a former county ("Cumbria"); a place's name without "Police",
    "Fire and Rescue Service" and the like ("Thames Valley"). Otherwise :func:`lookup.resolve`
    explains, with suggestions that include the larger places. ``areas`` and ``grouped`` are
    those of ``day`` (default today), and a former or future area leads to that day's."""
    wanted = _key(query)
    words = bool(wanted) and not any(c.isdigit() for c in wanted) and len(wanted) <= 100
    if words and not lookup.looks_like_code(query):
        if (areas["name"].map(_key) == wanted).sum() == 1:
            return lookup.resolve(query, areas, day)
        place = _place(query, wanted, grouped, areas)
        if place is not None:
            return place
    try:
        return lookup.resolve(query, areas, day)
    except lookup.UnknownArea as exc:
        if not words:
            raise
        place = _bare_place(query, wanted, grouped) or _town(query, wanted, areas)
        if place is not None:
            return place
        extra = [n for n in _place_names(grouped) if wanted in _key(n)][:3]
        suggestions = list(dict.fromkeys([*exc.suggestions, *extra]))[: 8 if exc.codes else 6]
        message = str(exc)
        if message.startswith("no area is called"):  # the message names every suggestion
            message = f"no area or place is called '{str(query).strip()}'"
            if suggestions:
                message += f"; did you mean {', '.join(suggestions)}?"
        raise lookup.UnknownArea(message, suggestions=suggestions, codes=exc.codes) from None


def _place_names(grouped: pd.DataFrame) -> list[str]:
    return [name for kind in focus.KINDS for name in focus.choices(grouped, kind)]


def _kinds(wanted: str) -> list[str]:
    """Kinds of place in the order to try them: the one the words name first."""
    first = "fire" if "fire" in wanted else "police" if re.search(r"police|constab", wanted) else ""
    return sorted(focus.KINDS, key=lambda k: k != first)


def _place(query: str, wanted: str, grouped: pd.DataFrame, areas: pd.DataFrame) -> Place | None:
    kinds = _kinds(wanted)
    for kind in kinds:  # a place's whole name
        for name in focus.choices(grouped, kind):
            if wanted == _key(name):
                return Place(query, kind, name, focus.members(grouped, kind, name))
    gone = former_counties().get(wanted) or former_counties().get(_bare(query))
    if gone is not None:
        names = dict(zip(areas["code"], areas["name"], strict=True))
        now = [c for c in gone.successors if c in names]
        listed = " and ".join(f"{names[c]} ({c})" for c in now)
        note = (
            f"{gone.council} was abolished on {gone.abolished:%-d %B %Y} ({gone.legislation}); "
            f"{gone.name} is now covered by {listed}."
        )
        return Place(query, "former", gone.name, now, note)
    return None


def _town(query: str, wanted: str, areas: pd.DataFrame) -> Place | None:
    """A town or village from the gazetteer (GeoNames), and the area or areas it is in."""
    names = dict(zip(areas["code"], areas["name"], strict=True))
    found = [(town, code) for town, code in towns().get(wanted, []) if code in names]
    if not found:
        return None
    codes = list(dict.fromkeys(code for _, code in found))
    if len(found) == 1:
        town, code = found[0]
        note = f"{town} is in {names[code]} ({code})."
    else:
        where = ", ".join(f"{names[c]} ({c})" for c in codes)
        note = f"There are {len(found)} places called {found[0][0]}: in {where}."
    return Place(query, "town", found[0][0], codes, note)


def _bare_place(query: str, wanted: str, grouped: pd.DataFrame) -> Place | None:
    """A place by its name without its "Police", "Fire and Rescue Service"…"""
    for kind in _kinds(wanted):
        for name in focus.choices(grouped, kind):
            if _bare(query) == _bare(name):
                return Place(query, kind, name, focus.members(grouped, kind, name))
    return None
