"""The atlas: who runs a service, package or family in every area; search; the area card."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import atlas, holdings, lookup, population, postcodes, taxation
from dashboard.ui import cache, cards, maps, state
from dashboard.ui.text import md

state.init()
st.title("Who runs what")
st.caption(
    "Every local authority district in England, Wales, Scotland and Northern Ireland, coloured by "
    "who runs the service you pick. Search a postcode, a GSS code or a name, or click an area."
)

loaded = cache.load_or_stop()
table, baseline = loaded.table, loaded.baseline

options = atlas.choices(baseline)
KIND_LABELS = {"service": "A service", "package": "A package", "family": "A family of services"}
if st.session_state[state.VIEW_KIND] not in options:
    st.session_state[state.VIEW_KIND] = state.DEFAULT_VIEW[0]
if st.session_state[state.VIEW_ID] not in options[st.session_state[state.VIEW_KIND]]:
    st.warning(
        f"There is no {md(st.session_state[state.VIEW_KIND])} called "
        f"{md(st.session_state[state.VIEW_ID])} in the data; showing police instead."
    )
    st.session_state[state.VIEW_KIND], st.session_state[state.VIEW_ID] = state.DEFAULT_VIEW


def _kind_changed() -> None:
    """A new kind of view starts on its first choice (before the checks above run again)."""
    st.session_state[state.VIEW_ID] = next(iter(options[st.session_state[state.VIEW_KIND]]))


controls = st.columns([1.1, 1.8, 2.3, 1.6])
kind = controls[0].selectbox(
    "Show",
    list(KIND_LABELS),
    format_func=KIND_LABELS.get,
    key=state.VIEW_KIND,
    on_change=_kind_changed,
)
choices = options[kind]
if st.session_state.get(state.VIEW_ID) not in choices:
    st.session_state[state.VIEW_ID] = next(iter(choices))
view_id = controls[1].selectbox("Which", list(choices), format_func=choices.get, key=state.VIEW_ID)
colour_by = controls[2].radio(
    "Colour by",
    list(atlas.COLOUR_BY),
    format_func={"holder": "Holder", "kind": "Kind of holder", **taxation.COLOUR_BY}.get,
    key=state.COLOUR_BY,
    horizontal=True,
)
controls[3].multiselect(
    "Outlines", list(atlas.OUTLINES), format_func=atlas.OUTLINES.get, key=state.OUTLINES
)
state.write_view()
view = atlas.View(kind, view_id, colour_by)
view_frame = cache.view_frame(view)


def _search(notices) -> None:
    with st.form("search", border=False, enter_to_submit=True):
        left, right = st.columns([5, 1], vertical_alignment="bottom")
        query = left.text_input(
            "Find an area", key=state.SEARCH_TEXT, placeholder="SW1A 1AA, E09000033 or Westminster"
        )
        submitted = right.form_submit_button("Search", width="stretch")
    if submitted and query.strip():
        try:
            match = lookup.resolve(query, table)
        except (postcodes.PostcodeError, lookup.QueryError) as exc:
            message = str(exc)
            notices.error(md(message[:1].upper() + message[1:]))
        else:
            state.select_area(match.code, focus=True)
            if match.postcode:
                notices.success(f"{md(match.postcode)} is in {md(match.name)} ({md(match.code)}).")


def _summary(selected: str, row: pd.Series, held: list, tax) -> None:
    """The card's head, beside the map: the area, its facts and how fragmented it is."""
    st.subheader(f"Who runs what in {md(row['name'])}")
    facts = [f"**Code** {md(selected)}", f"**Country** {md(row['country'])}"]
    for label, column in (("Region", "region"), ("Upper-tier authority", "upper_tier_name")):
        if isinstance(row.get(column), str) and row[column]:
            facts.append(f"**{label}** {md(row[column])}")
    people = row.get("population")
    facts.append(
        "**Population** unknown"
        if people is None or pd.isna(people)
        else f"**Population** {int(people):,} (ONS, mid-2023)"
    )
    st.markdown(" · ".join(facts))
    if held:
        spread = cache.fragmentation()
        here = int(spread.get(selected, 0))
        median = spread.median()
        st.metric(
            f"Organisations a resident deals with across these {len(held)} services",
            here,
            delta=None if here == median else f"{here - median:+g} against the UK median",
            delta_color="inverse",
        )
        st.caption(f"UK median: {median:g}, across {len(spread)} areas. Each service below.")
        st.markdown(md(taxation.describe(tax)))
    if st.button("Show the whole UK"):
        state.select_area(None, focus=True)
        st.rerun(scope="fragment")


def _holdings(selected: str, held: list, tax) -> None:
    """The card's body, under the map at full width: who holds each service, and sources."""
    if not held:
        st.info(f"No holdings are recorded for {md(selected)} in {md(cache.data_label())}.")
        return
    st.table(cards.holders_frame(held).set_index("Service"))
    st.caption(md(taxation.accountability(held)))
    st.markdown("**Sources**")
    st.markdown(cards.sources_markdown(held))
    st.markdown("**Council tax**")
    st.markdown(md(taxation.describe(tax)))
    st.caption(
        f"{md(tax.note)} Figures: {md(tax.source) or 'none'}. The law: {md(tax.law)} "
        f"([legislation.gov.uk]({tax.law_url}))."
    )
    st.caption(
        f"Who is legally responsible today, with the source of each fact. Data: "
        f"{md(cache.data_label())}. 'Unknown' means we could not source the date."
    )


def _legend() -> None:
    if colour_by in taxation.COLOUR_BY:
        st.markdown(f"**Council tax: {md(taxation.COLOUR_BY[colour_by])}**")
        cards.show_legend(atlas.legend(view_frame), "Band D" if colour_by == "band_d" else "Change")
        st.caption(
            "England: the area's average Band D with every precept (MHCLG Table 10). Wales: the "
            "overall average with police and community councils. Scotland: the council's alone, "
            "water charges apart. So the nations are not alike; Northern Ireland has domestic "
            "rates, unknown here. Data: data/taxation (Open Government Licence)."
        )
        return
    by = "holder" if colour_by == "holder" else "kind of holder"
    st.markdown(f"**{md(atlas.label_of(baseline, view))}**, by {by}")
    key_table = atlas.legend(view_frame)
    title = "Holder" if colour_by == "holder" else "Kind"
    cards.show_legend(key_table, title, max_height=420)
    many = len(key_table) != 1
    if kind != "service":
        what = "holders" if colour_by == "holder" else "kinds of holder"
        noun = f"combination{'s' if many else ''} of {what}"
    elif colour_by == "holder":
        noun = "holders" if many else "holder"
    else:
        noun = "kinds of holder" if many else "kind of holder"
    unknown = int(view_frame["population"].isna().sum())
    st.caption(
        f"{len(key_table)} {noun} across {len(view_frame)} areas. Population: "
        f"{population.LABEL}; the {unknown} areas without a figure are counted apart."
    )


@st.fragment
def explore() -> None:
    """Search, map and card: a search or a click reruns only this, not the page."""
    form = st.container()
    # Always there, so a message coming or going never shifts the map (which would rebuild it).
    notices = st.container()
    with form:
        _search(notices)
    clicked = maps.event(state.MAP_KEY)
    if clicked is not None and clicked.kind == "click":
        state.select_area(clicked.code)
    selected = st.session_state[state.SELECTED_AREA]
    if selected is not None and selected not in codes:
        notices.warning(
            f"{md(selected)} is not an area in the boundaries in use; showing the whole UK."
        )
        state.select_area(None, focus=True)
        selected = None
    map_col, side = st.columns([2.4, 1.6])
    with map_col:
        maps.area_map(
            loaded.geometry,
            cache.view_paint(view),
            key=state.MAP_KEY,
            height=620,
            selected=selected,
            focus_on=st.session_state.get(state.FOCUS),
            outlines=cache.outline_layers(st.session_state[state.OUTLINES]),
        )
    if selected is not None:  # the card's data, read once for its head and its body
        row = by_code.loc[selected]
        held = holdings.for_area(baseline, selected)
        tax = taxation.council_tax(held, row["country"], selected) if held else None
    with side:
        if selected is not None:
            _summary(selected, row, held, tax)
        else:
            st.info("Click an area on the map, or search above, to see who runs what there.")
        with st.expander("Key to the map", expanded=selected is None):
            _legend()
    if selected is not None:
        _holdings(selected, held, tax)


codes = set(table["code"])
by_code = table.set_index("code")
explore()

st.subheader(f"Table: {md(atlas.label_of(baseline, view))} in every area")
st.dataframe(
    cards.table_twin(cache.export_table(view)),
    hide_index=True,
    width="stretch",
    height=420,
)
name = f"centrifuge-{view.kind}-{view.id}"
down = st.columns(2)
# Built when asked for (a callable runs on the click), never on an ordinary rerun.
down[0].download_button(
    "Download CSV",
    lambda: cache.export_csv(view),
    f"{name}.csv",
    "text/csv",
    on_click="ignore",
    width="stretch",
)
down[1].download_button(
    "Download GeoJSON",
    lambda: cache.export_geojson(view),
    f"{name}.geojson",
    "application/geo+json",
    on_click="ignore",
    width="stretch",
)
st.caption(
    f"Boundaries: {md(cache.boundaries_label())}. Data: {md(cache.data_label())}. Sort a column "
    "by clicking its header; search the table with the magnifier above it. Spreadsheet formulas "
    "in downloaded cells are neutralised."
)
