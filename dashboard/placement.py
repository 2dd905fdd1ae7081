"""Which area of a vintage a postcode is in.

The ONS Postcode Directory of November 2025 (:func:`dashboard.postcodes.locate`) gives a
postcode's LAD 2025 area. For another vintage:

- where that area is an area of the vintage too, it is the answer;
- where it merged into a bigger area (LAD 2027's East and West Surrey), its successor;
- where it was made from several older areas (North Yorkshire from Harrogate, Selby…; Barnsley and
  Sheffield before their 2025 boundary change), the LAD the ONS Postcode Directory of 2021 gives
  the postcode (``data/boundaries/postcodes_lad2021.csv``, written by
  ``scripts/make_boundaries.py``), when that is an area of the vintage;
- otherwise (Buckinghamshire's and Northamptonshire's districts before 2020 and 2021, or a
  postcode too new for the 2021 directory) the area of the vintage whose polygon holds the
  postcode's grid reference, or the nearest one within :data:`NEAREST_M` metres, among the
  older areas that make up the postcode's LAD 2025 area.
"""

from __future__ import annotations

import csv
from functools import cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from dashboard import boundaries, paths, postcodes, vintages

LOOKUP_2021 = paths.BOUNDARIES_DIR / "postcodes_lad2021.csv"
#: How far (in metres) a postcode may lie outside every polygon and still be placed in the nearest.
NEAREST_M = 500.0


class PlacementError(postcodes.PostcodeError):
    """A valid, known postcode that cannot be placed in an area of the vintage asked for."""


@cache
def _lookup_2021() -> dict[str, str]:
    """Postcode (no space) → LAD 2021 code, from rows of sector, LAD 2021 code and the units
    (the last two letters of each postcode) of that sector in that LAD."""
    out: dict[str, str] = {}
    if not LOOKUP_2021.exists():
        return out
    with LOOKUP_2021.open(newline="") as handle:
        for row in csv.DictReader(handle):
            sector = row["sector"].replace(" ", "")
            for unit in row["units"].split():
                out[sector + unit] = row["lad21"]
    return out


@cache
def _codes(name: str) -> frozenset[str]:
    return frozenset(vintages.areas_of(name)["code"])


def _ancestors(code: str, name: str) -> list[str]:
    """The areas of vintage ``name`` that ``code`` was made from, at any depth."""
    codes = _codes(name)
    found: list[str] = []
    todo = [code]
    while todo:
        current = todo.pop(0)
        for before in vintages.predecessors(current):
            if before in codes:
                found.append(before)
            else:
                todo.append(before)
    return sorted(set(found))


@cache
def _to_grid(crs: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


@cache
def _polygons(name: str, candidates: tuple[str, ...]) -> gpd.GeoDataFrame:
    frame = boundaries.load_vintage(name)
    return frame[frame["code"].isin(candidates)][["code", "geometry"]].to_crs("EPSG:27700")


def _by_polygon(location: postcodes.Location, name: str, candidates: list[str]) -> str:
    if np.isnan(location.lat):
        raise PlacementError(
            f"{location.postcode} has no grid reference in the ONS Postcode Directory, so its "
            f"area in {name} is not known"
        )
    x, y = _to_grid("EPSG:27700").transform(location.lon, location.lat)
    point = shapely.Point(x, y)
    frame = _polygons(name, tuple(candidates))
    inside = frame[frame.geometry.contains(point)]
    if len(inside):
        return str(inside["code"].iloc[0])
    distance = frame.geometry.distance(point)
    if len(frame) and distance.min() <= NEAREST_M:
        return str(frame["code"].iloc[int(np.argmin(distance.to_numpy()))])
    raise PlacementError(
        f"{location.postcode} lies outside every area of {name} that made up {location.lad}"
    )


def area_on(postcode: str, vintage_name: str) -> str:
    """The code of the area of vintage ``vintage_name`` that ``postcode`` is in.

    Raises :class:`dashboard.postcodes.InvalidPostcode` or
    :class:`~dashboard.postcodes.UnknownPostcode` as :func:`dashboard.postcodes.locate` does,
    :class:`PlacementError` (also a ``PostcodeError``) if the postcode cannot be placed, and
    ``KeyError`` for an unknown vintage.
    """
    vintage = vintages.by_name(vintage_name)
    location = postcodes.locate(postcode)
    lad = location.lad
    codes = _codes(vintage.name)
    if lad in codes:
        return lad
    later = vintages.successors_on(lad, vintage.start)
    if len(later) == 1:
        return later[0]
    candidates = _ancestors(lad, vintage.name)
    if not candidates:
        raise PlacementError(
            f"{location.postcode}: area {lad} has no counterpart in {vintage.name}"
        )
    known = _lookup_2021().get(location.postcode.replace(" ", ""))
    if known in codes:
        return known
    if len(candidates) == 1:
        return candidates[0]
    return _by_polygon(location, vintage.name, candidates)
