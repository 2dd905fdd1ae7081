"""The naive atlas the benchmarks compare against: what a first version would do.

One ``folium.GeoJson`` of the full-detail boundaries with every holding as a property, rebuilt
on every rerun, recoloured through ``style_function``, with st_folium's default return values;
a search box (``dashboard.lookup``), a service picker, the area card, and CSV and GeoJSON
downloads built on every rerun. Nothing is cached. Not part of the app: ``python -m benchmarks``
runs it through AppTest, and in Chromium served as the app is, with the app's ``static/`` beside
it for Leaflet (benchmarks/browser.py). ``streamlit run benchmarks/naive_atlas.py`` from the
repository root works too; Leaflet then comes from folium's CDN.
"""

from __future__ import annotations

import json
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from dashboard import atlas, boundaries, holdings, lads, lookup, paths, postcodes

LEAFLET = "/app/static/vendor/leaflet/leaflet"

baseline = holdings.load()
areas = lads.lad_table()
frame = boundaries.load(paths.FULL_BOUNDARIES)
names = dict(zip(baseline.services["id"], baseline.services["name"], strict=True))
service = st.selectbox(
    "Which", list(names), index=list(names).index("police"), format_func=names.get
)
view = atlas.View("service", service)
with st.form("search", border=False):
    query = st.text_input("Find an area")
    if st.form_submit_button("Search") and query.strip():
        try:
            st.session_state["clicked"] = lookup.resolve(query, areas).code
        except (postcodes.PostcodeError, lookup.QueryError) as exc:
            st.error(str(exc))

colours = atlas.area_colours(baseline, areas, view, atlas.adjacency(frame)).set_index("code")
wide = holdings.current(baseline).pivot(index="area_code", columns="service_id", values="holder")
shapes = frame.merge(wide, left_on="code", right_index=True)
fmap = folium.Map(location=(54.6, -3.4), zoom_start=6, tiles=None)
if (Path(__file__).parent / "static" / "vendor" / "leaflet").is_dir():
    fmap.default_js = [("leaflet", f"{LEAFLET}.js")]
    fmap.default_css = [("leaflet_css", f"{LEAFLET}.css")]
folium.GeoJson(
    json.loads(shapes.to_json()),
    style_function=lambda f: {
        "fillColor": colours.at[f["properties"]["code"], "colour"],
        "fillOpacity": 0.75,
        "color": "#ffffff",
        "weight": 0.6,
    },
    tooltip=folium.GeoJsonTooltip(fields=["name", "code", view.id]),
).add_to(fmap)
value = st_folium(fmap, key="naive")
drawing = (value or {}).get("last_active_drawing") or {}
clicked = (drawing.get("properties") or {}).get("code")
if clicked and clicked != st.session_state.get("last_click"):
    st.session_state["last_click"] = st.session_state["clicked"] = clicked

code = st.session_state.get("clicked")
if code:
    st.subheader(f"Who runs what in {areas.set_index('code').at[code, 'name']}")
    st.table([(h.service, h.holder, h.since, h.source) for h in holdings.for_area(baseline, code)])
table = atlas.export_table(baseline, areas, view)
st.download_button("Download CSV", atlas.to_csv(table), "naive.csv", "text/csv")
geojson = atlas.to_geojson(frame, baseline, areas, view).encode()
st.download_button("Download GeoJSON", geojson, "naive.geojson", "application/geo+json")
