"""Dissolving official small areas by their postcodes, on hand-placed squares."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from dashboard import boundaries
from dashboard.geometry import official


def _units() -> gpd.GeoDataFrame:
    # A 3 × 1 row of 100 m squares: A, B, C.
    squares = [shapely.box(100 * i, 0, 100 * (i + 1), 100) for i in range(3)]
    return gpd.GeoDataFrame(
        {"unit": ["A", "B", "C"], "unit_name": ["One 001A", "One 001B", "Two 001A"]},
        geometry=squares,
        crs="EPSG:27700",
    )


def _refs() -> pd.DataFrame:
    rows = [(10 + 5 * k, 50, "E1", 1) for k in range(12)]  # A: all E1
    rows += [(120 + 3 * k, 20 + k, "E1", 1) for k in range(12)]  # B: left half E1 …
    rows += [(180 + k, 60 + k, "E2", 1) for k in range(12)]  # … right half E2
    rows += [(250, 50, "E2", 1), (260, 40, "E1", 1), (270, 30, "E2", 1)]  # C: mostly E2
    return pd.DataFrame(rows, columns=["x", "y", "lad", "n"])


def _dissolve():
    refs = _refs()
    cells = official.voronoi_cells(refs, shapely.box(-1000, -1000, 1300, 1100))
    return official.dissolve_units(_units(), refs, cells)


def test_a_small_area_goes_whole_to_its_majority_and_a_straddler_is_split():
    pieces, report = _dissolve()
    assert report == {"units": 3, "split": 1, "without_postcodes": 0}
    lads = pieces.dissolve("lad").geometry
    assert (
        abs(
            lads["E1"].area
            - 100 * 100
            - lads["E1"].intersection(shapely.box(100, 0, 200, 100)).area
        )
        < 1
    )
    assert lads["E2"].contains(shapely.Point(250, 50))
    b = pieces[pieces["unit"] == "B"]
    assert set(b["lad"]) == {"E1", "E2"} and b["cells"].all()
    assert abs(b.geometry.area.sum() - 100 * 100) < 1e-6  # the split pieces tile the square


def test_the_pieces_tile_the_small_areas_without_overlap():
    pieces, _ = _dissolve()
    union = shapely.union_all(pieces.geometry.values)
    assert abs(union.area - 3 * 100 * 100) < 1e-6
    assert abs(pieces.geometry.area.sum() - union.area) < 1e-6


def test_the_same_inputs_give_the_same_bytes(tmp_path):
    out = []
    for run in range(2):
        pieces, _ = _dissolve()
        frame = (
            pieces.dissolve("lad")
            .reset_index()[["lad", "geometry"]]
            .rename(columns={"lad": "code"})
        )
        frame = frame.to_crs("EPSG:4326")
        path = tmp_path / f"run{run}.geojson"
        boundaries.write_geojson(frame, path, boundaries.FULL_DECIMALS)
        out.append(path.read_bytes())
    assert out[0] == out[1]
