"""Every session-state key and its default, and the URL parameters that mirror them.

The URL holds the view, so a link reopens it:
``?service=police&colour=kind&area=E06000001`` (or ``package=…`` / ``family=…``), and
``?org=police-kent`` on the organisation page; ``on=2022-06-01`` answers for that day (its
holders and boundaries); ``focus=region:North West`` limits the map and
its legend to a nation, region, county, police force or fire area, and ``highlight=HOLDER`` dims
every holder but one.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import atlas, vintages
from dashboard.ui import maps

SELECTED_AREA = "selected_area"  # GSS code of the area in view, or None
SEARCH_TEXT = "search_text"  # the search box
FOCUS = "map_focus"  # the atlas map's last focus request (see maps.focus)
VIEW_KIND = "view_kind"  # "service", "package" or "family"
VIEW_ID = "view_id"  # the service, package or family id
COLOUR_BY = "colour_by"  # "holder" or "kind"
OUTLINES = "outlines"  # keys of atlas.OUTLINES drawn over the map
FOCUS_KIND = "focus_kind"  # "" (the whole UK) or a key of focus.KINDS
FOCUS_NAME = "focus_name"  # the nation, region, county, force or fire area focused on
HIGHLIGHT = "highlight"  # the key of the holder drawn in colour, the rest dimmed ("" for none)
ORGANISATION = "organisation"  # organisation id on the organisation page
KEPT = "atlas_kept"  # the atlas's view, kept while another page is open (widgets forget)
AS_OF = "as_of"  # the day the atlas answers for (a date; today by default)
CHOSEN_AREA = "chosen_area"  # the area the reader last chose, while another day shows another
AS_OF_ASKED = "as_of_asked"  # a link's "on=" that could not be used, to name once
MAP_KEY = "uk_map"
ORG_MAP_KEY = "organisation_map"

DEFAULT_VIEW = ("service", "police")
DEFAULTS: dict[str, object] = {
    SELECTED_AREA: None,
    COLOUR_BY: "holder",
    OUTLINES: [],
    FOCUS_KIND: "",
    FOCUS_NAME: "",
    HIGHLIGHT: "",
}
_MAX_PARAM = 120


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value.strip()[:_MAX_PARAM] if isinstance(value, str) and value.strip() else None


def init() -> None:
    """Defaults first, then what the URL asks for (only on a session's first run)."""
    first = VIEW_KIND not in st.session_state
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    if not first:
        return
    if (org := _param("org")) is not None:
        st.session_state[ORGANISATION] = org
    views = (
        "service",
        "package",
        "family",
        "colour",
        "focus",
        "highlight",
        "outlines",
        "area",
        "on",
    )
    if KEPT in st.session_state and not any(_param(p) for p in views):
        # Back from another page: the view as it was (Streamlit forgets a widget's value
        # when its page is left, and the address no longer holds it).
        for key, value in st.session_state[KEPT].items():
            st.session_state[key] = value
        return
    if (on := _param("on")) is not None:
        try:
            st.session_state[AS_OF] = vintages.parse_day(on[:20])
        except ValueError as exc:  # named on the page, once
            st.session_state[AS_OF_ASKED] = str(exc)
    if (area := _param("area")) is not None:
        st.session_state[SELECTED_AREA] = area.upper()[:12]
        st.session_state[FOCUS] = maps.focus([area.upper()[:12]], margin=0.6)
    kind, ident = DEFAULT_VIEW
    for candidate in ("service", "package", "family"):
        if (value := _param(candidate)) is not None:
            kind, ident = candidate, value
            break
    st.session_state[VIEW_KIND] = kind
    st.session_state[VIEW_ID] = ident
    if _param("colour") in atlas.COLOUR_BY:
        st.session_state[COLOUR_BY] = _param("colour")
    if (outlines := _param("outlines")) is not None:
        st.session_state[OUTLINES] = [o for o in outlines.split(",") if o][:5]
    if (wanted := _param("focus")) is not None and ":" in wanted:
        kind, name = wanted.split(":", 1)
        st.session_state[FOCUS_KIND], st.session_state[FOCUS_NAME] = kind, name.strip()
    if (holder := _param("highlight")) is not None:
        st.session_state[HIGHLIGHT] = holder


def select_area(code: str | None, focus: bool = False, moved: bool = False) -> None:
    """Select an area (None: none); with ``focus``, the map also moves to it (or to the UK).
    ``moved``: the page moved there because the day changed, not the reader, so the area the
    reader chose is kept, to come back to."""
    st.session_state[SELECTED_AREA] = code
    if not moved:
        st.session_state[CHOSEN_AREA] = code
    if focus:
        st.session_state[FOCUS] = maps.focus([code] if code else [], margin=0.6)
    if code:
        st.query_params["area"] = code
    elif "area" in st.query_params:
        del st.query_params["area"]


def write_view() -> None:
    """Mirror the atlas view into the URL."""
    for name in ("service", "package", "family"):
        if name in st.query_params and name != st.session_state[VIEW_KIND]:
            del st.query_params[name]
    st.query_params[st.session_state[VIEW_KIND]] = st.session_state[VIEW_ID]
    st.query_params["colour"] = st.session_state[COLOUR_BY]
    _mirror("outlines", ",".join(st.session_state[OUTLINES]))
    kind, name = st.session_state[FOCUS_KIND], st.session_state[FOCUS_NAME]
    _mirror("focus", f"{kind}:{name}" if kind and name else "")
    _mirror("highlight", st.session_state[HIGHLIGHT])
    _mirror("area", st.session_state[SELECTED_AREA] or "")
    day = st.session_state.get(AS_OF)
    _mirror("on", day.isoformat() if day and day != date.today() else "")
    st.session_state[KEPT] = {
        key: st.session_state[key]
        for key in (VIEW_KIND, VIEW_ID, COLOUR_BY, OUTLINES, FOCUS_KIND, FOCUS_NAME, HIGHLIGHT)
        if key in st.session_state
    }
    if day:
        st.session_state[KEPT][AS_OF] = day


def _mirror(param: str, value: str) -> None:
    """The URL parameter ``param`` set to ``value``, or gone when it is empty."""
    if value:
        st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]
