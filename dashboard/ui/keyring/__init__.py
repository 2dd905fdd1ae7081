"""The keyring: which scenarios this browser may edit (their keys) and which it opened by link.

The keys live in the browser's local storage, through a hidden component served from the app's
own origin; the session keeps a copy, so every page of the session sees them. Python asks the
component to add or forget entries; the component reports what it holds.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from dashboard.scenarios import keys as edit_keys

_component = components.declare_component("keyring", path=str(Path(__file__).parent / "frontend"))
HELD = "keyring_held"  # {"keys": {id: key}, "links": [id, ...]} for this session
_ASKED = "keyring_asked"  # what to send the component on its next render
_LAST = "keyring_last"  # what the component reported last


def held() -> dict:
    return st.session_state.setdefault(HELD, {"keys": {}, "links": []})


def key_for(ident: str) -> str | None:
    return held()["keys"].get(ident)


def keep_key(ident: str, key: str) -> None:
    """Remember that this browser may edit ``ident`` with ``key``."""
    held()["keys"][ident] = key
    _asked()["add"][ident] = key


def keep_link(ident: str) -> None:
    """Remember that this browser opened ``ident`` by a share link."""
    if ident not in held()["links"]:
        held()["links"].append(ident)
    _asked()["link"].append(ident)


def _asked() -> dict:
    return st.session_state.setdefault(_ASKED, {"add": {}, "link": []})


def sync() -> bool:
    """Render the (invisible) component and take in what the browser holds. Call it once per
    run, at the same place on the page. True when the browser has just reported something new,
    which is what started this run."""
    asked = st.session_state.get(_ASKED, {"add": {}, "link": []})
    mine = held()
    # The browser reports only what the session does not know yet, so a browser with nothing
    # new to tell (a first visit, say) costs no extra run.
    known = {"keys": sorted(mine["keys"]), "links": sorted(mine["links"])}
    value = _component(key="keyring", default=None, known=known, **asked)
    fresh = value is not None and value != st.session_state.get(_LAST)
    st.session_state[_LAST] = value
    if isinstance(value, dict):
        mine = held()
        for ident, key in (value.get("keys") or {}).items():
            if edit_keys.well_formed(ident) and edit_keys.well_formed(key):
                mine["keys"].setdefault(ident, key)
        for ident in value.get("links") or []:
            if edit_keys.well_formed(ident) and ident not in mine["links"]:
                mine["links"].append(ident)
        keys, links = value.get("keys") or {}, value.get("links") or []
        if all(keys.get(i) == k for i, k in asked["add"].items()) and set(asked["link"]) <= set(
            links
        ):
            st.session_state.pop(_ASKED, None)  # the browser has them now
    return fresh
