"""The studio's save, share and open panels: saves that never surprise, scenarios only their owner
can change, versions that can be reopened and restored, and a trash.

- **Save** writes a new version of the open scenario (refused if someone saved it since), renaming
  it if the name was changed. **Save as new** makes a new scenario; if the name is one of yours, it
  asks before overwriting; if it is someone else's, it says so.
- Whoever creates a scenario gets its edit key, kept by their browser (:mod:`~dashboard.ui.keyring`)
  and shown once as a private edit link. Everyone else opens it read-only by its share link and
  can duplicate it into their own.
- **Delete** asks first and moves the scenario to the trash, restorable for 30 days.
- The list holds only this browser's scenarios: yours, and those opened by link.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from dashboard import scenarios
from dashboard.scenarios import keys as edit_keys
from dashboard.ui import keyring
from dashboard.ui.text import md

OVERWRITE = "studio_confirm_overwrite"  # (id, name) a save would overwrite, once asked
DELETE = "studio_confirm_delete"  # the scenario whose move to the trash awaits a yes
FRESH = "studio_fresh_key"  # (id, name, key) of a scenario just made: its edit link, shown once


def when(stamp: str | None) -> str:
    """A stored UTC timestamp in the reader's time zone: "1 Dec 2026, 12:24 GMT"."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except (TypeError, ValueError):
        return str(stamp)
    try:
        zone = ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M} {local.tzname()}"


def page_url(**params: str) -> str:
    """The studio's address with ``params``, absolute when the browser's address is known."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    base = (st.context.url or "studio").split("?")[0]
    return f"{base}?{query}"


def open_store() -> scenarios.Store | None:
    """The scenario store, or None (with the reason shown) when it does not answer: sketching
    goes on without it."""
    try:
        return scenarios.Store()
    except scenarios.ScenarioError as exc:
        st.warning(f"Saving is unavailable: {md(exc)}.")
        return None


def editable(store: scenarios.Store, ident: str) -> bool:
    """Whether this browser holds the edit key of scenario ``ident`` (False if it is gone)."""
    try:
        return bool(ident) and store.can_edit(ident, keyring.key_for(ident))
    except scenarios.Unavailable:
        raise
    except scenarios.ScenarioError:
        return False


def opened(store: scenarios.Store, ident: str, key: str | None) -> tuple[scenarios.Scenario, str]:
    """Scenario ``ident`` from a share link (with ``key``, an edit link), and what to tell the
    user. A good key is kept by this browser; a link opened without one is remembered."""
    if not edit_keys.well_formed(ident):
        raise scenarios.ScenarioError("this scenario link is damaged")
    found = store.load(ident)
    if key is not None:
        if store.can_edit(ident, key):
            keyring.keep_key(ident, key)
            return found, (
                f"Opened '{found.name}' with its edit link: this browser can now change it."
            )
        keyring.keep_link(ident)
        return found, (
            f"The edit key in this link is not the key of '{found.name}'; it is open read-only."
        )
    keyring.keep_link(ident)
    return found, f"Opened the shared scenario '{found.name}' (version {found.version})."


def save_panel(store, scenario: scenarios.Scenario, keys, say: Callable) -> None:
    """The name box, Save and Save as new. ``keys`` names the session keys ID, NAME and VERSION
    of the open scenario; ``say`` leaves a message for the next run."""
    ident, open_name = st.session_state[keys.ID], st.session_state[keys.NAME]
    version = st.session_state[keys.VERSION]
    try:
        mine = editable(store, ident)
    except scenarios.Unavailable:  # say so when Save is pressed; until then, keep the buttons
        mine = bool(ident) and _key(ident) is not None
    name = st.text_input("Scenario name", value=open_name, max_chars=60)
    if mine:
        st.caption(
            f"Save writes version {version + 1} of {md(open_name)}"
            + (f", renamed {md(name)}" if name.strip() and name.strip() != open_name else "")
            + ". Save as new keeps it and makes a new scenario."
        )
    elif ident:
        st.caption(
            f"{md(open_name)} is read-only here: it is not yours (you opened it by a share link, "
            "or its owner's key is not in this browser). Save as new keeps your own copy."
        )
    else:
        st.caption("Not saved yet. Saving makes it yours: only this browser can change it.")
    save, save_new = st.columns(2)
    if save.button("Save", type="primary", disabled=bool(ident) and not mine, width="stretch"):
        if ident:
            _act(lambda: _update(store, ident, _as(scenario, name), version, keys, say))
        else:
            _act(lambda: _create(store, _as(scenario, name), keys, say))
    if save_new.button("Save as new", width="stretch"):
        if ident and " ".join(name.split()) == open_name:
            st.error("Type a new name for the new scenario: this one is already called that.")
        else:
            _act(lambda: _create(store, _as(scenario, name), keys, say))
    _ask_overwrite(store, scenario, keys, say)
    _show_fresh_key()


def _update(store, ident: str, scenario: scenarios.Scenario, version: int, keys, say) -> None:
    _saved(store.save(ident, scenario, version, _key(ident)), keys, say)


def _as(scenario: scenarios.Scenario, name: str) -> scenarios.Scenario:
    return scenarios.Scenario(name, scenario.package_id, scenario.assignment)


def _key(ident: str) -> str | None:
    return keyring.key_for(ident)


def _act(action: Callable) -> None:
    """Run a store action; a refusal or an outage is shown, and nothing on the page is lost."""
    try:
        action()
    except scenarios.ScenarioError as exc:
        text = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        if isinstance(exc, scenarios.Unavailable):
            text += " Your work is still on this page."
        st.error(md(text))


PICK = "studio_saved_pick"  # the scenario chosen in the list of saved scenarios
PICK_NEXT = "studio_saved_pick_next"  # ...on the next run (a widget's value is set before it)


def showing(ident: str, name: str | None = None) -> None:
    """Scenario ``ident`` is the open one: the list of saved scenarios, the address (so a
    reload reopens it) and the edit link still on screen follow it."""
    st.session_state[PICK_NEXT] = ident
    st.query_params["s"] = ident
    if "scenario" in st.query_params:
        del st.query_params["scenario"]
    fresh = st.session_state.get(FRESH)
    if name and fresh and fresh[0] == ident:
        st.session_state[FRESH] = (ident, name, fresh[2])


def _saved(saved: scenarios.Scenario, keys, say: Callable, verb: str = "Saved") -> None:
    st.session_state[keys.ID], st.session_state[keys.NAME] = saved.id, saved.name
    st.session_state[keys.VERSION] = saved.version
    showing(saved.id, saved.name)
    say(f"{verb} '{saved.name}' as version {saved.version}.")
    st.rerun()


def _create(store, scenario: scenarios.Scenario, keys, say: Callable) -> None:
    try:
        made, key = store.create(scenario)
    except scenarios.Conflict:
        other = store.find(" ".join(scenario.name.split()))
        if not editable(store, other):
            raise scenarios.Conflict(
                f"a scenario called '{scenario.name}' already exists and is not yours; choose "
                "another name"
            ) from None
        st.session_state[OVERWRITE] = (other, store.load(other).name)
        return
    keyring.keep_key(made.id, key)
    st.session_state[FRESH] = (made.id, made.name, key)
    _saved(made, keys, say)


def _ask_overwrite(store, scenario: scenarios.Scenario, keys, say: Callable) -> None:
    pending = st.session_state.get(OVERWRITE)
    if not pending:
        return
    other, name = pending
    st.warning(
        f"You already have a scenario called {md(name)}. Overwrite it with this one? Its "
        "earlier versions stay in its history."
    )
    yes, no = st.columns(2)
    if yes.button(f"Overwrite {md(name)}", width="stretch"):
        st.session_state.pop(OVERWRITE, None)
        newest = store.load(other).version
        _act(lambda: _update(store, other, _as(scenario, name), newest, keys, say))
    if no.button("Cancel", width="stretch"):
        st.session_state.pop(OVERWRITE, None)
        st.rerun()


def _show_fresh_key() -> None:
    fresh = st.session_state.get(FRESH)
    if not fresh:
        return
    ident, name, key = fresh
    st.success(
        f"**Your private edit link for {md(name)}.** Whoever has it can change or delete the "
        "scenario. This browser keeps the key for you; copy the link to edit from another "
        "browser. It is shown only now, and the server cannot show it again."
    )
    st.code(page_url(s=ident, key=key), language=None, wrap_lines=True)
    if st.button("I have kept it: hide the edit link"):
        st.session_state.pop(FRESH, None)
        st.rerun()


def share_panel(scenario: scenarios.Scenario, ident: str) -> None:
    """The short share link of a saved scenario; the self-contained link of what is on screen."""
    st.markdown("**Share**")
    if ident:
        st.code(page_url(s=ident), language=None)
        st.caption(
            "Opens the newest saved version, read-only for anyone without its edit key. Changes "
            "not yet saved are not in it."
        )
    else:
        st.caption("Save to get a short link.")
    with st.expander("Self-contained link (carries the lots; works on any Centrifuge server)"):
        st.code(page_url(scenario=scenarios.encode(scenario)), language=None, wrap_lines=True)


def open_panel(store, keys, start: Callable, say: Callable) -> None:
    """This browser's scenarios: open, rename, duplicate, delete (asked first), every version,
    and the trash."""
    held = keyring.held()
    entries = store.entries([*held["keys"], *held["links"]])
    if not entries:
        st.caption(
            "No saved scenarios in this browser yet: the ones you save, and the ones you open "
            "by a share link, are listed here."
        )
    else:
        _saved_list(store, entries, keys, start, say)
    _trash(store, keys, say)


def _saved_list(store, entries, keys, start: Callable, say: Callable) -> None:
    by_id = {e.id: e for e in entries}
    mine = {e.id for e in entries if editable(store, e.id)}
    labels = {
        i: f"{e.name} · {'yours' if i in mine else 'opened by link'} · version {e.version}, "
        f"{when(e.saved_at)}"
        for i, e in by_id.items()
    }
    chosen = st.session_state.pop(PICK_NEXT, None) or st.session_state.get(PICK)
    if chosen not in by_id:
        chosen = next(iter(by_id))
    # The browser shows a select box's old label while its value stays the same (a scenario
    # becomes "yours" once the keyring reports): a new set of labels makes a new box, which
    # starts on the scenario chosen before.
    digest = hashlib.sha256("\n".join(labels.values()).encode()).hexdigest()[:10]
    picked = st.selectbox(
        "Saved scenarios",
        list(by_id),
        index=list(by_id).index(chosen),
        format_func=labels.get,
        key=f"studio_saved_{digest}",
    )
    st.session_state[PICK] = picked
    entry, owner = by_id[picked], picked in mine
    actions = st.columns(4)
    if actions[0].button("Open", width="stretch"):
        found = store.load(picked)
        start(found.assignment, found.name, found.version, found.package_id, found.id)
        showing(found.id)
        st.rerun()
    new_name = st.text_input("New name (rename or duplicate)", key="studio_new_name")
    if actions[1].button("Rename", width="stretch", disabled=not owner) and new_name.strip():
        _act(lambda: _renamed(store.rename(picked, new_name, _key(picked)), picked, keys))
    if actions[2].button("Duplicate", width="stretch") and new_name.strip():
        _act(lambda: _duplicated(store, picked, new_name, keys, start, say))
    if actions[3].button("Delete", width="stretch", disabled=not owner):
        st.session_state[DELETE] = picked
    if not owner:
        st.caption("Opened by link: read-only. Duplicate it to make your own copy.")
    if st.session_state.get(DELETE) == picked:
        st.warning(
            f"Move {md(entry.name)} to the trash? You can restore it for "
            f"{scenarios.TRASH_DAYS} days; after that it is gone."
        )
        yes, no = st.columns(2)
        if yes.button(f"Yes, move {md(entry.name)} to the trash", width="stretch"):
            st.session_state.pop(DELETE, None)
            _act(lambda: _deleted(store, entry, keys, say))
        if no.button("Keep it", width="stretch"):
            st.session_state.pop(DELETE, None)
            st.rerun()
    _versions(store, entry, owner, keys, start, say)


def _renamed(new: str, ident: str, keys) -> None:
    if st.session_state[keys.ID] == ident:
        st.session_state[keys.NAME] = new
        showing(ident, new)
    st.rerun()


def _duplicated(store, ident: str, new_name: str, keys, start: Callable, say: Callable) -> None:
    copy, key = store.duplicate(ident, new_name)
    keyring.keep_key(copy.id, key)
    st.session_state[FRESH] = (copy.id, copy.name, key)
    start(copy.assignment, copy.name, copy.version, copy.package_id, copy.id)
    st.session_state[FRESH] = (copy.id, copy.name, key)  # start() cleared it
    showing(copy.id)
    say(f"Made '{copy.name}', a copy you own, and opened it.")
    st.rerun()


def _deleted(store, entry: scenarios.Entry, keys, say: Callable) -> None:
    store.delete(entry.id, _key(entry.id))
    if st.session_state[keys.ID] == entry.id:  # what is on screen stays, as unsaved work
        st.session_state[keys.ID], st.session_state[keys.VERSION] = "", 0
        if st.query_params.get("s") == entry.id:
            del st.query_params["s"]
    say(
        f"Moved '{entry.name}' to the trash. You can restore it for {scenarios.TRASH_DAYS} days "
        "(Trash, below)."
    )
    st.rerun()


def _versions(store, entry, owner: bool, keys, start: Callable, say: Callable) -> None:
    history = store.history(entry.id)
    if len(history) < 2:
        st.caption(f"One version, saved {when(history[0][1])}." if history else "")
        return
    version = st.selectbox(
        "A version",
        [v for v, _ in history],
        format_func=lambda v: next(f"version {v}, saved {when(t)}" for w, t in history if w == v),
        key="studio_version_pick",
    )
    pair = st.columns(2)
    if pair[0].button("Open this version", width="stretch"):
        old = store.load(entry.id, version)
        start(old.assignment, entry.name, history[0][0], old.package_id, entry.id)
        more = f" Save makes it version {history[0][0] + 1}." if owner else ""
        say(f"Opened version {version} of '{entry.name}'.{more}")
        st.rerun()
    if pair[1].button("Restore this version", width="stretch", disabled=not owner):
        _act(
            lambda: _saved(
                store.restore(entry.id, version, _key(entry.id)),
                keys,
                say,
                verb=f"Restored version {version} of",
            )
        )


def _trash(store, keys, say: Callable) -> None:
    binned = store.entries(list(keyring.held()["keys"]), trash=True)
    if not binned:
        return
    with st.expander(f"Trash ({len(binned)})"):
        for entry in binned:
            row = st.columns([3, 1])
            row[0].markdown(
                f"{md(entry.name)}, version {entry.version}: moved to the trash "
                f"{when(entry.deleted_at)}, kept until {when(entry.purge_at)}"
            )
            if row[1].button("Restore", key=f"studio_undelete_{entry.id}", width="stretch"):
                _act(lambda e=entry: _undeleted(store, e, keys, say))


def _undeleted(store, entry: scenarios.Entry, keys, say: Callable) -> None:
    store.undelete(entry.id, _key(entry.id))
    st.session_state[PICK_NEXT] = entry.id
    say(f"Restored '{entry.name}' from the trash.")
    st.rerun()
