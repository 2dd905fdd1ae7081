"""Intersection over union of our LAD 2025 boundaries against two references, per nation.

References (read here only, never copied into the project; see ../shared/reference/README.md):
- lad_boundaries.geojson: 344 LADs (LAD 2013 and NI LGD 2015 codes still in use), fine detail,
  from martinjc/UK-GeoJSON (CC BY 4.0; contains OS and ONS data © Crown copyright);
- lad_2024_buc.geojson: ONS Local Authority Districts (May 2024) Boundaries UK BUC, all 361
  LADs, ultra generalised (Open Government Licence v3.0), Barnsley and Sheffield under their
  2024 codes (compared with E08000038/E08000039).
Targets (issue 16): mean IoU at least 0.96 for England and Wales against the fine reference;
area-weighted IoU at least 0.95 for the whole UK against the 2024 one.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from dashboard import boundaries, landmask, paths
from tests.conftest import ROOT

FINE = ROOT.parent / "shared" / "reference" / "lad_boundaries.geojson"
BUC = ROOT.parent / "shared" / "reference" / "lad_2024_buc.geojson"
RECODED = {"E08000016": "E08000038", "E08000019": "E08000039"}
NATION = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


def _reference(path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path)
    if "code" not in frame.columns:
        frame = frame.rename(columns={"LAD24CD": "code"})
    frame["code"] = frame["code"].replace(RECODED)
    frame["geometry"] = frame.make_valid()
    return frame[["code", "geometry"]]


def scores(ours: gpd.GeoDataFrame, ref: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per LAD in both: nation, intersection and union areas (m²), IoU."""
    rows = []
    for ni, crs in ((False, landmask.GB_CRS), (True, landmask.NI_CRS)):
        mine = ours[ours["code"].str.startswith("N") == ni].to_crs(crs).set_index("code").geometry
        theirs = ref[ref["code"].isin(mine.index)].to_crs(crs)
        for code, geom in zip(theirs["code"], theirs.geometry, strict=True):
            inter = shapely.intersection(geom, mine[code]).area
            union = shapely.union(geom, mine[code]).area
            rows.append((NATION[code[0]], code, inter, union))
    frame = pd.DataFrame(rows, columns=["nation", "code", "inter", "union"])
    return frame.assign(iou=frame["inter"] / frame["union"])


def report(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    table = frame.groupby("nation").agg(
        lads=("iou", "size"), mean=("iou", "mean"), inter=("inter", "sum"), union=("union", "sum")
    )
    table["area_weighted"] = table["inter"] / table["union"]
    print(f"\nIoU against {label}:\n{table[['lads', 'mean', 'area_weighted']].round(4)}")
    return table


@pytest.fixture(scope="module")
def ours() -> gpd.GeoDataFrame:
    return boundaries.load(paths.FULL_BOUNDARIES)


@pytest.mark.skipif(not FINE.exists(), reason=f"no reference file at {FINE}")
def test_england_and_wales_mean_iou_against_the_fine_reference_is_at_least_096(ours):
    frame = scores(ours, _reference(FINE))
    report(frame, FINE.name)
    ew = frame[frame["nation"].isin(["England", "Wales"])]
    print(f"England and Wales: mean {ew['iou'].mean():.4f} over {len(ew)} LADs")
    assert ew["iou"].mean() >= 0.96
    assert frame["iou"].mean() >= 0.95


@pytest.mark.skipif(not BUC.exists(), reason=f"no reference file at {BUC}")
def test_uk_area_weighted_iou_against_the_ons_2024_reference_is_at_least_095(ours):
    frame = scores(ours, _reference(BUC))
    table = report(frame, BUC.name)
    assert len(frame) == 361
    weighted = frame["inter"].sum() / frame["union"].sum()
    print(f"UK: area-weighted {weighted:.4f}, mean {frame['iou'].mean():.4f}")
    assert weighted >= 0.95
    assert (table["area_weighted"] >= 0.93).all()
