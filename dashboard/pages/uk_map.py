"""The whole-UK map: every local authority district, and a search that zooms to one."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard import boundaries, franchises, holdings, lookup, postcodes
from dashboard.ui import cache, cards, maps, state
from dashboard.ui.text import md

state.init()
st.title("Local authorities of the UK")
st.caption(
    "Every local authority district in England, Wales, Scotland and Northern Ireland. "
    "Search a postcode, a GSS code or a name, or click an area."
)

try:
    frame = cache.display_frame()
    geojson = cache.display_geojson()
    table = cache.area_table()
except boundaries.BoundaryFileError as exc:
    st.error(f"The boundaries could not be loaded: {exc}")
    st.stop()

with st.form("search", border=False, enter_to_submit=True):
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    query = left.text_input(
        "Find an area", key=state.SEARCH_TEXT, placeholder="SW1A 1AA, E09000033 or Westminster"
    )
    submitted = right.form_submit_button("Search", use_container_width=True)

if submitted and query.strip():
    try:
        match = lookup.resolve(query, table)
    except (postcodes.PostcodeError, lookup.QueryError) as exc:
        message = str(exc)
        st.error(message[:1].upper() + message[1:])
    else:
        state.select_area(match.code)
        if match.postcode:
            st.success(f"{md(match.postcode)} is in {md(match.name)} ({md(match.code)}).")

selected = st.session_state[state.SELECTED_AREA]
if selected is not None and selected not in set(table["code"]):
    st.warning(f"{md(selected)} is not an area in the boundaries in use; showing the whole UK.")
    state.select_area(None)
    selected = None

center, zoom = maps.view_of(frame, selected)
map_col, card_col = st.columns([3, 1])
with map_col:
    value = st_folium(
        maps.base_map(geojson),
        key=state.MAP_KEY,
        height=640,
        use_container_width=True,
        center=center,
        zoom=zoom,
        feature_group_to_add=maps.highlight_layer(frame, selected),
        returned_objects=["last_active_drawing"],
    )
click = maps.parse_click(value)
if click is not None and click.code != st.session_state[state.LAST_CLICK]:
    st.session_state[state.LAST_CLICK] = click.code
    if click.code != selected:
        state.select_area(click.code)
        st.rerun()

with card_col:
    if selected is None:
        st.subheader("United Kingdom")
        counts = table.groupby("country").size()
        for country, colour in maps.COUNTRY_LEGEND.items():
            st.markdown(f":{colour}[■] **{country}**: {int(counts.get(country, 0))} areas")
        st.caption(f"{len(table)} areas. Boundaries: {md(cache.boundaries_label())}.")
    else:
        row = table.set_index("code").loc[selected]
        st.subheader(md(row["name"]))
        st.markdown(f"**Code** {md(selected)}")
        st.markdown(f"**Country** {md(row['country'])}")
        if isinstance(row.get("region"), str) and row["region"]:
            st.markdown(f"**Region** {md(row['region'])}")
        if isinstance(row.get("upper_tier_name"), str) and row["upper_tier_name"]:
            st.markdown(f"**Upper-tier authority** {md(row['upper_tier_name'])}")
        st.caption(f"Boundaries: {md(cache.boundaries_label())}.")
        if st.button("Show the whole UK"):
            state.select_area(None)
            st.rerun()

if selected is not None:
    name = table.set_index("code").at[selected, "name"]
    st.subheader(f"Who runs what in {md(name)}")
    try:
        baseline = cache.baseline()
    except franchises.DataError as exc:
        st.error(
            f"The franchise data in {md(exc.directory)} has {len(exc.problems)} problem(s), so "
            "no holdings are shown. Fix them (`centrifuge validate` lists the same) and reload."
        )
        st.code("\n".join(str(p) for p in exc.problems[:50]), language=None)
    else:
        held = holdings.for_area(baseline, selected)
        if not held:
            st.info(f"No holdings are recorded for {md(selected)} in {md(cache.data_label())}.")
        st.table(cards.holders_frame(held).set_index("Service"))
        st.markdown("**Sources**")
        st.table(cards.sources_frame(held).set_index("Ref"))
        st.caption(
            f"Who is legally responsible today, with the source of each fact. Data: "
            f"{md(cache.data_label())}. 'Unknown' means we could not source the date."
        )
