"""What an exported map says, before any drawing: each area's key, label and fill, the
numbered legend rows with their counts, and the title. Pure pandas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import atlas, focus, franchises, taxation
from dashboard.mapexport.sources import Sources
from dashboard.mapexport.text import clean

#: Fills for areas outside the focus (context) and holders not highlighted.
CONTEXT = "#f0f0f0"
DIMMED = "#e4e4e4"
#: The focus kinds by the names the command line uses too.
FOCUS_ALIASES = {"nation": "country", "county": "upper_tier"}
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


class MapExportError(ValueError):
    """A map that cannot be drawn as asked; the message says why."""


@dataclass(frozen=True)
class Painted:
    """``frame``: per area of the boundaries (code), its key ("" for no data), label, colour,
    population, fill as drawn, and whether it is in the focus. ``legend``: one row per key
    in the focus, numbered as on the map (0 for no data)."""

    frame: pd.DataFrame
    legend: pd.DataFrame
    title: str
    subtitle: str
    legend_title: str
    focused: bool


def lots_frame(lots: Mapping[str, tuple[str, Iterable[str]]], codes: Iterable[str]) -> pd.DataFrame:
    """A studio scenario's lots (name -> (colour, area codes)) as code, key, label, colour for
    every code in ``codes``; areas in no lot get key "" ("Not in any lot")."""
    of: dict[str, tuple[str, str]] = {}
    for name, (colour, members) in lots.items():
        for code in members:
            if code in of and of[code][0] != name:
                raise MapExportError(f"area {code} is in two lots: {of[code][0]} and {name}")
            of[code] = (str(name), str(colour))
    rows = [
        {"code": c, "key": of[c][0], "label": of[c][0], "colour": of[c][1]}
        if c in of
        else {"code": c, "key": "", "label": "Not in any lot", "colour": atlas.NO_DATA}
        for c in codes
    ]
    return pd.DataFrame(rows, columns=["code", "key", "label", "colour"])


def long_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def people(population: object, unknown: int) -> str:
    """'3.1 million people', '310,000 people + 2 areas unknown' or 'population unknown'."""
    if population is None or pd.isna(population):
        return "population unknown"
    value = int(population)
    if value >= 1_000_000:
        text = f"{value / 1_000_000:.1f} million people"
    elif value >= 100_000:
        text = f"{round(value, -3):,} people"
    else:
        text = f"{max(round(value, -2), 100):,} people"
    if unknown:
        unknown = int(unknown)
        text += f" + {unknown} area{'s' if unknown != 1 else ''} unknown"
    return text


def legend_text(label: str, areas: int, population: object, unknown: int) -> str:
    count = f"{areas} area{'s' if areas != 1 else ''}"
    return f"{clean(label)} — {count}, {people(population, unknown)}"


def paint(
    sources: Sources,
    view: atlas.View | None = None,
    *,
    colours: pd.DataFrame | None = None,
    lots: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    focus_on: tuple[str, str] | None = None,
    highlight: str | None = None,
    title: str | None = None,
    legend_title: str | None = None,
    on: date | None = None,
) -> Painted:
    """The map's content; raises UnknownView, FocusError or MapExportError."""
    given = [x is not None for x in (view, colours, lots)]
    if sum(given) != 1:
        raise MapExportError("give exactly one of a view, a colours frame or lots")
    codes = sources.frame["code"].astype(str).tolist()
    if view is not None:
        found = atlas.area_colours(
            sources.baseline, sources.areas, view, dict(sources.touching), on
        )
        heading = title or atlas.label_of(sources.baseline, view)
        by = {"holder": "holder", "kind": "kind of holder", **taxation.COLOUR_BY}
        what = by.get(view.colour_by, view.colour_by)
        legend_title = legend_title or what[0].upper() + what[1:]
        parts = [f"Coloured by {what}" if view.colour_by in ("holder", "kind") else what]
        parts.append(f"as of {long_date(on or date.today())}")
    else:
        found = lots_frame(lots, codes) if lots is not None else _checked(colours)
        heading = title or ("Lots" if lots is not None else "Map")
        legend_title = legend_title or ("Lot" if lots is not None else "Legend")
        parts = [f"as of {long_date(on)}" if on else f"drawn {long_date(date.today())}"]
    frame = _on_boundaries(codes, found, sources)

    focused = focus_on is not None
    if focused:
        kind, name = focus_on
        kind = FOCUS_ALIASES.get(kind, kind)
        members = set(focus.members(sources.grouped, kind, name))
        frame["in_focus"] = frame["code"].isin(members)
        if not frame["in_focus"].any():
            raise MapExportError(f"none of the areas of {name} is on these boundaries")
        heading = f"{heading}, {focus.name_of(sources.grouped, kind, name)}"
    else:
        frame["in_focus"] = True

    table = _legend(frame[frame["in_focus"]])
    frame["fill"] = frame["colour"].where(frame["in_focus"], CONTEXT)
    if highlight is not None:
        chosen = _highlighted(table, str(highlight))
        if not chosen:
            raise MapExportError(
                f"'{clean(highlight)[:80]}' holds nothing in this map"
                + (" within the focus" if focused else "")
            )
        table["highlighted"] = table["key"].isin(chosen)
        lit = frame["key"].isin(chosen) & frame["in_focus"]
        frame["fill"] = frame["fill"].where(lit | ~frame["in_focus"], DIMMED)
        exact = table.loc[table["key"] == highlight, "label"]
        parts.append(f"highlighting {exact.iloc[0] if len(exact) else _name(sources, highlight)}")
    else:
        table["highlighted"] = False
    subtitle = " · ".join([parts[0][0].upper() + parts[0][1:], *parts[1:]])
    return Painted(frame, table, clean(heading), clean(subtitle), clean(legend_title), focused)


def _checked(colours: pd.DataFrame) -> pd.DataFrame:
    missing = {"code", "label", "colour"} - set(colours.columns)
    if missing:
        raise MapExportError(f"the colours frame needs columns code, label, colour: {missing}")
    found = colours.copy()
    if "key" not in found:
        # One legend row per label and colour, as the app's map paints such frames.
        found["key"] = found["label"].astype(str)
        several = found.groupby("key")["colour"].transform("nunique") > 1
        found.loc[several, "key"] += " (" + found.loc[several, "colour"].astype(str) + ")"
    return found


def _on_boundaries(codes: list[str], found: pd.DataFrame, sources: Sources) -> pd.DataFrame:
    """One row per boundary code: key, label, colour (no data where ``found`` has none) and
    population from the area table."""
    columns = ["code", "key", "label", "colour", *(["order"] if "order" in found else [])]
    frame = pd.DataFrame({"code": codes}).merge(
        found[columns].drop_duplicates("code").astype({"code": str}), on="code", how="left"
    )
    blank = frame["key"].isna()
    frame["key"] = frame["key"].fillna("").astype(str)
    frame["label"] = frame["label"].where(~blank, "No data").fillna("").astype(str)
    frame["colour"] = frame["colour"].where(~blank, atlas.NO_DATA).fillna(atlas.NO_DATA)
    if "order" in frame:
        frame["order"] = frame["order"].fillna(frame["order"].max() + 1).astype(int)
    known = sources.areas.set_index("code")["population"] if "population" in sources.areas else {}
    frame["population"] = frame["code"].map(known).astype("Int64")
    return frame


def _legend(frame: pd.DataFrame) -> pd.DataFrame:
    """atlas.legend of the areas in view, no data last, numbered 1… (no data 0)."""
    blank = frame["key"] == ""
    held = atlas.legend(frame[~blank])
    missing = atlas.legend(frame.loc[blank].drop(columns="order", errors="ignore"))
    table = pd.concat([held, missing], ignore_index=True)
    table["number"] = list(range(1, len(held) + 1)) + [0] * len(missing)
    table["text"] = [
        legend_text(r.label, r.areas, r.population, r.population_unknown)
        for r in table.itertuples(index=False)
    ]
    return table


def _highlighted(table: pd.DataFrame, wanted: str) -> set[str]:
    """Legend keys ``wanted`` names: the key itself, the rows so labelled, or (in packages)
    every combination that includes it."""
    keys = set(table["key"]) - {""}
    if wanted in keys:
        return {wanted}
    named = set(table.loc[(table["label"] == wanted) & (table["key"] != ""), "key"])
    return named or {k for k in keys if wanted in k.split(" + ")}


def _name(sources: Sources, key: str) -> str:
    orgs = sources.baseline.organisations
    named = orgs.loc[orgs["id"] == key, "name"]
    if len(named):
        return str(named.iloc[0])
    return franchises.KINDS.get(key, key)
