"""The atlas: who runs a service, a package or a family of services, area by area.

Pure functions over a checked :class:`~dashboard.franchises.Baseline` and the area table: which
holder (or kind of holder) each area has for a view, a legend with counts, distinct colours that
differ between neighbours, fragmentation, an organisation's footprint, and exports.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd

from dashboard import franchises, holdings, population, taxation, vintages
from dashboard.franchises import Baseline

VIEW_KINDS = ("service", "package", "family")
COLOUR_BY = ("holder", "kind", *taxation.COLOUR_BY)
#: Holders' colours: the Government Analysis Function's categorical palette (dark blue,
#: turquoise, dark pink, orange, dark grey, light purple), chosen to stay apart for colour-blind
#: readers, each at least 3:1 against white. Six suffice, because only neighbours must differ:
#: the map's graph of neighbouring holders is coloured in smallest-last order, which never needs
#: more colours than one plus the most neighbours a holder has when it is coloured (at most five
#: on a map). Colours repeat between holders that do not touch, so the map also draws each
#: holder's border, and the legend and hover name the holder.
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
#: Colours for lots and other user-made categories (Tableau 10): lots are few, and chosen.
USER_PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#1d3f6e",
    "#8cd17d",
]
#: A colour per kind of holder, each at least 3:1 against white; the common kinds take the
#: Analysis Function's colours.
KIND_COLOURS = {
    "local_authority": "#12436D",
    "combined_authority": "#A285D1",
    "central_government": "#801650",
    "public_body": "#8A6D00",
    "joint_board": "#5C4B8A",
    "nhs": "#28A197",
    "police": "#3D3D3D",
    "fire": "#F46A25",
    "ambulance": "#2073BC",
    "private": "#B22222",
    "mutual": "#2E7D32",
    "sme": "#7A5230",
    "charity": "#AD1457",
    "utility": "#546E7A",
}
#: Mixtures of kinds (in packages) take these, which no single kind uses.
MIXTURE_COLOURS = ["#0B6E4F", "#C05200", "#6A1B9A", "#37474F", "#8D6E63", "#1565C0"]
NO_DATA = "#d9d9d9"
#: Geographies whose outlines can be drawn over the map: label and how they are built.
OUTLINES = {
    "police": "Police force areas",
    "fire": "Fire and rescue areas",
    "upper_tier": "Upper-tier (county) authorities",
    "region": "Regions",
    "country": "Nations",
}


class UnknownView(ValueError):
    """A service, package or family id that is not in the data."""


@dataclass(frozen=True)
class View:
    """What the map shows: a service, package or family, coloured by holder or holder kind."""

    kind: str  # "service", "package" or "family"
    id: str
    colour_by: str = "holder"


def choices(baseline: Baseline) -> dict[str, dict[str, str]]:
    """Every view a user can pick, by kind: id -> label."""
    services = dict(zip(baseline.services["id"], baseline.services["name"], strict=True))
    packages = dict(
        baseline.packages.drop_duplicates("package_id")[["package_id", "name"]].itertuples(
            index=False
        )
    )
    families = {
        family: franchises.FAMILIES.get(family, family)
        for family in baseline.services["family"].drop_duplicates()
    }
    return {"service": services, "package": packages, "family": families}


def services_in(baseline: Baseline, view: View) -> list[str]:
    """The service ids a view covers, in the order of ``services.csv``."""
    order = baseline.services["id"].tolist()
    if view.kind == "service":
        wanted = {view.id} & set(order)
    elif view.kind == "package":
        packages = baseline.packages
        wanted = set(packages.loc[packages["package_id"] == view.id, "service_id"])
    elif view.kind == "family":
        wanted = set(baseline.services.loc[baseline.services["family"] == view.id, "id"])
    elif view.kind == ALL:
        wanted = set(order)
    else:
        raise UnknownView(f"'{view.kind}' is not one of {', '.join(VIEW_KINDS)}")
    if not wanted:
        raise UnknownView(f"there is no {view.kind} '{view.id}' in the data")
    return [s for s in order if s in wanted]


def label_of(baseline: Baseline, view: View) -> str:
    return choices(baseline).get(view.kind, {}).get(view.id, view.id)


def area_colours(
    baseline: Baseline,
    areas: pd.DataFrame,
    view: View,
    adjacency: dict[str, set[str]] | None = None,
    on: date | None = None,
) -> pd.DataFrame:
    """One row per area in ``areas`` (columns code, name): the view's ``key`` and ``label`` there
    (a holder, a kind, or for several services the combination), the holders per service in
    ``holders``, a ``colour`` and the area's ``population`` (NA where unknown). Areas the data
    does not cover get key "" and grey."""
    services = services_in(baseline, view)
    if "population" not in areas:
        areas = population.attach(areas)
    if view.colour_by in taxation.COLOUR_BY:
        return taxation.colour_frame(areas, view.colour_by)
    table = holdings.current(baseline, on)
    table = table[table["service_id"].isin(services)]
    field, label_field = (
        ("holder_id", "holder") if view.colour_by == "holder" else ("holder_kind", "kind_label")
    )
    table = table.assign(
        kind_label=table["holder_kind"].map(franchises.KINDS).fillna(holdings.UNKNOWN_HOLDER),
        holder_kind=table["holder_kind"].mask(table["holder_kind"] == "", UNKNOWN),
        holder_id=table["holder_id"].mask(table["holder_id"] == "", UNKNOWN),
    )
    rows = []
    for code, group in table.groupby("area_code", sort=False):
        keys = list(dict.fromkeys(group[field]))
        labels = list(dict.fromkeys(group[label_field].fillna("")))
        pairs = zip(group["service"], group["holder"], strict=True)
        held = "; ".join(f"{service}: {holder}" for service, holder in pairs)
        rows.append(
            {
                "code": code,
                "key": " + ".join(keys),
                "label": " + ".join(labels),
                "holders": held,
                "organisations": group["holder_id"].nunique(),
            }
        )
    found = pd.DataFrame(rows, columns=["code", "key", "label", "holders", "organisations"])
    view_frame = areas[["code", "name", "population"]].merge(found, on="code", how="left")
    view_frame[["key", "label", "holders"]] = view_frame[["key", "label", "holders"]].fillna("")
    view_frame["label"] = view_frame["label"].mask(view_frame["key"] == "", "No data")
    colours = _colours_for(view_frame, view, adjacency)
    view_frame["colour"] = view_frame["key"].map(colours).fillna(NO_DATA)
    view_frame.loc[view_frame["key"] == UNKNOWN, "colour"] = NO_DATA
    return view_frame


def _colours_for(
    frame: pd.DataFrame, view: View, adjacency: dict[str, set[str]] | None
) -> dict[str, str]:
    keys = frame.loc[frame["key"] != "", "key"]
    if view.colour_by == "kind":
        mixtures = sorted(k for k in set(keys) if k not in KIND_COLOURS)
        colours = {k: KIND_COLOURS[k] for k in set(keys) if k in KIND_COLOURS}
        colours.update({k: MIXTURE_COLOURS[i % 6] for i, k in enumerate(mixtures)})
        return colours
    key_of = dict(zip(frame["code"], frame["key"], strict=True))
    touching: dict[str, set[str]] = {k: set() for k in keys}
    for code, neighbours in (adjacency or {}).items():
        mine = key_of.get(code, "")
        if not mine:
            continue
        for other in neighbours:
            theirs = key_of.get(other, "")
            if theirs and theirs != mine:
                touching[mine].add(theirs)
    chosen: dict[str, str] = {}
    for key in reversed(smallest_last(touching)):
        taken = {chosen[n] for n in touching[key] if n in chosen}
        free = [c for c in PALETTE if c not in taken]
        # Never short of a colour on a map; for another graph, the least-used colour.
        used = pd.Series(list(chosen.values()), dtype=object).value_counts()
        chosen[key] = free[0] if free else min(PALETTE, key=lambda c: used.get(c, 0))
    return chosen


def smallest_last(graph: dict[str, set[str]]) -> list[str]:
    """The vertices in smallest-last order: each, in turn, is one with the fewest neighbours among
    those not yet taken (ties by name). Coloured in reverse, each vertex meets at most as many
    coloured neighbours as it had when taken, so a map (at most five then) needs six colours."""
    left = {v: set(n) & set(graph) for v, n in graph.items()}
    order: list[str] = []
    while left:
        vertex = min(left, key=lambda v: (len(left[v]), v))
        order.append(vertex)
        for other in left.pop(vertex):
            left[other].discard(vertex)
    return order


def colours_for(
    frame: pd.DataFrame, colour_by: str, adjacency: dict[str, set[str]] | None
) -> dict[str, str]:
    """Colours for the keys of ``frame`` (columns code, key): fixed per kind, or for holders
    distinct between neighbours."""
    return _colours_for(frame, View("service", "", colour_by), adjacency)


def legend(view_frame: pd.DataFrame) -> pd.DataFrame:
    """label, colour, number of areas and population per key, most areas first. ``population``
    is the sum of the known figures (NA when none is known), ``population_unknown`` the number
    of areas without one, and ``people`` says both in words ("1,234 + 2 areas unknown")."""
    groups = view_frame.groupby(["key", "label", "colour"], sort=False)
    table = groups.size().reset_index(name="areas")
    sums = [population.total(g["population"]) for _, g in groups]
    table["population"] = pd.array([people for people, _ in sums], dtype="Int64")
    table["population_unknown"] = [unknown for _, unknown in sums]
    table["people"] = [population.words(people, unknown) for people, unknown in sums]
    if "order" in view_frame:  # an ordered scale (Band D): its own order, low to high
        table = table.assign(order=table["key"].astype(int)).sort_values("order")
    else:
        table = table.sort_values(["areas", "label"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)[
        ["label", "colour", "areas", "population", "population_unknown", "people", "key"]
    ]


#: The key of a holder no source names yet (a future area's): drawn in the no-data grey.
UNKNOWN = "unknown"
DIMMED = "#e4e4e4"  # a holder not highlighted, or an area outside the focus


def dimmed(view_frame: pd.DataFrame, within: list[str] | None, highlight: str = "") -> pd.DataFrame:
    """The view's colours with areas outside ``within`` (None: everywhere is in) and, when
    ``highlight`` is a key, every other holder's areas in light grey; labels are kept, so the
    map still names every holder on hover."""
    colours = view_frame["colour"]
    if within is not None:
        colours = colours.where(view_frame["code"].isin(within), DIMMED)
    if highlight:
        colours = colours.where(view_frame["key"] == highlight, DIMMED)
    return view_frame.assign(colour=colours)


def fragmentation(baseline: Baseline, on: date | None = None) -> pd.Series:
    """Per area code: how many different organisations a resident deals with across all services."""
    table = holdings.current(baseline, on)
    known = table[table["holder_id"] != ""]  # a holder not yet known is not counted
    return known.groupby("area_code")["holder_id"].nunique().rename("organisations")


def footprint(baseline: Baseline, organisation_id: str, on: date | None = None) -> pd.DataFrame:
    """Every holding of one organisation in force ``on``: area_code, service_id, service, since,
    until, accountable_to, source."""
    table = holdings.current(baseline, on)
    mine = table[table["holder_id"] == organisation_id]
    return mine[
        ["area_code", "service_id", "service", "since", "until", "accountable_to", "source"]
    ].reset_index(drop=True)


def adjacency(frame: gpd.GeoDataFrame) -> dict[str, set[str]]:
    """Area code -> codes of the areas it touches (sharing a border or a point)."""
    left, right = frame.sindex.query(frame.geometry, predicate="intersects")
    codes = frame["code"].to_numpy()
    result: dict[str, set[str]] = {str(code): set() for code in codes}
    for i, j in zip(left, right, strict=True):
        if i != j:
            result[str(codes[i])].add(str(codes[j]))
    return result


def borders(frame: gpd.GeoDataFrame, view_frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Each holder's (each key's) territory, dissolved: drawn over the map, its outline tells
    holders apart by more than colour."""
    joined = frame[["code", "geometry"]].merge(view_frame[["code", "key"]], on="code")
    joined = joined[joined["key"] != ""]
    return joined.dissolve(by="key", as_index=False)[["key", "geometry"]]


def outline_frame(
    frame: gpd.GeoDataFrame,
    baseline: Baseline,
    areas: pd.DataFrame,
    which: str,
    on: date | None = None,
) -> gpd.GeoDataFrame:
    """Boundaries of a larger geography dissolved from LADs: ``which`` is a key of OUTLINES."""
    if which in ("police", "fire"):
        table = holdings.current(baseline, on)
        groups = table.loc[table["service_id"] == which, ["area_code", "holder"]].rename(
            columns={"area_code": "code", "holder": "group"}
        )
    elif which == "upper_tier":
        groups = areas[["code", "upper_tier_name"]].rename(columns={"upper_tier_name": "group"})
    elif which in ("region", "country"):
        groups = areas[["code", which]].rename(columns={which: "group"})
    else:
        raise UnknownView(f"'{which}' is not one of {', '.join(OUTLINES)}")
    joined = frame[["code", "geometry"]].merge(groups, on="code", how="inner")
    joined = joined[joined["group"].fillna("") != ""]
    return joined.dissolve(by="group", as_index=False)[["group", "geometry"]]


EXPORT_COLUMNS = [
    "area_code",
    "area_name",
    "country",
    "population",
    "service_id",
    "service",
    "holder_id",
    "holder",
    "holder_kind",
    "accountable_to",
    "since",
    "until",
    "source",
    "checked",
    "notes",
    "band_d_2025_26",
    "band_d_2026_27",
    "as_of",
    "vintage",
    "area_url",
]
#: Every service at once: the national table of every area × service.
ALL = "all"


def export_table(
    baseline: Baseline,
    areas: pd.DataFrame,
    view: View,
    on: date | None = None,
    base_url: str = "",
) -> pd.DataFrame:
    """The long table behind a view: one row per area and service, as the card shows it: kinds
    in words, "unknown" where a date is not known, the area's population (empty when unknown),
    its council tax, the day it answers for and its boundaries' vintage, and the address of its
    card (``base_url``, the atlas's address, before it)."""
    services = services_in(baseline, view)
    day = on or date.today()
    table = holdings.current(baseline, on)
    table = table[table["service_id"].isin(services)]
    if "population" not in areas:
        areas = population.attach(areas)
    names = areas[["code", "name", "country", "population"]].rename(
        columns={"code": "area_code", "name": "area_name"}
    )
    named = table.merge(names, on="area_code", how="inner")
    # Each area's council tax (Band D, £), so the table and the files carry the tax map too.
    tax = taxation.band_d_frame().rename(columns={"code": "area_code"})
    named = named.merge(tax.drop(columns="change"), on="area_code", how="left")
    named["holder_kind"] = named["holder_kind"].map(lambda k: franchises.KINDS.get(k, k))
    named["since"] = named["since"].replace("", "unknown")
    named["until"] = named["until"].replace("", "no end date")
    named["accountable_to"] = named["accountable_to"].replace("", "unknown")
    shown = "service" if view.kind == ALL else view.kind
    ident = "police" if view.kind == ALL else view.id
    named["as_of"] = day.isoformat()
    named["vintage"] = vintages.for_day(vintages.clip(day)).name
    when = "" if on is None or on == date.today() else f"&on={day.isoformat()}"
    named["area_url"] = [
        f"{base_url}?{shown}={ident}&area={code}{when}" for code in named["area_code"]
    ]
    return named[EXPORT_COLUMNS].reset_index(drop=True)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading = + - @ (or tab/CR) gets a '."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))
    text = "" if missing else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets read the accents) of ``table``, every
    cell neutralised with :func:`safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_geojson(
    frame: gpd.GeoDataFrame,
    baseline: Baseline,
    areas: pd.DataFrame,
    view: View,
    on: date | None = None,
) -> str:
    """A GeoJSON FeatureCollection (EPSG:4326): one feature per area, with the holder of each
    service in the view as properties ``<service_id>``, ``<service_id>_kind`` and
    ``<service_id>_source``, and the day it answers for and its boundaries' vintage at the top
    (``as_of``, ``vintage``)."""
    table = export_table(baseline, areas, view, on)
    wide = {"area_code": sorted(set(table["area_code"]))}
    properties = pd.DataFrame(wide)
    for service, group in table.groupby("service_id", sort=False):
        part = group.set_index("area_code")
        properties[service] = properties["area_code"].map(part["holder"])
        properties[f"{service}_kind"] = properties["area_code"].map(part["holder_kind"])
        properties[f"{service}_source"] = properties["area_code"].map(part["source"])
    shapes = frame[["code", "name", "geometry"]].rename(
        columns={"code": "area_code", "name": "area_name"}
    )
    joined = shapes.merge(properties, on="area_code", how="inner").to_crs(4326)
    doc = json.loads(joined.to_json(drop_id=True))
    doc["view"] = {"kind": view.kind, "id": view.id}
    day = on or date.today()
    doc["as_of"] = day.isoformat()
    doc["vintage"] = vintages.for_day(vintages.clip(day)).name
    return json.dumps(doc, ensure_ascii=False)
