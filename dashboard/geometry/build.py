"""The whole offline build: official small areas and postcodes → pieces → every vintage.

- England and Wales: ONS LSOA (Dec 2011) super-generalised clipped polygons, dissolved by the
  postcodes inside them (:mod:`dashboard.geometry.official`).
- Scotland: Voronoi cells of postcodes (Scottish postcodes only), clipped to the land mask of
  :mod:`dashboard.landmask` outside the LSOAs of England; a strip along the border that neither
  the LSOAs nor Scotland's cells cover goes to Scotland, so the two meet without a gap.
- Northern Ireland: NISRA Small Areas 2011 dissolved by postcodes like the LSOAs, or postcode
  cells (``ni_method``).
Pieces holding none of their own LAD's postcodes that touch another LAD (a cell across an
estuary) go to the neighbour they share most border with. The pieces are then labelled per
vintage (:mod:`dashboard.geometry.pieces`) and unioned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard import boundaries, lads, landmask, onspd, vintages
from dashboard.geometry import official
from dashboard.geometry import pieces as piecework

WGS84 = "EPSG:4326"
#: Gaps narrower than this (metres) between neighbouring small areas are closed when cleaning.
GAP_M = 1.0
#: How far (metres) from Scotland's postcode cells land left between them and England's LSOAs
#: still goes to Scotland.
BORDER_STRIP_M = 2_000.0


@dataclass
class Built:
    """Each vintage's areas (EPSG:4326, sorted by code, with attributes), full and display."""

    full: dict[str, gpd.GeoDataFrame]
    display: dict[str, gpd.GeoDataFrame]
    report: dict[str, int] = field(default_factory=dict)


def clean_units(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    units = units.copy()
    units["geometry"] = shapely.coverage_clean(
        shapely.make_valid(units.geometry.values), gap_width=GAP_M
    )
    return units[~units.geometry.is_empty].reset_index(drop=True)


def _frame(land: shapely.Geometry, refs: pd.DataFrame) -> shapely.Geometry:
    sites = shapely.multipoints(shapely.points(refs[["x", "y"]].to_numpy()))
    minx, miny, maxx, maxy = shapely.bounds(shapely.union_all([land, sites.envelope]))
    return shapely.box(minx - 50_000, miny - 50_000, maxx + 50_000, maxy + 50_000)


def _cells_by_lad(refs: pd.DataFrame, cells: np.ndarray) -> pd.Series:
    codes = refs["lad"].to_numpy()
    return pd.Series({c: shapely.coverage_union_all(cells[codes == c]) for c in sorted(set(codes))})


def _pieces_frame(rows, crs) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["unit", "unit_name", "lad", "geometry"]).assign(cells=True),
        geometry="geometry",
        crs=crs,
    )
    frame = frame[~frame.geometry.is_empty].explode(index_parts=False)
    return frame[frame.geometry.area > 0].reset_index(drop=True)


def scotland_pieces(
    refs: pd.DataFrame,
    cells: np.ndarray,
    land: shapely.Geometry,
    england_wales: shapely.Geometry,
    crs,
) -> gpd.GeoDataFrame:
    """Scotland's pieces: its postcode cells on the land that England's LSOAs leave."""
    scottish = refs["lad"].str.startswith("S").to_numpy()
    region = shapely.coverage_union_all(cells[scottish])
    region = shapely.buffer(region, BORDER_STRIP_M, quad_segs=2)
    scot_land = official.polygonal(
        shapely.intersection(shapely.difference(land, england_wales), region)
    )
    own = refs[scottish].reset_index(drop=True)
    # The postcode-cell method, with its own hand-over of fragments across estuaries.
    polygons, _moved = boundaries.derive_lads(own, scot_land)
    rows = [("", "", code, geom) for code, geom in polygons.items()]
    return _pieces_frame(rows, crs)


def reassign_orphans(pieces: gpd.GeoDataFrame, refs: pd.DataFrame) -> int:
    """Give every connected part of a LAD that holds none of its postcodes and touches another
    LAD to the neighbour it shares most border with (in place; returns how many moved). Only
    parts drawn from postcode cells move: a part of an official small area stays with it (Two
    Tree Island, uninhabited, is Southend's)."""
    pts = gpd.GeoDataFrame(
        {"lad": refs["lad"].to_numpy()},
        geometry=shapely.points(refs[["x", "y"]].to_numpy()),
        crs=pieces.crs,
    )
    moved_total = 0
    for _round in range(10):
        parts = []
        for code, group in pieces.groupby("lad"):
            union = shapely.coverage_union_all(group.geometry.values)
            parts.extend((code, p) for p in shapely.get_parts(union))
        parts = gpd.GeoDataFrame(
            {"lad": [c for c, _ in parts]}, geometry=[p for _, p in parts], crs=pieces.crs
        )
        hits = gpd.sjoin(pts, parts, predicate="within")
        owned = set(hits.loc[hits["lad_left"] == hits["lad_right"], "index_right"])
        orphans = sorted(
            set(range(len(parts))) - owned, key=lambda i: (parts.geometry.iat[i].area, i)
        )
        tree = shapely.STRtree(parts.geometry.values)
        ptree = shapely.STRtree(pieces.geometry.values)
        moved = 0
        for i in orphans:
            geom = parts.geometry.iat[i]
            best, best_len = None, 0.0
            for j in sorted(tree.query(geom, predicate="intersects")):
                if parts["lad"].iat[j] == parts["lad"].iat[i]:
                    continue
                length = shapely.length(shapely.intersection(geom.boundary, parts.geometry.iat[j]))
                if length > best_len:
                    best, best_len = parts["lad"].iat[j], length
            if best is None or best_len < 1.0:
                continue
            inside = ptree.query(
                geom.buffer(-0.01) if geom.area > 1 else geom, predicate="intersects"
            )
            members = [k for k in inside if pieces["lad"].iat[k] == parts["lad"].iat[i]]
            if not members or not pieces["cells"].iloc[members].all():
                continue
            pieces.iloc[members, pieces.columns.get_loc("lad")] = best
            moved += 1
        moved_total += moved
        if not moved:
            break
    return moved_total


def majority(points: pd.DataFrame) -> pd.DataFrame:
    return boundaries.majority_lad(points)


def gb_pieces(
    located: pd.DataFrame, lsoas: gpd.GeoDataFrame, report: dict
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    land = landmask.land_masks().gb
    refs = majority(located)
    cells = official.voronoi_cells(refs, _frame(land, refs))
    units = clean_units(lsoas.to_crs(landmask.GB_CRS))
    ew, rep = official.dissolve_units(units, refs, cells)
    report.update({f"lsoa_{k}": v for k, v in rep.items()})
    england_wales = shapely.coverage_union_all(units.geometry.values)
    scot = scotland_pieces(refs, cells, land, england_wales, ew.crs)
    allp = pd.concat([ew, scot], ignore_index=True)
    allp = gpd.GeoDataFrame(allp, geometry="geometry", crs=ew.crs)
    allp["geometry"] = shapely.coverage_clean(allp.geometry.values)
    allp = allp[~allp.geometry.is_empty].explode(index_parts=False).reset_index(drop=True)
    report["gb_orphans_reassigned"] = reassign_orphans(allp, refs)
    return allp, refs


def ni_pieces(
    located: pd.DataFrame, small_areas: gpd.GeoDataFrame | None, method: str, report: dict
) -> gpd.GeoDataFrame:
    refs = majority(located)
    if method == "cells" or small_areas is None:
        land = landmask.land_masks().ni
        polygons, moved = boundaries.derive_lads(refs, land)
        rows = [("", "", code, geom) for code, geom in polygons.items()]
        report["ni_orphans_reassigned"] = moved
        return _pieces_frame(rows, landmask.NI_CRS)
    units = clean_units(small_areas)
    cells = official.voronoi_cells(refs, _frame(shapely.box(*units.total_bounds), refs))
    pieces, rep = official.dissolve_units(units, refs, cells)
    report.update({f"small_area_{k}": v for k, v in rep.items()})
    report["ni_orphans_reassigned"] = reassign_orphans(pieces, refs)
    return pieces


def assemble(landmasses: list[tuple[gpd.GeoDataFrame, pd.DataFrame]]) -> Built:
    """Union labelled pieces (per landmass: pieces, their labels per vintage) into each
    vintage's areas, full and display. The finest areas (pieces with the same label in every
    vintage) are unioned and simplified once, so every vintage is drawn from the same edges."""
    names = [v.name for v in vintages.VINTAGES]
    full: dict[str, list] = {n: [] for n in names}
    display: dict[str, list] = {n: [] for n in names}
    for pieces, labels in landmasses:
        keys = labels[names].astype(str).agg("|".join, axis=1)
        order = sorted(set(keys))
        finest = np.array(
            [
                shapely.coverage_union_all(pieces.geometry.values[(keys == k).to_numpy()])
                for k in order
            ]
        )
        simple = shapely.coverage_simplify(finest, boundaries.DISPLAY_TOLERANCE_M)
        table = pd.DataFrame([k.split("|") for k in order], columns=names)
        for name in names:
            for target, geoms in ((full, finest), (display, simple)):
                codes = sorted(set(table[name]))
                unions = [
                    shapely.coverage_union_all(geoms[(table[name] == c).to_numpy()]) for c in codes
                ]
                target[name].append(
                    gpd.GeoDataFrame({"code": codes}, geometry=unions, crs=pieces.crs).to_crs(WGS84)
                )
    return Built(
        full={n: _with_attributes(n, full[n]) for n in names},
        display={n: _with_attributes(n, display[n]) for n in names},
    )


def _with_attributes(name: str, parts: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=WGS84)
    frame["geometry"] = [official.polygonal(shapely.make_valid(g)) for g in frame.geometry.values]
    areas = vintages.areas_of(name)
    got, want = set(frame["code"]), set(areas["code"])
    if got != want:
        raise boundaries.BoundaryFileError(
            f"{name}: drawn but not in the vintage {sorted(got - want)[:5]}, "
            f"in the vintage but not drawn {sorted(want - got)[:5]}"
        )
    merged = frame.merge(areas[lads.COLUMNS], on="code", validate="one_to_one")
    merged["vintage"] = name
    return merged[[*boundaries.COLUMNS, "geometry"]].sort_values("code").reset_index(drop=True)


def run(
    lsoas: gpd.GeoDataFrame,
    small_areas: gpd.GeoDataFrame | None,
    postcodes_2021: pd.DataFrame,
    postcodes: pd.DataFrame | None = None,
    ni_method: str = "small_areas",
) -> Built:
    """Everything: ``lsoas`` (columns unit, unit_name, geometry), ``small_areas`` (same, in
    Irish Grid), ``postcodes_2021`` (pcd, x, y, lad21), ``postcodes`` (the November 2025
    directory, read if not given)."""
    every = onspd.read_all() if postcodes is None else postcodes
    located = onspd.located_uk(every)
    is_ni = located["lad"].str.startswith("N")
    report: dict[str, int] = {"postcodes_used": len(located)}
    gb, _refs = gb_pieces(located[~is_ni], lsoas, report)
    # Only postcodes of districts that are no longer areas can decide anything.
    today = set(vintages.areas_of("LAD 2025")["code"])
    lad21 = postcodes_2021["lad21"]
    old = postcodes_2021[lad21.notna() & ~lad21.isin(today) & postcodes_2021["x"].notna()]
    old = old[~old["lad21"].astype(str).str.startswith("N")]
    points = gpd.GeoDataFrame(
        {"lad21": old["lad21"].to_numpy()},
        geometry=shapely.points(old[["x", "y"]].to_numpy()),
        crs=gb.crs,
    )
    masses = [(gb, piecework.label(gb, points))]
    ni = ni_pieces(located[is_ni], small_areas, ni_method, report)
    if len(ni):
        masses.append((ni, piecework.label(ni)))
    built = assemble(masses)
    built.report = report
    return built
