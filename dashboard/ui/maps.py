"""The area map: a Streamlit component of our own (``areamap/frontend``) around Leaflet.

Why not folium: a folium map is one HTML document, so every rerun resent the whole map with its
geometry (about 0.6 MB a click, FINDINGS.md). Here the geometry is published once as a static,
content-addressed TopoJSON file that the map's own script fetches and the browser caches, and a
rerun sends only what changed: a palette, one small integer per area, the selected area, a focus
request and outline file names (a few kilobytes).

Every string reaches the browser as JSON data and is shown there with ``textContent``, never as
HTML, so names need no escaping here.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
import topojson

from dashboard import paths

FRONTEND = Path(__file__).resolve().parent / "areamap" / "frontend"
_component = components.declare_component("areamap", path=str(FRONTEND))

#: Published files live here and are served by Streamlit's static serving at /app/static/.
GENERATED = paths.STATIC_DIR / "generated"
#: Paths as the map's iframe (at /component/<name>/index.html) sees them.
_FROM_FRAME = "../../app/static/"
DRAW = _FROM_FRAME + "vendor/leaflet-draw/"
TOPOLOGY_OBJECT = "areas"
BASE_FILL = "#d9d9d9"
#: A fixed, old modification time for content-addressed files: the name changes whenever the
#: content does, so browsers may keep them (heuristic freshness is a tenth of their age).
_PUBLISHED_MTIME = 946_684_800  # 2000-01-01


def topology(frame: gpd.GeoDataFrame) -> dict:
    """The areas as TopoJSON (shared borders stored once, coordinates quantised to about a
    metre), with each area's code and name, in the frame's order."""
    slim = gpd.GeoDataFrame(
        {"code": frame["code"].astype(str), "name": frame["name"].astype(str)},
        geometry=frame.geometry.values,
        crs=frame.crs,
    ).to_crs(4326)
    return topojson.Topology(slim, object_name=TOPOLOGY_OBJECT, prequantize=1_000_000).to_dict()


def publish(stem: str, payload: dict, folder: Path | None = None) -> str:
    """Write ``payload`` as ``<stem>-<hash>.json`` under the static folder (once: the name is
    its content's hash) and return its URL as the map's frame sees it."""
    folder = GENERATED if folder is None else folder
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    name = f"{stem}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
    target = folder / name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)  # readable by a web server in front of the app
        os.utime(temporary, (_PUBLISHED_MTIME, _PUBLISHED_MTIME))
        os.replace(temporary, target)  # atomic: another process never sees half a file
    return _FROM_FRAME + f"generated/{name}"


def outline_topology(outlines: gpd.GeoDataFrame) -> dict:
    """Outlines of a larger geography (police force areas, nations…) as TopoJSON lines."""
    lines = gpd.GeoDataFrame(geometry=outlines.geometry.boundary, crs=outlines.crs).to_crs(4326)
    return topojson.Topology(lines, object_name="outlines", prequantize=1_000_000).to_dict()


def paint(codes: pd.Series, view_frame: pd.DataFrame, fallback: str = BASE_FILL) -> dict:
    """Colours for the map: a palette of ``[colour, label]`` pairs and, for each area in
    ``codes`` order (the topology's), the index of its pair (-1 for none). ``view_frame`` has
    columns code, colour and label. The id lets the browser skip a repaint it already has."""
    pairs = view_frame[["colour", "label"]].astype(str).apply(tuple, axis=1)
    keys = list(dict.fromkeys(pairs))
    index = {pair: i for i, pair in enumerate(keys)}
    of_code = dict(zip(view_frame["code"], pairs.map(index), strict=True))
    of = [int(of_code.get(code, -1)) for code in codes]
    body = {"keys": [list(k) for k in keys], "of": of, "fallback": fallback}
    digest = hashlib.sha256(json.dumps(body, separators=(",", ":")).encode()).hexdigest()[:16]
    return {"id": digest, **body}


@dataclass(frozen=True)
class MapEvent:
    """What the user did on the map: clicked an area (``code``) or drew a shape (``shape``)."""

    kind: str
    code: str | None = None
    shape: object | None = None


def focus(
    codes: list[str] | tuple[str, ...], margin: float = 0.1, token: str | None = None
) -> dict:
    """Ask the map to frame these areas (the whole UK when empty), once: the map moves only
    when the token changes (a new one by default), so a rerun that repeats the request does
    not move a map the user has panned."""
    return {"token": token or uuid.uuid4().hex, "codes": list(codes), "margin": margin}


def area_map(
    geometry: str,
    colours: dict,
    *,
    key: str,
    height: int,
    label: str = "Held by",
    selected: str | None = None,
    focus_on: dict | None = None,
    outlines: list[dict] | None = None,
    draw: bool = False,
) -> None:
    """Draw the map. Read what the user did on it with :func:`event`, before drawing it, so
    that the map drawn in the same run already shows the result."""
    _component(
        geometry=geometry,
        paint=colours,
        key=key,
        height=height,
        label=label,
        selected=selected,
        focus=focus_on,
        outlines=outlines or [],
        draw=DRAW if draw else None,
        default=None,
    )


def event(key: str) -> MapEvent | None:
    """The user's newest action on the map ``key``, once (None if there is none or it was
    already returned)."""
    value = st.session_state.get(key)
    if not isinstance(value, dict) or not value.get("nonce"):
        return None
    seen = st.session_state.setdefault("_map_events_seen", {})
    if seen.get(key) == value["nonce"]:
        return None
    seen[key] = value["nonce"]
    return parse_event(value)


def parse_event(value: dict) -> MapEvent | None:
    """A click or a drawing from the map's value; anything malformed is ignored."""
    if value.get("event") == "click" and isinstance(value.get("code"), str) and value["code"]:
        return MapEvent("click", code=value["code"][:12])
    if value.get("event") == "draw":
        shape = parse_drawing(value.get("geometry"))
        return None if shape is None else MapEvent("draw", shape=shape)
    return None


def parse_drawing(geometry: dict | None):
    """The polygon a user drew (a shapely shape in EPSG:4326), or None if it is not one."""
    from shapely.geometry import shape

    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        return None
    rings = geometry.get("coordinates")
    if not isinstance(rings, list) or not rings or len(rings[0]) > 5000:
        return None
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError):
        return None
    if polygon.is_empty:
        return None
    return polygon if polygon.is_valid else polygon.buffer(0)
