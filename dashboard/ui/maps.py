"""Folium layers for the UK map, and parsing of what ``st_folium`` returns.

Every string that reaches the map is escaped here: folium writes tooltip values with innerHTML
and some of its templates are JavaScript template literals (see FINDINGS.md).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from typing import ClassVar

import folium
import geopandas as gpd
import topojson
from folium.template import Template

LEAFLET_JS = "/app/static/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.css"
TOPOJSON_JS = "/app/static/vendor/topojson-client/topojson-client.min.js"
TOPOLOGY_OBJECT = "areas"
DRAW_JS = "/app/static/vendor/leaflet-draw/leaflet.draw.js"
DRAW_CSS = "/app/static/vendor/leaflet-draw/leaflet.draw.css"
#: The UK from Scilly (49.85° N) to Shetland (60.9° N); its centre and zoom are derived below.
UK_SOUTH, UK_NORTH = 49.85, 60.9
SEA = "#dfe9f2"


def escape_text(value: object) -> str:
    """HTML-escape, and neutralise the characters that break out of JS template literals."""
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def display_topology(frame: gpd.GeoDataFrame) -> dict:
    """The map's areas as TopoJSON (shared borders stored once, coordinates quantised to about
    a metre): escaped code and name, and an empty holder that :func:`recolour_layer` fills in."""
    slim = gpd.GeoDataFrame(
        {
            "code": frame["code"].map(escape_text),
            "name": frame["name"].map(escape_text),
            "holder": "",
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    ).to_crs(4326)
    return topojson.Topology(slim, object_name=TOPOLOGY_OBJECT, prequantize=1_000_000).to_dict()


BASE_FILL = "#d9d9d9"
#: The base layer's JavaScript name, kept on ``window`` so changing layers can restyle it.
BASE_HANDLE = "centrifugeBase"


def base_map(topology: dict, label: str = "Held by") -> folium.Map:
    """The static whole-UK map: one layer of LADs with tooltips of name, code and holder, and no
    web tiles. It never changes between reruns: colours arrive through :func:`recolour_layer`."""
    fmap = folium.Map(
        location=UK_CENTER,
        zoom_start=UK_ZOOM,
        zoom_snap=0.25,
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
    layer = _Areas(
        topology,
        f"objects.{TOPOLOGY_OBJECT}",
        name="Local authority districts",
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "code", "holder"],
            aliases=["Area", "Code", label],
            sticky=True,
            localize=False,
        ),
        smooth_factor=0.5,
    )
    layer.add_child(_Handle())
    layer.add_to(fmap)
    return fmap


class _Areas(folium.TopoJson):
    """The areas as one TopoJSON layer, drawn with our own Leaflet plug-in copy and one style
    (folium's version adds a style to every feature and loads topojson from a CDN)."""

    default_js: ClassVar = [("topojson", TOPOJSON_JS)]
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }}_data = {{ this.data|tojson }};"
        "var {{ this.get_name() }} = L.geoJson("
        "  topojson.feature({{ this.get_name() }}_data,"
        "                   {{ this.get_name() }}_data{{ this._safe_object_path }}),"
        "  {smoothFactor: {{ this.smooth_factor|tojson }},"
        "   style: function () { return {{ this.plain|tojson }}; }}"
        ").addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plain = _plain_style({})

    def style_data(self) -> None:
        """One style for every area, set in the template; nothing per feature."""


class _Handle(folium.MacroElement):
    """Publishes the base layer as ``window.centrifugeBase`` for :func:`recolour_layer`, and
    outlines an area while the pointer is over it."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "window.centrifugeBase = {{ this._parent.get_name() }};"
        "{{ this._parent.get_name() }}.on('mouseover', function (e) {"
        "  e.layer.setStyle({weight: 2.5, color: '#222222'}); });"
        "{{ this._parent.get_name() }}.on('mouseout', function (e) {"
        "  {{ this._parent.get_name() }}.resetStyle(e.layer); });"
        "{% endmacro %}"
    )


class _Recolour(folium.MacroElement):
    """Restyles the base layer: a fill colour and a tooltip holder per area code.

    ``payload`` is JSON of ``{code: [colour, holder]}`` whose strings are already HTML-escaped;
    json.dumps escapes quotes and backslashes, and ``</`` cannot occur after HTML escaping.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        "  var paint = {{ this.payload }};"
        "  var base = window.centrifugeBase;"
        "  if (!base) { return; }"
        "  var style = function (feature) {"
        "    var hit = paint[feature.properties.code];"
        "    return {fillColor: hit ? hit[0] : '{{ this.fallback }}', color: '#ffffff',"
        "            weight: 0.6, fillOpacity: 0.75};"
        "  };"
        "  base.options.style = style;"
        "  base.eachLayer(function (layer) {"
        "    var hit = paint[layer.feature.properties.code];"
        "    layer.feature.properties.holder = hit ? hit[1] : '';"
        "    layer.setStyle(style(layer.feature));"
        "  });"
        "})();"
        "{% endmacro %}"
    )

    def __init__(self, payload: dict[str, list[str]], fallback: str):
        super().__init__()
        self._name = "Recolour"
        self.payload = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
        self.fallback = fallback


def recolour_layer(view_frame, name: str = "Colours") -> folium.FeatureGroup:
    """The changing layer that colours the static base map: a few kilobytes of colours and
    labels (columns code, colour, label of ``view_frame``), never geometry."""
    payload = {
        escape_text(code): [colour, escape_text(label)]
        for code, colour, label in zip(
            view_frame["code"], view_frame["colour"], view_frame["label"], strict=True
        )
    }
    group = folium.FeatureGroup(name=name, control=False)
    group.add_child(_Recolour(payload, BASE_FILL))
    return group


def outline_layer(outlines: gpd.GeoDataFrame, name: str) -> folium.FeatureGroup:
    """Outlines of a larger geography (police force areas, nations…), not clickable."""
    group = folium.FeatureGroup(name=name, control=False)
    if not outlines.empty:
        shapes = outlines[["geometry"]].copy()
        shapes["geometry"] = shapes.geometry.boundary
        folium.GeoJson(
            json.loads(shapes.to_json(drop_id=True)),
            style_function=lambda _f: {"color": "#1b1b1b", "weight": 1.6, "opacity": 0.9},
            interactive=False,
        ).add_to(group)
    return group


def _plain_style(_feature: dict) -> dict:
    return {"fillColor": BASE_FILL, "color": "#ffffff", "weight": 0.6, "fillOpacity": 0.75}


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
                    "color": "#111111",
                    "weight": 3.5,
                    "opacity": 1.0,
                },
                interactive=False,
            ).add_to(group)
    return group


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator_middle(south: float, north: float) -> float:
    """The latitude half-way between two others on a Mercator map."""
    return math.degrees(math.atan(math.sinh((_mercator_y(south) + _mercator_y(north)) / 2)))


def zoom_to_fit(south: float, north: float, west: float, east: float, height: int) -> float:
    """The largest zoom, in quarter steps, at which a box fits a map ``height`` pixels high
    and at least 600 wide (Web Mercator: 256 × 2^zoom pixels around the world)."""
    tall = height * 2 * math.pi / (256 * max(_mercator_y(north) - _mercator_y(south), 1e-6))
    wide = 600 * 360 / (256 * max(east - west, 1e-6))
    return math.floor(math.log2(min(tall, wide)) * 4) / 4


def uk_zoom(height: int) -> float:
    """The zoom at which the whole UK, Scilly to Shetland, fits a map ``height`` pixels high."""
    return zoom_to_fit(UK_SOUTH, UK_NORTH, -8.2, 1.8, height)


UK_CENTER = (_mercator_middle(UK_SOUTH, UK_NORTH), -3.4)
UK_ZOOM = uk_zoom(620)  # the atlas map's height


def whole_uk(height: int) -> dict:
    """``st_folium`` arguments for a map ``height`` pixels high that opens on the whole UK."""
    return {"height": height, "center": UK_CENTER, "zoom": uk_zoom(height)}


def view_of(
    frame: gpd.GeoDataFrame, code: str | None, height: int = 620
) -> tuple[tuple[float, float], float]:
    """Centre and zoom that show one area with its neighbours around it (or the whole UK when
    none)."""
    return fit(frame[frame["code"] == code] if code else frame.iloc[0:0], height, margin=0.6)


def fit(
    chosen: gpd.GeoDataFrame, height: int = 620, margin: float = 0.1
) -> tuple[tuple[float, float], float]:
    """Centre and zoom that frame some areas, with ``margin`` of their extent on each side (or
    the whole UK when there are none)."""
    if chosen.empty:
        return UK_CENTER, uk_zoom(height)
    minx, miny, maxx, maxy = chosen.total_bounds
    # Never wider than the UK, nor closer than zoom 11.
    pad_x, pad_y = (maxx - minx) * margin, (maxy - miny) * margin
    zoom = zoom_to_fit(miny - pad_y, maxy + pad_y, minx - pad_x, maxx + pad_x, height)
    return (_mercator_middle(miny, maxy), (minx + maxx) / 2), max(uk_zoom(height), min(11.0, zoom))


def add_draw_control(fmap: folium.Map) -> folium.Map:
    """Rectangle and polygon drawing (Leaflet.draw served by the app, no CDN)."""
    from folium.plugins import Draw

    draw = Draw(
        export=False,
        draw_options={
            "polyline": False,
            "circle": False,
            "marker": False,
            "circlemarker": False,
            "polygon": True,
            "rectangle": True,
        },
        edit_options={"edit": False, "remove": False},
    )
    draw.default_js = [("leaflet_draw_js", DRAW_JS)]
    draw.default_css = [("leaflet_draw_css", DRAW_CSS)]
    draw.add_to(fmap)
    return fmap


def parse_drawing(value: dict | None):
    """The polygon the user last drew (a shapely shape in EPSG:4326), or None."""
    from shapely.geometry import shape

    if not value:
        return None
    drawing = value.get("last_active_drawing") or {}
    if not isinstance(drawing, dict):
        return None
    props = drawing.get("properties") or {}
    geometry = drawing.get("geometry") or {}
    if (isinstance(props, dict) and props.get("code")) or geometry.get("type") != "Polygon":
        return None
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError):
        return None
    coords = len(geometry.get("coordinates", [[]])[0])
    if polygon.is_empty or coords > 5000:
        return None
    return polygon if polygon.is_valid else polygon.buffer(0)


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
