"""Local authority district boundaries: load them (any vintage), simplify them, and the
postcode-cell method used where no official small areas exist.

The committed files are written by ``scripts/make_boundaries.py`` (``make boundaries``;
:mod:`dashboard.geometry`): England and Wales from the ONS LSOA 2011 boundaries and Northern
Ireland from NISRA Small Areas 2011, each small area given to the LAD most of its postcodes are
in (and split by postcode cells where another LAD has many); Scotland from postcode cells, as
:func:`build` draws them. For each landmass that method takes every located postcode of the
ONS Postcode Directory, gives each distinct grid reference to the LAD most of its postcodes
belong to, draws the Voronoi cell of every grid reference, dissolves the cells by LAD and clips
them to the land mask (see :mod:`dashboard.landmask`). Pieces left holding none of their own
LAD's postcodes ("orphans": a cell that reached across an estuary) go to the neighbouring LAD
they share most border with. Every vintage (:mod:`dashboard.vintages`) is a union of the same
pieces, so merged areas are exactly the union of their parts.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard import lads, landmask, onspd, paths

#: How our boundaries are drawn, in a phrase for captions and map credits.
METHOD = (
    "drawn from ONS LSOA 2011 (England and Wales) and NISRA Small Areas 2011 (Northern Ireland) "
    "boundaries, dissolved by the ONS Postcode Directory's postcodes, and from postcode cells "
    "in Scotland"
)
#: Display tolerance in metres for topology-preserving simplification of the whole-UK map.
DISPLAY_TOLERANCE_M = 400.0
#: Decimal places of longitude/latitude kept in the display file (5 places ≈ 1 m).
DISPLAY_DECIMALS = 5
#: Decimal places kept in the full-detail file (6 places ≈ 0.1 m).
FULL_DECIMALS = 6


class BoundaryFileError(ValueError):
    """A boundary file could not be used; the message says why and what to do."""


@dataclass(frozen=True)
class BuildReport:
    postcodes_used: int
    grid_references: int
    shared_references_outvoted: int
    orphans_reassigned: int

    def lines(self) -> list[str]:
        return [
            f"postcodes used: {self.postcodes_used:,}",
            f"distinct grid references: {self.grid_references:,}",
            f"postcodes outvoted at a shared grid reference: {self.shared_references_outvoted:,}",
            f"orphan pieces given to a neighbour: {self.orphans_reassigned:,}",
        ]


# --------------------------------------------------------------------------- derivation


def majority_lad(points: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct (x, y): the LAD most postcodes there belong to (ties: lowest code)."""
    counts = points.groupby(["x", "y", "lad"], observed=True).size().reset_index(name="n")
    counts = counts.sort_values(["x", "y", "n", "lad"], ascending=[True, True, False, True])
    return counts.drop_duplicates(["x", "y"], keep="first").reset_index(drop=True)


def derive_lads(refs: pd.DataFrame, land: shapely.Geometry) -> tuple[pd.Series, int]:
    """Polygons per LAD code from distinct grid references (``majority_lad``) and a land mask.

    Returns the polygons (a Series of geometries indexed by LAD code, sorted) in the points'
    coordinate system, and the number of orphan pieces reassigned.
    """
    xy = refs[["x", "y"]].to_numpy()
    sites = shapely.multipoints(shapely.points(xy))
    minx, miny, maxx, maxy = shapely.bounds(shapely.union_all([land, sites.envelope]))
    frame = shapely.box(minx - 50_000, miny - 50_000, maxx + 50_000, maxy + 50_000)
    cells = shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=frame, ordered=True))
    codes = refs["lad"].to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1], True])
    dissolved = {}
    for start, stop in itertools.pairwise(bounds):
        idx = order[start:stop]
        dissolved[codes[idx[0]]] = shapely.coverage_union_all(cells[idx])
    names = sorted(dissolved)
    clipped = shapely.intersection(np.array([dissolved[c] for c in names]), land)
    polygons = pd.Series([_polygonal(g) for g in clipped], index=names)
    return _reassign_orphans(polygons, refs)


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 0]
    return shapely.multipolygons(parts) if parts else shapely.Polygon()


def _reassign_orphans(polygons: pd.Series, refs: pd.DataFrame) -> tuple[pd.Series, int]:
    """Give each piece holding none of its LAD's postcodes to the neighbour it shares most
    border with; smallest pieces first, labels updated as we go, until nothing moves."""
    sites = gpd.GeoDataFrame(
        {"lad": refs["lad"].to_numpy()}, geometry=shapely.points(refs[["x", "y"]].to_numpy())
    )
    moved_total = 0
    while True:
        parts = gpd.GeoDataFrame(
            {"lad": np.repeat(polygons.index.to_numpy(), shapely.get_num_geometries(polygons))},
            geometry=np.concatenate([shapely.get_parts(g) for g in polygons]),
        )
        hits = gpd.sjoin(sites, parts, predicate="within", how="inner")
        owned = set(hits.loc[hits["lad_left"] == hits["lad_right"], "index_right"])
        orphans = sorted(
            (i for i in range(len(parts)) if i not in owned),
            key=lambda i: (parts.geometry.iat[i].area, i),
        )
        tree = shapely.STRtree(parts.geometry.to_numpy())
        labels = parts["lad"].to_numpy().copy()
        moved = 0
        for i in orphans:
            geom = parts.geometry.iat[i]
            best, best_len = None, 0.0
            for j in sorted(tree.query(geom, predicate="intersects")):
                if labels[j] == labels[i]:
                    continue
                length = shapely.length(shapely.intersection(geom.boundary, parts.geometry.iat[j]))
                if length > best_len:
                    best, best_len = labels[j], length
            if best is not None:
                labels[i] = best
                moved += 1
        parts["lad"] = labels
        polygons = (
            parts.groupby("lad")
            .geometry.apply(lambda s: shapely.coverage_union_all(s.values))
            .map(_polygonal)
            .sort_index()
        )
        moved_total += moved
        if moved == 0:
            return polygons, moved_total


def build(postcodes: pd.DataFrame | None = None) -> tuple[gpd.GeoDataFrame, BuildReport]:
    """Derive all LAD polygons (EPSG:4326) with their attributes from the packaged data."""
    every = onspd.read_all() if postcodes is None else postcodes
    located = onspd.located_uk(every)
    masks = landmask.land_masks()
    is_ni = located["lad"].str.startswith("N")
    pieces, moved, grid_refs, outvoted = [], 0, 0, 0
    for subset, land, crs in (
        (located[~is_ni], masks.gb, landmask.GB_CRS),
        (located[is_ni], masks.ni, landmask.NI_CRS),
    ):
        if subset.empty:
            continue
        refs = majority_lad(subset)
        grid_refs += len(refs)
        outvoted += int(len(subset) - refs["n"].sum())
        polygons, n = derive_lads(refs, land)
        moved += n
        pieces.append(
            gpd.GeoDataFrame({"code": polygons.index}, geometry=polygons.values, crs=crs).to_crs(
                "EPSG:4326"
            )
        )
    frame = pd.concat(pieces, ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    report = BuildReport(
        postcodes_used=len(located),
        grid_references=grid_refs,
        shared_references_outvoted=outvoted,
        orphans_reassigned=moved,
    )
    return _with_attributes(frame), report


def _with_attributes(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    table = lads.lad_table()
    merged = frame.merge(table, on="code", how="left", validate="one_to_one")
    missing = merged.loc[merged["name"].isna(), "code"].tolist()
    if missing:
        raise BoundaryFileError(f"LAD codes with no entry in {paths.LAD_TABLE.name}: {missing}")
    merged["vintage"] = paths.VINTAGE
    cols = ["code", "name", "country", "region", "upper_tier_code", "upper_tier_name", "vintage"]
    return merged[[*cols, "geometry"]].sort_values("code").reset_index(drop=True)


# --------------------------------------------------------------------------- display


def simplify_for_display(
    frame: gpd.GeoDataFrame, tolerance_m: float = DISPLAY_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Topology-preserving simplification of a LAD coverage for the whole-UK map (EPSG:4326).

    Shared edges are simplified once (``shapely.coverage_simplify``), per landmass in its own
    metric grid, so neighbours still meet.
    """
    out = []
    is_ni = frame["code"].str.startswith("N")
    for mask, crs in ((~is_ni, landmask.GB_CRS), (is_ni, landmask.NI_CRS)):
        part = frame[mask]
        if part.empty:
            continue
        metric = part.to_crs(crs)
        simple = shapely.coverage_simplify(metric.geometry.values, tolerance_m)
        metric = metric.set_geometry(simple).to_crs("EPSG:4326")
        out.append(metric)
    result = gpd.GeoDataFrame(pd.concat(out), crs="EPSG:4326").sort_values("code")
    result["geometry"] = round_coordinates(result.geometry.values, DISPLAY_DECIMALS)
    return result.reset_index(drop=True)


def round_coordinates(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Round every vertex (shared vertices round alike, so neighbours still meet), then mend
    the rare polygon the rounding made invalid."""
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    bad = ~shapely.is_valid(rounded)
    rounded[bad] = [_polygonal(shapely.make_valid(g, method="structure")) for g in rounded[bad]]
    return rounded


# --------------------------------------------------------------------------- files


def write_geojson(frame: gpd.GeoDataFrame, path: Path, decimals: int) -> None:
    """Write deterministically: sorted rows, fixed precision, stable key order, atomic replace."""
    rounded = frame.copy()
    rounded["geometry"] = round_coordinates(rounded.geometry.values, decimals)
    features = []
    for row in rounded.itertuples(index=False):
        props = {k: getattr(row, k) for k in frame.columns if k != "geometry"}
        geometry = json.loads(shapely.to_geojson(row.geometry))
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    doc = {"type": "FeatureCollection", "features": features}
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
    os.replace(tmp, path)


_CODE_COLUMNS = ("code", "lad{yy}cd", "lgd{yy}cd")
_NAME_COLUMNS = ("name", "lad{yy}nm", "lgd{yy}nm")


def _find_column(columns: Iterable[str], patterns: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in columns}
    for pattern in patterns:
        for yy in range(10, 100) if "{yy}" in pattern else [None]:
            key = pattern.format(yy=f"{yy:02d}") if yy is not None else pattern
            if key in lower:
                return lower[key]
    return None


def load(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load LAD boundaries (ours, or an ONS file named by ``CENTRIFUGE_BOUNDARIES``).

    ONS files of any vintage work: code and name columns such as ``LAD24CD``/``LAD24NM`` are
    recognised; country comes from the code's first letter and region/upper tier from our table
    where the code is known. The result is always EPSG:4326 with columns code, name, country,
    region, upper_tier_code, upper_tier_name, vintage, geometry.
    """
    path = paths.boundaries_path() if path is None else Path(path)
    if not path.exists():
        raise BoundaryFileError(f"boundary file not found: {path}")
    try:
        raw = gpd.read_file(path)
    except Exception as exc:
        raise BoundaryFileError(f"{path.name} is not a readable boundary file ({exc})") from exc
    if raw.empty:
        raise BoundaryFileError(f"{path.name} holds no areas")
    code_col = _find_column(raw.columns, _CODE_COLUMNS)
    name_col = _find_column(raw.columns, _NAME_COLUMNS)
    if code_col is None or name_col is None:
        raise BoundaryFileError(
            f"{path.name} has no LAD code and name columns (expected e.g. LAD24CD and LAD24NM)"
        )
    if raw.crs is None:
        raise BoundaryFileError(f"{path.name} does not say its coordinate reference system")
    frame = raw.to_crs("EPSG:4326")
    out = gpd.GeoDataFrame(
        {"code": frame[code_col].astype(str).str.strip(), "name": frame[name_col].astype(str)},
        geometry=frame.geometry.values,
        crs="EPSG:4326",
    )
    if out["code"].duplicated().any():
        dupes = sorted(out.loc[out["code"].duplicated(), "code"].unique())
        raise BoundaryFileError(f"{path.name} repeats LAD codes: {', '.join(dupes[:5])}")
    table = lads.lad_table().drop(columns=["name"])
    out = out.merge(table, on="code", how="left")
    out["country"] = out["country"].fillna(out["code"].str[0].map(lads.COUNTRY_BY_PREFIX))
    if "vintage" in raw.columns:
        out["vintage"] = raw["vintage"].astype(str).values
    else:
        yy = code_col.lower()[3:5]
        out["vintage"] = f"LAD 20{yy}" if yy.isdigit() else f"as supplied in {path.name}"
    cols = ["code", "name", "country", "region", "upper_tier_code", "upper_tier_name", "vintage"]
    out["geometry"] = shapely.make_valid(out.geometry.values)
    return out[[*cols, "geometry"]].sort_values("code").reset_index(drop=True)


# --------------------------------------------------------------------------- vintages

#: Every area of a vintage other than LAD 2025 that is not itself a LAD 2025 area (Harrogate,
#: Aylesbury Vale, Barnsley's pre-2025 code, West Surrey…), drawn from the same pieces as
#: ``lad_2025.geojson``; ``vintage`` lists the vintages each belongs to ("LAD 2019; LAD 2020").
OTHER_VINTAGES = paths.BOUNDARIES_DIR / "lad_other_vintages.geojson"
OTHER_VINTAGES_DISPLAY = paths.BOUNDARIES_DIR / "lad_other_vintages_display.geojson"
COLUMNS = ["code", "name", "country", "region", "upper_tier_code", "upper_tier_name", "vintage"]


@cache
def _read_pieces(path: Path) -> gpd.GeoDataFrame:
    return (
        load(path)
        if path.exists()
        else gpd.GeoDataFrame({c: [] for c in COLUMNS}, geometry=[], crs="EPSG:4326")
    )


@cache
def _override(path: str, display: bool) -> gpd.GeoDataFrame:
    frame = load(Path(path))
    return simplify_for_display(frame) if display else frame


@cache
def _vintage(name: str, display: bool) -> gpd.GeoDataFrame:
    from dashboard import vintages

    areas = vintages.areas_of(name)
    today = _read_pieces(paths.DISPLAY_BOUNDARIES if display else paths.FULL_BOUNDARIES)
    other = _read_pieces(OTHER_VINTAGES_DISPLAY if display else OTHER_VINTAGES)
    geometry = pd.concat([today, other[~other["code"].isin(today["code"])]], ignore_index=True)
    geometry = geometry.set_index("code").geometry
    wanted = areas["code"].tolist()
    missing = [c for c in wanted if c not in geometry.index]
    # A merged area with no drawing of its own is the union of its parts (LAD 2027's Surrey).
    for code in list(missing):
        parts = vintages.predecessors(code)
        if parts and all(p in geometry.index for p in parts):
            geometry.loc[code] = shapely.coverage_union_all(geometry.loc[parts].values)
            missing.remove(code)
    if missing:
        raise BoundaryFileError(
            f"no boundary for {len(missing)} areas of {name} ({', '.join(missing[:5])}): "
            "run `make boundaries`"
        )
    frame = gpd.GeoDataFrame(
        areas[COLUMNS[:-1]].assign(vintage=name),
        geometry=geometry.loc[wanted].values,
        crs="EPSG:4326",
    )
    return frame.sort_values("code").reset_index(drop=True)


def load_vintage(name: str, display: bool = False) -> gpd.GeoDataFrame:
    """The areas of vintage ``name`` (see :mod:`dashboard.vintages`) with their boundaries.

    Columns code, name, country, region, upper_tier_code, upper_tier_name, vintage (``name``),
    geometry (EPSG:4326); one row per area of ``vintages.areas_of(name)``, sorted by code.
    ``display`` gives the simplified drawing for the whole-UK map. ``CENTRIFUGE_BOUNDARIES``
    (a user's own file, read as :func:`load` reads it, with its own codes) replaces LAD 2025
    only. The result is cached: copy it before changing it.
    """
    from dashboard import vintages

    vintages.by_name(name)  # KeyError for an unknown vintage
    if name == paths.VINTAGE and not paths.using_own_boundaries():
        return _override(str(paths.boundaries_path()), bool(display))
    return _vintage(name, bool(display))
