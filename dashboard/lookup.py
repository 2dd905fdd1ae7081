"""Resolve what a user typed (a postcode, a GSS code or an area name) to one area."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from dashboard import postcodes

_GSS = re.compile(r"^[EWSN][0-9]{8}$")


class QueryError(ValueError):
    """Nothing (or more than one thing) matches; the message names the problem."""


class UnknownArea(QueryError):
    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


@dataclass(frozen=True)
class Match:
    """One area found for a query, and how it was found."""

    query: str
    kind: str  # "postcode", "code" or "name"
    code: str
    name: str
    country: str
    postcode: str | None = None
    lat: float | None = None
    lon: float | None = None


def looks_like_code(text: str) -> bool:
    """Whether ``text`` is shaped like a GSS code (E09000033)."""
    return bool(_GSS.match((text or "").strip().upper().replace(" ", "")))


def normalise(name: str) -> str:
    """A name as search compares it: lower case, "&" as "and", punctuation as spaces."""
    text = name.lower().replace("&", " and ").replace("st.", "st ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def resolve(query: str, areas: pd.DataFrame) -> Match:
    """Find the area ``query`` names. ``areas`` has columns code, name, country.

    Raises :class:`postcodes.PostcodeError` for a bad or unknown postcode and
    :class:`UnknownArea` (with close matches in ``suggestions``) for an unknown code or name.
    """
    text = (query or "").strip()
    if not text:
        raise UnknownArea("type a postcode (SW1A 1AA), a GSS code (E09000033) or an area name")
    if len(text) > 100:
        raise UnknownArea("that search is too long: type a postcode, a code or an area name")
    by_code = areas.set_index("code")
    upper = text.upper().replace(" ", "")
    if _GSS.match(upper):
        if upper not in by_code.index:
            raise UnknownArea(f"{upper} is not a LAD code in the boundaries in use")
        return _match(query, "code", upper, by_code)
    if postcodes.looks_like_postcode(text) or any(c.isdigit() for c in text):
        where = postcodes.locate(text)
        if where.lad not in by_code.index:
            raise UnknownArea(
                f"{where.postcode} is in {where.lad}, which the boundaries in use do not include"
            )
        return _match(query, "postcode", where.lad, by_code, where)
    wanted = normalise(text)
    normal = areas.assign(key=areas["name"].map(normalise))
    exact = normal[normal["key"] == wanted]
    if len(exact) == 1:
        return _match(query, "name", exact["code"].iat[0], by_code)
    contains = normal[normal["key"].str.contains(rf"\b{re.escape(wanted)}\b", regex=True)]
    if len(contains) == 1:
        return _match(query, "name", contains["code"].iat[0], by_code)
    if len(contains) > 1:
        names = sorted(contains["name"])
        raise UnknownArea(
            f"'{text}' matches {len(names)} areas: {', '.join(names[:6])}", suggestions=names
        )
    close = difflib.get_close_matches(wanted, normal["key"].tolist(), n=5, cutoff=0.6)
    names = [normal.loc[normal["key"] == k, "name"].iat[0] for k in close]
    hint = f"; did you mean {', '.join(names)}?" if names else ""
    raise UnknownArea(f"no area is called '{text}'{hint}", suggestions=names)


def _match(query, kind, code, by_code, where: postcodes.Location | None = None) -> Match:
    row = by_code.loc[code]
    return Match(
        query=query,
        kind=kind,
        code=code,
        name=str(row["name"]),
        country=str(row["country"]),
        postcode=where.postcode if where else None,
        lat=where.lat if where else None,
        lon=where.lon if where else None,
    )
