"""Folium layers for the UK map, and parsing of what ``st_folium`` returns.

Every string that reaches the map is escaped here: folium writes tooltip values with innerHTML
and some of its templates are JavaScript template literals (see FINDINGS.md).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import folium
import geopandas as gpd

LEAFLET_JS = "/app/static/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.css"
UK_CENTER = (54.6, -3.4)
UK_ZOOM = 6
SEA = "#dfe9f2"
COUNTRY_COLOURS = {
    "England": "#4e79a7",
    "Wales": "#59a14f",
    "Scotland": "#b07aa1",
    "Northern Ireland": "#f28e2b",
}
#: Streamlit's named markdown colours nearest to COUNTRY_COLOURS, for the legend.
COUNTRY_LEGEND = {
    "England": "blue",
    "Wales": "green",
    "Scotland": "violet",
    "Northern Ireland": "orange",
}
UNKNOWN_COLOUR = "#bab0ac"


def escape_text(value: object) -> str:
    """HTML-escape, and neutralise the characters that break out of JS template literals."""
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def display_geojson(frame: gpd.GeoDataFrame) -> dict:
    """A GeoJSON dict for the map: code, escaped name and country, colour; nothing else."""
    slim = gpd.GeoDataFrame(
        {
            "code": frame["code"].map(escape_text),
            "name": frame["name"].map(escape_text),
            "country": frame["country"].map(escape_text),
            "colour": frame["country"].map(COUNTRY_COLOURS).fillna(UNKNOWN_COLOUR),
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    return json.loads(slim.to_json(drop_id=True))


def base_map(geojson: dict) -> folium.Map:
    """The static whole-UK map: one layer of LADs, tooltips of name and code, no web tiles."""
    fmap = folium.Map(
        location=UK_CENTER,
        zoom_start=UK_ZOOM,
        tiles=None,
        min_zoom=4,
        max_zoom=13,
        prefer_canvas=False,
        control_scale=True,
    )
    # Serve Leaflet ourselves: no CDN, so the map renders offline and on locked-down networks.
    fmap.default_js = [("leaflet", LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    fmap.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container{{background:{SEA}}}</style>")
    )
    folium.GeoJson(
        geojson,
        name="Local authority districts",
        style_function=_style,
        highlight_function=lambda _f: {"weight": 2.5, "color": "#222", "fillOpacity": 0.8},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "code"], aliases=["Area", "Code"], sticky=True, localize=False
        ),
        smooth_factor=0.5,
    ).add_to(fmap)
    return fmap


def _style(feature: dict) -> dict:
    return {
        "fillColor": feature["properties"]["colour"],
        "color": "#ffffff",
        "weight": 0.6,
        "fillOpacity": 0.65,
    }


def highlight_layer(frame: gpd.GeoDataFrame, code: str | None) -> folium.FeatureGroup:
    """The changing layer: an outline of the selected area (empty when none)."""
    group = folium.FeatureGroup(name="Selected area")
    if code is not None:
        chosen = frame[frame["code"] == code]
        if not chosen.empty:
            folium.GeoJson(
                json.loads(chosen[["geometry"]].to_json(drop_id=True)),
                style_function=lambda _f: {
                    "fill": False,
                    "color": "#d62728",
                    "weight": 3.5,
                    "opacity": 1.0,
                },
                interactive=False,
            ).add_to(group)
    return group


def view_of(frame: gpd.GeoDataFrame, code: str | None) -> tuple[tuple[float, float], int]:
    """Centre and zoom that frame one area (or the UK when none)."""
    chosen = frame[frame["code"] == code] if code else frame.iloc[0:0]
    if chosen.empty:
        return UK_CENTER, UK_ZOOM
    minx, miny, maxx, maxy = chosen.total_bounds
    span = max(maxx - minx, (maxy - miny) * 1.6, 1e-3)
    zoom = int(max(6, min(12, math.floor(math.log2(360 / span)) - 1)))
    return ((miny + maxy) / 2, (minx + maxx) / 2), zoom


@dataclass(frozen=True)
class MapClick:
    code: str


def parse_click(value: dict | None) -> MapClick | None:
    """The area a map click chose, from st_folium's return value, or None."""
    if not value:
        return None
    drawing = value.get("last_active_drawing") or {}
    props = drawing.get("properties") if isinstance(drawing, dict) else None
    code = props.get("code") if isinstance(props, dict) else None
    if isinstance(code, str) and code:
        return MapClick(code=html.unescape(code))
    return None
