"""The naive atlas the benchmark compares against: what a first version would do.

One ``folium.GeoJson`` of the full-detail boundaries with every holding as a property, rebuilt
on every rerun, recoloured through ``style_function``, with st_folium's default return values.
Not part of the app; run only by ``python -m benchmarks``.
"""

from __future__ import annotations

import json

import folium
import streamlit as st
from streamlit_folium import st_folium

from dashboard import atlas, boundaries, holdings, lads, paths

baseline = holdings.load()
areas = lads.lad_table()
frame = boundaries.load(paths.FULL_BOUNDARIES)
view = atlas.View("service", st.session_state.get("service", "police"))
colours = atlas.area_colours(baseline, areas, view).set_index("code")
wide = holdings.current(baseline).pivot(index="area_code", columns="service_id", values="holder")
shapes = frame.merge(wide, left_on="code", right_index=True)
fmap = folium.Map(location=(54.6, -3.4), zoom_start=6)
folium.GeoJson(
    json.loads(shapes.to_json()),
    style_function=lambda f: {"fillColor": colours.at[f["properties"]["code"], "colour"]},
    tooltip=folium.GeoJsonTooltip(fields=["name", "code", view.id]),
).add_to(fmap)
value = st_folium(fmap, key="naive")
code = st.session_state.get("clicked")
if code:
    st.subheader(str(areas.set_index("code").at[code, "name"]))
    st.table([(h.service, h.holder, h.since, h.source) for h in holdings.for_area(baseline, code)])
