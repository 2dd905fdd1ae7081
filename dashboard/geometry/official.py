"""Dissolve official small areas (ONS LSOAs, NISRA Small Areas) into LADs by their postcodes.

Each small area goes to the LAD most of the postcodes inside it belong to. A small area that
straddles a LAD boundary (at least :data:`SPLIT_MIN_POSTCODES` postcodes and
:data:`SPLIT_MIN_SHARE` of them in another LAD) is split by the Voronoi cells of its postcodes'
grid references. A small area with no postcode inside goes to the LAD of the nearest postcode.
The result is a list of *pieces*: single polygons, each with the small area it came from and
its LAD, which together tile the small areas exactly.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: A minority LAD needs at least this many postcodes in a small area to split it …
SPLIT_MIN_POSTCODES = 10
#: … and at least this share of the small area's postcodes.
SPLIT_MIN_SHARE = 0.0


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of ``geom`` (dropping lines and points an overlay leaves), as a
    MultiPolygon, or an empty Polygon."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 0]
    return shapely.multipolygons(parts) if parts else shapely.Polygon()


def voronoi_cells(refs: pd.DataFrame, frame: shapely.Geometry) -> np.ndarray:
    """The Voronoi cell of every row of ``refs`` (columns x, y), in row order, out to ``frame``."""
    sites = shapely.multipoints(shapely.points(refs[["x", "y"]].to_numpy()))
    return shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=frame, ordered=True))


def postcode_counts(units: gpd.GeoDataFrame, refs: pd.DataFrame) -> pd.DataFrame:
    """Postcodes per small area and LAD: columns unit (row of ``units``), lad, n, sorted."""
    pts = gpd.GeoDataFrame(
        {"lad": refs["lad"].to_numpy(), "n": refs["n"].to_numpy()},
        geometry=shapely.points(refs[["x", "y"]].to_numpy()),
        crs=units.crs,
    )
    hits = gpd.sjoin(pts, units[["geometry"]], predicate="within", how="inner")
    hits = hits.rename(columns={"index_right": "unit"})
    counts = hits.groupby(["unit", "lad"], observed=True)["n"].sum().reset_index()
    return counts.sort_values(["unit", "n", "lad"], ascending=[True, False, True]).reset_index(
        drop=True
    )


def dissolve_units(
    units: gpd.GeoDataFrame,
    refs: pd.DataFrame,
    cells: np.ndarray,
    min_postcodes: int = SPLIT_MIN_POSTCODES,
    min_share: float = SPLIT_MIN_SHARE,
) -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    """Pieces (columns unit, unit_name, lad, geometry: single polygons; cells: True where
    drawn by postcode cells, in a split small area) from small areas.

    ``units``: columns unit (code), unit_name, geometry, in the metric CRS of ``refs``
    (distinct grid references with their majority LAD ``lad`` and postcode count ``n``);
    ``cells``: the Voronoi cell of each row of ``refs``. Also returns counts of what was done.
    """
    units = units.reset_index(drop=True)
    counts = postcode_counts(units, refs)
    totals = counts.groupby("unit")["n"].sum()
    majority = counts.drop_duplicates("unit").set_index("unit")["lad"]
    minority = counts[counts.duplicated("unit")]
    minority = minority[
        (minority["n"] >= min_postcodes)
        & (minority["n"] >= min_share * minority["unit"].map(totals))
    ]
    empty = np.setdiff1d(np.arange(len(units)), majority.index.to_numpy())
    if len(empty):
        pts = gpd.GeoDataFrame(
            {"lad": refs["lad"].to_numpy()},
            geometry=shapely.points(refs[["x", "y"]].to_numpy()),
            crs=units.crs,
        )
        near = gpd.sjoin_nearest(units.iloc[empty][["geometry"]], pts, how="left")
        near = near[~near.index.duplicated(keep="first")]
        majority = pd.concat([majority, near["lad"]]).sort_index()
    tree = shapely.STRtree(cells)
    cell_lad = refs["lad"].to_numpy()
    rows = []
    split_units = set(minority["unit"])
    for i, unit in enumerate(units.itertuples(index=False)):
        geom = unit.geometry
        if i not in split_units:
            rows.append((unit.unit, unit.unit_name, majority.loc[i], geom, False))
            continue
        near = tree.query(geom, predicate="intersects")
        taken = []
        for lad in sorted(minority.loc[minority["unit"] == i, "lad"]):
            mine = near[cell_lad[near] == lad]
            piece = polygonal(shapely.intersection(geom, shapely.coverage_union_all(cells[mine])))
            if not piece.is_empty:
                rows.append((unit.unit, unit.unit_name, lad, piece, True))
                taken.append(piece)
        rest = polygonal(shapely.difference(geom, shapely.union_all(taken)))
        rows.append((unit.unit, unit.unit_name, majority.loc[i], rest, True))
    pieces = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["unit", "unit_name", "lad", "geometry", "cells"]),
        geometry="geometry",
        crs=units.crs,
    )
    pieces = pieces[~pieces.geometry.is_empty].explode(index_parts=False)
    pieces = pieces[pieces.geometry.area > 0].reset_index(drop=True)
    # Splitting adds vertices on a small area's edge that its neighbour lacks: node them again.
    pieces["geometry"] = shapely.coverage_clean(pieces.geometry.values)
    report = {"units": len(units), "split": len(split_units), "without_postcodes": len(empty)}
    return pieces, report
