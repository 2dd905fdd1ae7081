"""Focus: a map and its legend limited to one nation, region, county (upper tier), police force
area or fire and rescue area. Each area belongs to exactly one group of each kind."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import holdings
from dashboard.franchises import Baseline

#: Kinds of focus, in the order a control offers them: kind -> what one is called.
KINDS = {
    "country": "Nation",
    "region": "Region",
    "upper_tier": "County or unitary authority",
    "police": "Police force area",
    "fire": "Fire and rescue area",
}


class FocusError(ValueError):
    """A focus that names no group; the message says what there is."""


def groups(baseline: Baseline, areas: pd.DataFrame, on: date | None = None) -> pd.DataFrame:
    """Per area (columns of ``areas``: code, country, region, upper_tier_name, population): its
    nation, region (the nation where there are no regions), upper tier, police force and fire
    and rescue authority (their holders ``on`` that day, default today), and population."""
    table = holdings.current(baseline, on)
    result = areas[["code", "upper_tier_name", "country", "region", "population"]].rename(
        columns={"upper_tier_name": "upper_tier"}
    )
    for service in ("police", "fire"):
        held = table[table["service_id"] == service].set_index("area_code")["holder"]
        result[service] = result["code"].map(held).fillna("")
    result["region"] = result["region"].where(result["region"].fillna("") != "", result["country"])
    return result.reset_index(drop=True)


def choices(grouped: pd.DataFrame, kind: str) -> list[str]:
    """The groups of ``kind`` there are, sorted."""
    if kind not in KINDS:
        raise FocusError(f"'{kind}' is not a kind of focus: use one of {', '.join(KINDS)}")
    return sorted(g for g in grouped[kind].dropna().unique() if g)


def members(grouped: pd.DataFrame, kind: str, name: str) -> list[str]:
    """The area codes in group ``name`` of ``kind`` (matched without regard to case or spacing,
    or by an area code inside it: ``E06000001`` focuses on its county, force…)."""
    options = choices(grouped, kind)
    wanted = " ".join(str(name).split()).casefold()
    match = next((g for g in options if g.casefold() == wanted), None)
    if match is None and wanted.upper() in set(grouped["code"]):
        match = grouped.loc[grouped["code"] == wanted.upper(), kind].iloc[0]
    if not match:
        close = [g for g in options if wanted and wanted in g.casefold()][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise FocusError(f"there is no {KINDS[kind].lower()} called '{name}'{hint}")
    return grouped.loc[grouped[kind] == match, "code"].tolist()


def name_of(grouped: pd.DataFrame, kind: str, name: str) -> str:
    """The group's name as the data spells it."""
    codes = members(grouped, kind, name)
    return str(grouped.loc[grouped["code"] == codes[0], kind].iloc[0])
