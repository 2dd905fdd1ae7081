"""The studio's save and open panel: saves that never surprise, versions that can be reopened and
restored, and a delete that asks first.

- **Save** writes a new version of the open scenario (refused if someone saved it since). With a
  new name typed in, it saves a new scenario under that name; if that name is taken, it asks
  before overwriting.
- **Open this version** and **Restore this version** work on any version in the history.
  Restoring saves the old content as the newest version, so nothing is lost.
- **Delete** asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from dashboard import scenarios
from dashboard.lots import LotError, clean_name
from dashboard.ui.text import md

OVERWRITE = "studio_confirm_overwrite"  # the name a save would overwrite, once asked
DELETE = "studio_confirm_delete"  # the scenario whose deletion awaits a yes


def when(stamp: str) -> str:
    """A stored UTC timestamp as people read it: "1 Dec 2026, 12:24 UTC"."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def save_panel(store: scenarios.Store, scenario: scenarios.Scenario, keys, say: Callable) -> None:
    """The name box and Save. ``keys`` holds the session keys NAME and VERSION of the open
    scenario; ``say`` leaves a message for the next run."""
    open_name, open_version = st.session_state[keys.NAME], st.session_state[keys.VERSION]
    name = st.text_input("Scenario name", value=open_name, max_chars=60)
    if open_name and name == open_name:
        st.caption(
            f"Save writes version {open_version + 1} of {md(open_name)}. Type another name to "
            "save a separate scenario."
        )
    if st.button("Save", type="primary"):
        st.session_state.pop(OVERWRITE, None)
        try:
            target = clean_name(name)
            expected = open_version if target == open_name else 0
            _save(store, scenario, target, expected, keys, say)
        except scenarios.Conflict as exc:
            if target != open_name and target in {n for n, _, _ in store.names()}:
                st.session_state[OVERWRITE] = target
            else:
                st.error(md(exc))
        except (scenarios.ScenarioError, LotError) as exc:
            st.error(md(exc))
    pending = st.session_state.get(OVERWRITE)
    if pending:
        st.warning(
            f"A scenario called {md(pending)} already exists. Overwrite it with this one? Its "
            "earlier versions stay in its history."
        )
        yes, no = st.columns(2)
        if yes.button(f"Overwrite {md(pending)}", width="stretch"):
            current = next((v for n, v, _ in store.names() if n == pending), 0)
            st.session_state.pop(OVERWRITE, None)
            _save(store, scenario, pending, current, keys, say)
        if no.button("Cancel", width="stretch"):
            st.session_state.pop(OVERWRITE, None)
            st.rerun()


def _save(store, scenario, name: str, expected: int, keys, say: Callable) -> None:
    saved = store.save(scenarios.Scenario(name, scenario.package_id, scenario.assignment), expected)
    st.session_state[keys.NAME], st.session_state[keys.VERSION] = saved.name, saved.version
    say(f"Saved '{saved.name}' as version {saved.version}.")
    st.rerun()


def open_panel(store: scenarios.Store, start: Callable, say: Callable) -> None:
    """Saved scenarios: open, rename, duplicate, delete (asked first), and every version."""
    saved_names = store.names()
    if not saved_names:
        st.caption("No saved scenarios yet.")
        return
    picked = st.selectbox(
        "Saved scenarios",
        [n for n, _, _ in saved_names],
        format_func=lambda n: next(
            f"{n} (version {v}, {when(t)})" for m, v, t in saved_names if m == n
        ),
    )
    actions = st.columns(4)
    if actions[0].button("Open", width="stretch"):
        opened = store.load(picked)
        start(opened.assignment, opened.name, opened.version, opened.package_id)
        st.rerun()
    new_name = st.text_input("New name (rename or duplicate)", key="studio_new_name")
    for column, label, act in (
        (actions[1], "Rename", store.rename),
        (actions[2], "Duplicate", store.duplicate),
    ):
        if column.button(label, width="stretch") and new_name.strip():
            try:
                act(picked, new_name)
                st.rerun()
            except (scenarios.ScenarioError, LotError) as exc:
                st.error(md(exc))
    if actions[3].button("Delete", width="stretch"):
        st.session_state[DELETE] = picked
    if st.session_state.get(DELETE) == picked:
        st.warning(f"Delete {md(picked)} and all its versions? This cannot be undone.")
        yes, no = st.columns(2)
        if yes.button(f"Yes, delete {md(picked)}", width="stretch"):
            store.delete(picked)
            st.session_state.pop(DELETE, None)
            say(f"Deleted '{picked}'.")
            st.rerun()
        if no.button("Keep it", width="stretch"):
            st.session_state.pop(DELETE, None)
            st.rerun()
    history = store.history(picked)
    st.caption("History of this scenario: " + ", ".join(f"v{v} ({when(t)})" for v, t in history))
    if len(history) > 1:
        version = st.selectbox(
            "A version",
            [v for v, _ in history],
            format_func=lambda v: next(
                f"version {v}, saved {when(t)}" for w, t in history if w == v
            ),
        )
        pair = st.columns(2)
        if pair[0].button("Open this version", width="stretch"):
            old = store.load(picked, version)
            start(old.assignment, old.name, history[0][0], old.package_id)
            say(
                f"Opened version {version} of '{picked}'. Save makes it version "
                f"{history[0][0] + 1}."
            )
            st.rerun()
        if pair[1].button("Restore this version", width="stretch"):
            old = store.load(picked, version)
            restored = store.save(
                scenarios.Scenario(picked, old.package_id, old.assignment), history[0][0]
            )
            say(f"Restored version {version} of '{picked}' as version {restored.version}.")
            st.rerun()
