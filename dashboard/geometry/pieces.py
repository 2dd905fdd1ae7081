"""Label the pieces of the LAD 2025 tiling with their area in every vintage, and union them.

A piece (a single polygon: an LSOA, part of one, or part of a district drawn from postcode
cells) belongs to one LAD 2025 area. Its area in an older vintage is the same code where that
code exists then; otherwise one of the older areas the code was made from, chosen by

1. the district named by the LSOA 2011 name ("Harrogate 012C"; LSOAs nest exactly in the 2011
   districts, followed through later renamings, e.g. Taunton Deane to Somerset West and Taunton);
2. else the LAD most of the piece's postcodes had in the ONS Postcode Directory of 2021;
3. else the neighbouring piece it shares most border with (repeated until all are labelled).

Its area in a later vintage is its successor (LAD 2027's East and West Surrey). Every area of
every vintage is then a union of whole pieces, so a merged area is exactly the union of its
parts and an unchanged area is drawn alike in every vintage.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard import vintages

_LSOA_NUMBER = re.compile(r"\s+\d{3}[A-Z]$")


def district_of_lsoa_name(name: str) -> str:
    """ "Harrogate 012C" → "Harrogate"."""
    return _LSOA_NUMBER.sub("", name or "")


def _code_by_name() -> dict[str, list[str]]:
    frame = vintages.all_areas()
    out: dict[str, list[str]] = {}
    for code, name in zip(frame["code"], frame["name"], strict=True):
        out.setdefault(name, []).append(code)
    return out


def _within(code: str, allowed: set[str]) -> str | None:
    """``code`` or the first of its successors (at any depth) that is in ``allowed``."""
    frame = vintages.all_areas().set_index("code")
    todo, seen = [code], set()
    while todo:
        current = todo.pop(0)
        if current in allowed:
            return current
        if current in seen or current not in frame.index:
            continue
        seen.add(current)
        todo.extend(frame.loc[current, "successors"].split())
    return None


def label(pieces: gpd.GeoDataFrame, postcodes_2021: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """One column per vintage (named as the vintage) with each piece's area code.

    ``pieces``: columns lad (LAD 2025 code), unit_name (LSOA 2011 name, or ""), geometry
    (metric CRS); ``postcodes_2021``: points with column lad21, in the same CRS.
    """
    names = [v.name for v in vintages.VINTAGES]
    now = names.index("LAD 2025")
    out = pd.DataFrame(index=pieces.index)
    out["LAD 2025"] = pieces["lad"].to_numpy()
    by_name = _code_by_name()
    districts = pieces["unit_name"].fillna("").map(district_of_lsoa_name)
    votes = None
    if postcodes_2021 is not None and len(postcodes_2021):
        hits = gpd.sjoin(postcodes_2021, pieces[["geometry"]], predicate="within")
        votes = hits.groupby(["index_right", "lad21"]).size().rename("n").reset_index()
        votes = votes.sort_values(["index_right", "n", "lad21"], ascending=[True, False, True])
    for later, name in zip(names[now:], names[now + 1 :], strict=False):
        allowed = set(vintages.areas_of(name)["code"])
        out[name] = [_within(c, allowed) for c in out[later]]
    for newer, name in zip(names[now::-1], names[now - 1 :: -1], strict=False):
        allowed = set(vintages.areas_of(name)["code"])
        codes = out[newer].to_numpy(dtype=object).copy()
        result = np.array([c if c in allowed else None for c in codes], dtype=object)
        todo = np.flatnonzero(pd.isna(result))
        candidates = {c: set(_ancestors(c, allowed)) for c in set(codes[todo])}
        for i in todo:
            options = candidates[codes[i]]
            for code in by_name.get(districts.iat[i], []):
                hit = _within(code, options)
                if hit:
                    result[i] = hit
                    break
            if result[i] is None and votes is not None:
                mine = votes[
                    (votes["index_right"] == pieces.index[i]) & votes["lad21"].isin(options)
                ]
                if len(mine):
                    result[i] = mine["lad21"].iat[0]
        _by_neighbours(pieces, codes, result, candidates)
        out[name] = result
    return out


def _ancestors(code: str, allowed: set[str]) -> list[str]:
    found, todo = [], [code]
    while todo:
        current = todo.pop(0)
        for before in vintages.predecessors(current):
            (found if before in allowed else todo).append(before)
    return sorted(set(found))


def _by_neighbours(pieces, newer: np.ndarray, result: np.ndarray, candidates) -> None:
    """Label what is left by the labelled neighbour (same newer area) with most shared border."""
    geoms = pieces.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    while True:
        todo = [i for i in range(len(result)) if result[i] is None]
        if not todo:
            return
        moved = 0
        for i in todo:
            best, best_len = None, 0.0
            for j in sorted(tree.query(geoms[i], predicate="intersects")):
                if (
                    result[j] is None
                    or newer[j] != newer[i]
                    or result[j] not in candidates[newer[i]]
                ):
                    continue
                length = shapely.length(shapely.intersection(geoms[i].boundary, geoms[j]))
                if length > best_len:
                    best, best_len = result[j], length
            if best is not None:
                result[i] = best
                moved += 1
        if moved == 0:
            for i in todo:  # isolated, unlabelled: the lowest candidate code
                result[i] = sorted(candidates[newer[i]])[0]
            return
