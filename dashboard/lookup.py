"""Resolve what a user typed (a postcode, a GSS code or an area name) to one area."""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard import postcodes, vintages

_GSS = re.compile(r"^[EWSN][0-9]{8}$")


class QueryError(ValueError):
    """Nothing (or more than one thing) matches; the message names the problem."""


class UnknownArea(QueryError):
    """No one area: ``suggestions`` are names to offer; ``codes``, when the query named an area
    of another day, the areas that cover it on the day asked about (to frame the map on)."""

    def __init__(
        self, message: str, suggestions: list[str] | None = None, codes: list[str] | None = None
    ):
        super().__init__(message)
        self.suggestions = suggestions or []
        self.codes = codes or []


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
    #: Said when the query named an area of another day: "Harrogate Borough Council was
    #: abolished on 1 April 2023 (…); the area is now North Yorkshire (E06000065)."
    notice: str | None = None


def looks_like_code(text: str) -> bool:
    """Whether ``text`` is shaped like a GSS code (E09000033)."""
    return bool(_GSS.match((text or "").strip().upper().replace(" ", "")))


def normalise(name: str) -> str:
    """A name as search compares it: lower case, "&" as "and", punctuation as spaces."""
    text = name.lower().replace("&", " and ").replace("st.", "st ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def resolve(query: str, areas: pd.DataFrame, day: date | None = None) -> Match:
    """Find the area ``query`` names. ``areas`` has columns code, name, country: the areas in
    force on ``day`` (default: today's, whose vintage is the boundary file in use).

    A postcode is placed in the area of the vintage in force on ``day``. A code or name of an
    area that did not exist that day (a former district, a council still to come) leads to
    the area or areas covering it then, with a ``notice`` saying so.

    Raises :class:`postcodes.PostcodeError` for a bad or unknown postcode and
    :class:`UnknownArea` (with close matches in ``suggestions``) for an unknown code or name.
    """
    text = (query or "").strip()
    if not text:
        raise UnknownArea("type a postcode (SW1A 1AA), a GSS code (E09000033) or an area name")
    if len(text) > 100:
        raise UnknownArea("that search is too long: type a postcode, a code or an area name")
    on = day or date.today()
    by_code = areas.set_index("code")
    upper = text.upper().replace(" ", "")
    if _GSS.match(upper) or _PROVISIONAL.match(upper):
        if upper not in by_code.index:
            other = _elsewhere_in_time(query, upper, on, by_code)
            if other is not None:
                return other
            raise UnknownArea(f"{upper} is not a LAD code in the boundaries in use")
        return _match(query, "code", upper, by_code)
    if postcodes.looks_like_postcode(text) or any(c.isdigit() for c in text):
        where = postcodes.locate(text)
        lad = where.lad
        vintage = vintages.for_day(day) if day is not None else vintages.CURRENT
        if vintage != vintages.CURRENT:
            from dashboard import placement

            lad = placement.area_on(where.postcode, vintage.name)
        if lad not in by_code.index:
            raise UnknownArea(
                f"{where.postcode} is in {lad}, which the boundaries in use do not include"
            )
        return _match(query, "postcode", lad, by_code, where)
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
    other = _named_elsewhere_in_time(query, wanted, on, by_code)
    if other is not None:
        return other
    close = difflib.get_close_matches(wanted, normal["key"].tolist(), n=5, cutoff=0.6)
    names = [normal.loc[normal["key"] == k, "name"].iat[0] for k in close]
    hint = f"; did you mean {', '.join(names)}?" if names else ""
    raise UnknownArea(f"no area is called '{text}'{hint}", suggestions=names)


_PROVISIONAL = re.compile(r"^[EWSN][0-9]{2}P[0-9]{5}$")
_COUNCIL_WORDS = re.compile(
    r"\b(?:(?:metropolitan )?(?:borough|district|city|county) council|council|borough of|"
    r"district of|city of)\b"
)


def _named_elsewhere_in_time(query, wanted, on, by_code) -> Match | None:
    """A former or future area named by its own name or its council's."""
    frame = vintages.all_areas()
    bare = " ".join(_COUNCIL_WORDS.sub(" ", wanted).split())
    for column in ("name", "council"):
        keys = frame[column].map(normalise)
        hits = frame[(keys == wanted) | (keys == bare) & (bare != "")]
        hits = hits[~hits["code"].isin(by_code.index)]
        if len(hits):
            return _elsewhere_in_time(query, hits["code"].iat[0], on, by_code)
    return None


def _elsewhere_in_time(query, code, on, by_code) -> Match | None:
    """An area that does not exist on ``on``: its successor that day, with a notice; or, if
    it is yet to come or has several successors, :class:`UnknownArea` naming them."""
    row = vintages.area(code)
    if row is None:
        return None
    council = row["council"] or row["name"]
    order = f" ({row['order']})" if row["order"] else ""
    if row["start"] and row["start"] > on.isoformat():
        now = [c for c in vintages.predecessors(code) if c in by_code.index]
        provisional = ", a provisional code" if row["status"] == "provisional" else ""
        raise UnknownArea(
            f"{council} takes over on {_long(row['start'])}{order}. On "
            f"{_long(on.isoformat())} its area, {row['name']} ({code}{provisional}), is covered "
            f"by {_listed(now, by_code)}.",
            suggestions=[str(by_code.loc[c, "name"]) for c in now],
            codes=now,
        )
    successors = [c for c in vintages.successors_on(code, on) if c in by_code.index]
    if not successors:
        return None
    ended = f"{council} was abolished on {_long(_next_day(row['end']))}{order}"
    if len(successors) > 1:
        raise UnknownArea(
            f"{ended}; its area is now covered by {_listed(successors, by_code)}.",
            suggestions=[str(by_code.loc[c, "name"]) for c in successors],
            codes=successors,
        )
    now = successors[0]
    notice = f"{ended}; the area is now {by_code.loc[now, 'name']} ({now})."
    if row["name"] == by_code.loc[now, "name"]:
        notice = (
            f"{row['name']}'s code {code} was replaced by {now} on "
            f"{_long(_next_day(row['end']))}{order}."
        )
    return dataclasses.replace(_match(query, "code", now, by_code), notice=notice)


def _listed(codes: list[str], by_code: pd.DataFrame) -> str:
    named = [f"{by_code.loc[c, 'name']} ({c})" for c in codes if c in by_code.index]
    return ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1] if named else "?"


def _next_day(iso: str) -> str:
    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()


def _long(iso: str) -> str:
    return vintages.long_date(date.fromisoformat(iso))


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
