"""The atlas: who runs a service, package or family in every area; search; the area card."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import (
    announcements,
    atlas,
    citations,
    focus,
    holdings,
    lookup,
    places,
    population,
    postcodes,
    taxation,
    vintages,
)
from dashboard.ui import cache, cards, exports, maps, state
from dashboard.ui.text import md

SEARCH_NOW = "search_now"  # a suggestion was clicked: search it on this run
FOCUS_PENDING = "focus_pending"  # (kind, name) to focus on before the focus widgets exist
NOTICE = "atlas_notice"  # a message for the next run (after a whole-page rerun)
PICKS = "atlas_picks"  # areas to offer as buttons with that message
HIGHLIGHT_SEEN = "highlight_seen"  # the highlight shown on the last run

state.init()
st.session_state.setdefault(state.AS_OF, date.today())
st.title("Who runs what")
st.caption(
    "Every local authority district in England, Wales, Scotland and Northern Ireland, coloured by "
    "who runs the service you pick. Search a postcode, a GSS code or a name, or click an area."
)

if state.AS_OF_ASKED in st.session_state:  # a link's day that could not be used
    st.warning(f"{md(st.session_state.pop(state.AS_OF_ASKED))}; showing today.")
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
grouped = cache.groups()


def _focus_changed() -> None:
    """A new focus moves the map to it once (the user may pan away afterwards)."""
    st.session_state[state.HIGHLIGHT] = ""
    kind_now = st.session_state[state.FOCUS_KIND]
    if not kind_now:
        st.session_state[state.FOCUS] = maps.focus([], margin=0.05)
        return
    names = focus.choices(grouped, kind_now)
    if st.session_state.get(state.FOCUS_NAME) not in names:
        st.session_state[state.FOCUS_NAME] = names[0]
    members = focus.members(grouped, kind_now, st.session_state[state.FOCUS_NAME])
    st.session_state[state.FOCUS] = maps.focus(members, margin=0.05)


if FOCUS_PENDING in st.session_state:  # a search found a place (or left the focus)
    pending_kind, pending_name = st.session_state.pop(FOCUS_PENDING)
    st.session_state[state.FOCUS_KIND] = pending_kind
    st.session_state[state.FOCUS_NAME] = pending_name
    st.session_state[state.HIGHLIGHT] = ""
    if pending_kind:
        st.session_state[state.FOCUS] = maps.focus(
            focus.members(grouped, pending_kind, pending_name), margin=0.05
        )
where = st.columns([1.1, 1.8, 1.3, 2.6])
if st.session_state[state.FOCUS_KIND] not in ("", *focus.KINDS):
    st.warning(f"{md(st.session_state[state.FOCUS_KIND])} is not a kind of focus; showing the UK.")
    st.session_state[state.FOCUS_KIND] = ""
elif st.session_state[state.FOCUS_KIND]:  # from a link: matched loosely, or named as not found
    asked_kind, asked = st.session_state[state.FOCUS_KIND], st.session_state[state.FOCUS_NAME]
    if asked not in focus.choices(grouped, asked_kind):
        try:
            st.session_state[state.FOCUS_NAME] = focus.name_of(grouped, asked_kind, asked)
        except focus.FocusError as exc:
            st.warning(f"{md(str(exc)[:1].upper() + str(exc)[1:])}; showing the whole UK.")
            st.session_state[state.FOCUS_KIND] = ""
            st.session_state[state.FOCUS] = maps.focus([], margin=0.05)
        else:
            st.session_state[state.FOCUS] = maps.focus(
                focus.members(grouped, asked_kind, st.session_state[state.FOCUS_NAME]),
                margin=0.05,
            )
focus_kind = where[0].selectbox(
    "Focus on",
    ["", *focus.KINDS],
    format_func=lambda k: focus.KINDS.get(k, "The whole UK"),
    key=state.FOCUS_KIND,
    on_change=_focus_changed,
)
within = None
if focus_kind:
    focus_name = where[1].selectbox(
        focus.KINDS[focus_kind],
        focus.choices(grouped, focus_kind),
        key=state.FOCUS_NAME,
        on_change=_focus_changed,
    )
    within = focus.members(grouped, focus_kind, focus_name)
    if st.session_state.get(state.FOCUS) is None:  # a link's focus frames the map once
        st.session_state[state.FOCUS] = maps.focus(within, margin=0.05)


def _day_changed() -> None:
    """Another day: an area that did not exist then is found anew (see explore), and a
    highlighted holder that does not hold there then is named and dropped."""
    if st.session_state.get(state.AS_OF) is None:  # the box was cleared: today
        st.session_state[state.AS_OF] = date.today()


where[2].date_input(
    "As of",
    min_value=vintages.FIRST_DAY,
    max_value=vintages.LAST_DAY,
    key=state.AS_OF,
    format="DD/MM/YYYY",
    on_change=_day_changed,
    help="Who ran what on this day, on the boundaries then in force "
    f"({vintages.FIRST_DAY:%-d %B %Y} to {vintages.LAST_DAY:%-d %B %Y}). Default: today.",
)
day = cache.as_of()
vintage = cache.vintage()
with where[3]:
    when = "today" if day == date.today() else vintages.long_date(day)
    st.caption(
        f"As of **{md(when)}**: boundaries {md(vintage.label())}."
        + (f" {md(vintage.note[:1].upper() + vintage.note[1:])}." if vintage.note else "")
    )
    if day > date.today():
        st.caption(
            "A day to come: the holders are those the law has set; changes only announced are "
            "on each card."
        )
state.write_view()
view = atlas.View(kind, view_id, colour_by)
_by = {"holder": "by holder", "kind": "by kind of holder"}.get(colour_by, "council tax")
_where = f", {st.session_state[state.FOCUS_NAME]}" if within is not None else ""
st.set_page_config(page_title=f"{atlas.label_of(baseline, view)}{_where}, {_by} · Centrifuge")
view_frame = cache.view_frame(view)
shown_frame = view_frame if within is None else view_frame[view_frame["code"].isin(within)]
# A highlight belongs to one view: one the view (or its focus) has not got is dropped, and a
# link's is named, so the map never turns wholly grey.
wanted = st.session_state[state.HIGHLIGHT]
if wanted and (colour_by in taxation.COLOUR_BY or wanted not in set(shown_frame["key"])):
    if st.session_state.get(HIGHLIGHT_SEEN) != wanted:
        st.warning(f"Nothing called {md(wanted)} to highlight in this view; showing every colour.")
    st.session_state[state.HIGHLIGHT] = ""
    if "highlight" in st.query_params:
        del st.query_params["highlight"]
st.session_state[HIGHLIGHT_SEEN] = st.session_state[state.HIGHLIGHT]
place = "the UK" if within is None else st.session_state[state.FOCUS_NAME]


def _pick(name: str) -> None:
    """A suggestion, clicked: search it as if it had been typed."""
    st.session_state[state.SEARCH_TEXT] = name
    st.session_state[SEARCH_NOW] = True


def _search(notices) -> None:
    with st.form("search", border=False, enter_to_submit=True):
        left, right = st.columns([5, 1], vertical_alignment="bottom")
        query = left.text_input(
            "Find an area or place",
            key=state.SEARCH_TEXT,
            placeholder="SW1A 1AA, E09000033, Westminster, Cumbria, Thames Valley Police…",
        )
        submitted = right.form_submit_button("Search", width="stretch")
    if NOTICE in st.session_state:
        notices.info(md(st.session_state.pop(NOTICE)))
        picks = st.session_state.pop(PICKS, [])
        if picks:
            row = notices.columns(len(picks))
            for i, (column, name) in enumerate(zip(row, picks, strict=True)):
                column.button(md(name), key=f"pick_{i}", on_click=_pick, args=(name,))
    if not ((submitted or st.session_state.pop(SEARCH_NOW, False)) and query.strip()):
        return
    try:
        match = places.find(query, table, grouped, day)
    except (postcodes.PostcodeError, lookup.QueryError) as exc:
        message = str(exc)
        covering = getattr(exc, "codes", [])
        if covering:  # an area of another day: not a mistake, so said as news, and framed
            notices.info(md(message))
            st.session_state[state.FOCUS] = maps.focus(covering, margin=0.1)
        else:
            notices.error(md(message[:1].upper() + message[1:]))
        _buttons(notices, getattr(exc, "suggestions", []), "suggestion")
        return
    outside = within is not None
    if isinstance(match, places.Place) and match.kind == "town" and len(match.codes) == 1:
        state.select_area(match.codes[0], focus=True)
        if outside and match.codes[0] not in within:  # a town outside the focus: leave it
            st.session_state[FOCUS_PENDING] = ("", "")
            st.session_state[NOTICE] = match.note
            st.rerun()
        notices.success(md(match.note))
        return
    if isinstance(match, places.Place):
        state.select_area(None)
        if match.kind not in focus.KINDS and outside:
            st.session_state[FOCUS_PENDING] = ("", "")
        if match.kind == "town":  # one name, several areas: each a button
            names = dict(zip(table["code"], table["name"], strict=True))
            st.session_state[PICKS] = [names[c] for c in match.codes]
        if match.kind in focus.KINDS:
            st.session_state[FOCUS_PENDING] = (match.kind, match.name)
            st.session_state[NOTICE] = (
                f"{match.name}: {len(match.codes)} areas. The map and its key now show only "
                "these; choose The whole UK under Focus on to see everything again."
            )
        else:  # a former county, or a town's name in several areas: those areas, framed
            st.session_state[state.FOCUS] = maps.focus(match.codes, margin=0.1)
            st.session_state[NOTICE] = match.note
        st.rerun()  # the whole page: the focus and its key live outside this fragment
    state.select_area(match.code, focus=True)
    said = f"{match.postcode} is in {match.name} ({match.code})." if match.postcode else ""
    if match.notice:
        said = f"{match.notice} {said}".strip()
    if within is not None and match.code not in within:  # an area outside the focus: leave it
        st.session_state[FOCUS_PENDING] = ("", "")
        if said:
            st.session_state[NOTICE] = said
        st.rerun()
    where_md = (
        f"{md(match.postcode)} is in {md(match.name)} ({md(match.code)})." if match.postcode else ""
    )
    if match.notice:
        notices.info(f"{md(match.notice)} {where_md}".strip())
    elif match.postcode:
        notices.success(where_md)


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
    after = {h.service_id: holdings.next_holder(baseline, h) for h in held}
    names = vintages.names()
    st.table(cards.holders_frame(held, after, names).set_index("Service"))
    _announced(selected, by_code.loc[selected])
    st.caption(
        "Each holder is the body legally responsible for the service here, which is not always "
        "the one that delivers it: delivery partners are named in the notes where sourced. "
        + md(taxation.accountability(held))
    )
    st.markdown("**Sources**")
    st.markdown(cards.sources_markdown(held))
    row = by_code.loc[selected]
    address = f"{(st.context.url or '').split('?')[0]}?{view.kind}={view.id}&area={selected}"
    if day != date.today():
        address += f"&on={day.isoformat()}"
    st.markdown("**Cite this**")
    st.code(
        citations.cite(row["name"], selected, held, day, address, vintage=vintage.name),
        language=None,
        wrap_lines=True,
    )
    card = cards.card_table(held, row["name"], selected, day, vintage.name, after, names)
    stem = f"centrifuge-{selected}" + ("" if day == date.today() else f"-{day.isoformat()}")
    pair = st.columns(2)
    pair[0].download_button(
        "Download this card (CSV)",
        lambda: atlas.to_csv(card),
        f"{stem}.csv",
        "text/csv",
        on_click="ignore",
        width="stretch",
    )
    pair[1].download_button(
        "Download this card (JSON)",
        lambda: json.dumps(
            {
                "area": {"code": selected, "name": row["name"], "country": row["country"]},
                "as_of": day.isoformat(),
                "vintage": vintage.name,
                "version": citations.version(),
                "url": address,
                "holdings": [
                    {**h.as_json(), "next": _next_json(after.get(h.service_id))} for h in held
                ],
                "council_tax": tax.as_json() if tax else None,
            },
            ensure_ascii=False,
            indent=2,
        ),
        f"{stem}.json",
        "application/json",
        on_click="ignore",
        width="stretch",
    )
    st.markdown("**Council tax**")
    st.markdown(md(taxation.describe(tax)))
    st.caption(
        f"{md(tax.note)} Figures: {md(tax.source) or 'none'}. The law: {md(tax.law)} "
        f"([legislation.gov.uk]({tax.law_url}))."
    )
    when = "today" if day == date.today() else f"on {vintages.long_date(day)}"
    st.caption(
        f"Who is legally responsible {when}, with the source of each fact. Boundaries: "
        f"{md(vintage.name)}. Data: "
        f"{md(cache.data_label())}. 'Unknown' means we could not source the date."
    )


def _long(iso: str) -> str:
    return vintages.long_date(date.fromisoformat(iso))


def _next_json(after) -> dict | None:
    return after.as_json() if after else None


def _announced(selected: str, row: pd.Series) -> None:
    """Changes announced or legislated but not in force, that reach this area."""
    try:
        ahead = announcements.for_area(baseline.directory, selected, row["country"], day)
    except announcements.AnnouncementError as exc:
        st.warning(f"Announced changes could not be read: {md(exc)}")
        return
    for item in ahead:
        when = f"expected {md(_long(item.expected))}" if item.expected else "no date set"
        st.warning(
            f"**{md(announcements.STATUSES[item.status])}: {md(item.title)}** "
            f"(announced {md(_long(item.announced))}; {when}).  \n"
            + (f"Known: {md(item.known)}  \n" if item.known else "")
            + (f"Not known: {md(item.unknown)}  \n" if item.unknown else "")
            + f"Source: {cards.link_or_text(item.source)} (checked {md(item.checked)})"
        )


def _legend() -> None:
    if colour_by in taxation.COLOUR_BY:
        st.markdown(f"**Council tax: {md(taxation.COLOUR_BY[colour_by])}**")
        heading = "Band D" if colour_by == "band_d" else "Change"
        cards.show_legend(atlas.legend(shown_frame), heading)
        st.caption(
            "England: the area's average Band D with every precept (MHCLG Table 10). Wales: the "
            "overall average with police and community councils. Scotland: the council's alone, "
            "water charges apart. So the nations are not alike; Northern Ireland has domestic "
            "rates, unknown here. Data: data/taxation (Open Government Licence)."
        )
        return
    by = "holder" if colour_by == "holder" else "kind of holder"
    st.markdown(f"**{md(atlas.label_of(baseline, view))}** in {md(place)}, by {by}")
    key_table = atlas.legend(shown_frame)
    title = "Holder" if colour_by == "holder" else "Kind"
    labels = dict(zip(key_table["key"], key_table["label"], strict=True))
    if st.session_state[state.HIGHLIGHT] not in labels:
        st.session_state[state.HIGHLIGHT] = ""

    def _highlighted() -> None:  # the map moves to the holder's areas, once
        chosen = st.session_state[state.HIGHLIGHT]
        if chosen:
            codes = shown_frame.loc[shown_frame["key"] == chosen, "code"].tolist()
        else:
            codes = list(within or [])
        st.session_state[state.FOCUS] = maps.focus(codes, margin=0.1)
        st.session_state[HIGHLIGHT_SEEN] = chosen
        st.session_state.setdefault(state.KEPT, {})[state.HIGHLIGHT] = chosen
        if chosen:
            st.query_params["highlight"] = chosen
        elif "highlight" in st.query_params:
            del st.query_params["highlight"]

    st.selectbox(
        f"Highlight one {'holder' if colour_by == 'holder' else 'kind'} (the rest are dimmed)",
        ["", *labels],
        format_func=lambda k: labels.get(k, "None: every colour"),
        key=state.HIGHLIGHT,
        on_change=_highlighted,
    )
    cards.show_legend(key_table, title, max_height=420)
    many = len(key_table) != 1
    if kind != "service":
        what = "holders" if colour_by == "holder" else "kinds of holder"
        noun = f"combination{'s' if many else ''} of {what}"
    elif colour_by == "holder":
        noun = "holders" if many else "holder"
    else:
        noun = "kinds of holder" if many else "kind of holder"
    unknown = int(shown_frame["population"].isna().sum())
    hues = len(set(key_table["colour"]))
    colours = (
        f" {hues} colour{'s' if hues != 1 else ''}, from the Government Analysis Function's "
        "colour-blind-safe palette: neighbouring holders always differ, holders that do not "
        "touch may share one; the white lines are each holder's borders, and hovering or "
        "highlighting names the holder."
        if colour_by == "holder"
        else ""
    )
    st.caption(
        f"{len(key_table)} {noun} across {len(shown_frame)} "
        f"area{'s' if len(shown_frame) != 1 else ''}.{colours} Population: "
        f"{population.LABEL}"
        + (
            f"; the {unknown} area{'s' if unknown != 1 else ''} without a figure "
            f"{'are' if unknown != 1 else 'is'} counted apart."
            if unknown
            else "."
        )
    )


def _buttons(notices, names: list[str], prefix: str) -> None:
    """Names to search with one click: up to eight (North Yorkshire had seven districts)."""
    names = names[:8]
    if names:
        row = notices.columns(len(names))
        for i, (column, name) in enumerate(zip(row, names, strict=True)):
            column.button(md(name), key=f"{prefix}_{i}", on_click=_pick, args=(name,))


def _elsewhere(selected: str, notices) -> str | None:
    """An area that does not exist on the day in view (from a link, or a change of day): the
    area the reader chose, if it exists again that day (back from another day); else its
    successor then, with a notice, or the areas covering it then as buttons."""
    chosen = st.session_state.get(state.CHOSEN_AREA) or selected
    st.session_state[state.CHOSEN_AREA] = chosen
    if chosen != selected and chosen in codes:
        state.select_area(chosen, focus=True, moved=True)
        return chosen
    if vintages.area(selected) is None:
        notices.warning(
            f"{md(selected)} is not an area in the boundaries in use; showing the whole UK."
        )
        state.select_area(None, focus=True)
        return None
    try:
        match = lookup.resolve(selected, table, day)
    except lookup.QueryError as exc:
        notices.info(md(str(exc)))
        _buttons(notices, getattr(exc, "suggestions", []), "then")
        covering = getattr(exc, "codes", [])
        state.select_area(None, focus=not covering, moved=True)
        if covering:
            st.session_state[state.FOCUS] = maps.focus(covering, margin=0.1)
        return None
    notices.info(md(match.notice or f"Showing {match.name} ({match.code})."))
    state.select_area(match.code, focus=True, moved=True)
    return match.code


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
        selected = _elsewhere(selected, notices)
    map_col, side = st.columns([2.4, 1.6])
    with map_col:
        maps.area_map(
            loaded.geometry,
            cache.view_paint(view, within, st.session_state[state.HIGHLIGHT]),
            key=state.MAP_KEY,
            height=620,
            selected=selected,
            focus_on=st.session_state.get(state.FOCUS),
            outlines=([cache.holder_borders(view)] if colour_by in ("holder", "kind") else [])
            + cache.outline_layers(st.session_state[state.OUTLINES]),
        )
    if selected is not None:  # the card's data, read once for its head and its body
        row = by_code.loc[selected]
        held = holdings.for_area(baseline, selected, day)
        tax = taxation.council_tax(held, row["country"], selected) if held else None
    with side:
        if selected is not None:
            _summary(selected, row, held, tax)
        else:
            st.info("Click an area on the map, or search above, to see who runs what there.")
        with st.expander("Key to the map", expanded=selected is None):
            _legend()
        query = f"{view.kind}={view.id}&colour={colour_by}"
        if day != date.today():
            query += f"&on={day.isoformat()}"
        if within is not None:
            query += f"&focus={focus_kind}:{st.session_state[state.FOCUS_NAME]}"
        if st.session_state[state.HIGHLIGHT]:
            query += f"&highlight={st.session_state[state.HIGHLIGHT]}"
        exports.map_downloads(
            f"centrifuge-{view.kind}-{view.id}-{colour_by}"
            + ("" if day == date.today() else f"-{day.isoformat()}"),
            query,
            view=view,
            focus=(focus_kind, st.session_state[state.FOCUS_NAME]) if within is not None else None,
            highlight=st.session_state[state.HIGHLIGHT] or None,
            on=day,
        )
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
dated = "" if day == date.today() else f"-{day.isoformat()}"
name = f"centrifuge-{view.kind}-{view.id}{dated}"
down = st.columns(3)
# Built when asked for (a callable runs on the click), never on an ordinary rerun.
down[0].download_button(
    "Download CSV",
    cache.at_day(lambda: cache.export_csv(view)),
    f"{name}.csv",
    "text/csv",
    on_click="ignore",
    width="stretch",
)
down[2].download_button(
    "Every area × service (CSV)",
    cache.at_day(lambda: cache.export_csv(atlas.View(atlas.ALL, atlas.ALL))),
    f"centrifuge-every-area-and-service{dated}.csv",
    "text/csv",
    on_click="ignore",
    width="stretch",
    help="The national table: every service in every area, with sources",
)
down[1].download_button(
    "Download GeoJSON",
    cache.at_day(lambda: cache.export_geojson(view)),
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
