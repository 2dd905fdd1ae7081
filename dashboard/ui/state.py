"""Every session-state key and its default, and the URL parameters that mirror them."""

from __future__ import annotations

import streamlit as st

SELECTED_AREA = "selected_area"  # GSS code of the area in view, or None
SEARCH_TEXT = "search_text"  # the search box
LAST_CLICK = "last_map_click"  # code of the last map click already acted on
MAP_KEY = "uk_map"

DEFAULTS: dict[str, object] = {SELECTED_AREA: None, LAST_CLICK: None}


def init() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    if st.session_state[SELECTED_AREA] is None and "area" in st.query_params:
        st.session_state[SELECTED_AREA] = st.query_params["area"].strip().upper()[:12]


def select_area(code: str | None) -> None:
    st.session_state[SELECTED_AREA] = code
    if code:
        st.query_params["area"] = code
    elif "area" in st.query_params:
        del st.query_params["area"]
