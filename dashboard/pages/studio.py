"""The studio: sketch packages of services over lots of areas; save, share and compare."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st

from dashboard import holdings, lots, population, scenarios
from dashboard.lots import Assignment, LotError
from dashboard.ui import cache, exports, keyring, maps, scenario_panel, studio_compare, studio_files
from dashboard.ui.text import md

STATE, REDO, ACTIVE = "studio_state", "studio_redo", "studio_active"
NAME, VERSION, STUDIO_MAP = "studio_name", "studio_version", "studio_map"
SCENARIO_ID = "studio_scenario_id"  # the open scenario's id in the store ("" if not saved)
PACKAGE, MESSAGE = "studio_package", "studio_message"
SHOWN = "studio_message_shown"  # the message on screen, kept through a run the keyring starts
PENDING = "studio_pending_package"  # set before the package widget exists on the next run
KEPT_PACKAGE, KEPT_SERVICES = "studio_package_kept", "studio_services_kept"
UNASSIGNED = "#fff1a8"
GROUPS = {
    "upper_tier": "County or unitary authority",
    "region": "Region",
    "police": "Police force area",
    "fire": "Fire and rescue area",
    "country": "Nation",
}

st.set_page_config(page_title="Studio · Centrifuge")
st.title("Studio")
st.caption(
    "Sketch how services could be re-bundled: pick a package of services, then put areas into "
    "lots, the units a franchiser would tender. Click areas on the map, add a whole county, "
    "region, police force area or nation at once, or edit the table. Save, share and compare."
)

loaded = cache.load_or_stop()
table, baseline = loaded.table, loaded.baseline

codes = table["code"].tolist()
names = dict(zip(table["code"], table["name"], strict=True))
store = scenario_panel.open_store()


def start(
    assignment: Assignment,
    name: str = "",
    version: int = 0,
    package: str | None = None,
    ident: str = "",
):
    """Begin editing ``assignment`` with no undo history (``ident``: its id in the store)."""
    a = assignment
    assignment = Assignment(a.lots, a.order, a.colours, a.locked)
    st.session_state[STATE] = assignment
    st.session_state[REDO] = []
    st.session_state[NAME] = name
    st.session_state[VERSION] = version
    st.session_state[SCENARIO_ID] = ident
    st.session_state.pop(scenario_panel.FRESH, None)
    if package:
        st.session_state[PENDING] = package
    st.session_state[ACTIVE] = assignment.order[0] if assignment.order else None


def edit(change) -> None:
    """Apply an edit; a refused edit becomes a message and changes nothing."""
    try:
        st.session_state[STATE] = change(st.session_state[STATE])
        st.session_state[REDO] = []
    except LotError as exc:
        st.session_state[MESSAGE] = str(exc)


if STATE not in st.session_state:
    start(Assignment().add_lot("Lot 1"), package="blue-light")
    ident, token = st.query_params.get("s"), st.query_params.get("scenario")
    if ident:
        try:
            if store is None:
                raise scenarios.ScenarioError("the scenario store is not answering")
            shared, said = scenario_panel.opened(store, ident, st.query_params.get("key"))
            start(shared.assignment, shared.name, shared.version, shared.package_id, shared.id)
            st.session_state[MESSAGE] = said
        except scenarios.ScenarioError as exc:
            st.session_state[MESSAGE] = f"The shared scenario could not be opened: {exc}"
        if "key" in st.query_params:
            del st.query_params["key"]  # out of the address bar, history and any copy of it
    elif token:
        try:
            shared = scenarios.decode(token, codes)
            start(shared.assignment, shared.name, 0, shared.package_id)
            st.session_state[MESSAGE] = f"Opened the shared scenario '{shared.name}'."
        except scenarios.ScenarioError as exc:
            st.session_state[MESSAGE] = f"The shared scenario could not be opened: {exc}"


# The edit keys this browser holds: always at this place (so it is never rebuilt), and after a
# link's key or id has been taken in above, so this run already hands them to the browser.
reported = keyring.sync()


def act_on_map() -> None:
    """A click or a drawing on the map, applied before anything is drawn so this run shows it."""
    action, active = maps.event(STUDIO_MAP), st.session_state.get(ACTIVE)
    if action is None or active not in st.session_state[STATE].order:
        return
    if action.kind == "click" and action.code in names:
        edit(lambda s: s.toggle(action.code, active))
    elif action.kind == "draw":
        inside = lots.covered(cache.projected_frame(), action.shape)
        edit(lambda s: s.assign(inside, active))
        st.session_state[MESSAGE] = (
            f"Added the {len(inside)} area{'s' if len(inside) != 1 else ''} the shape mostly "
            f"covers to {active}."
            if inside
            else "The shape does not cover at least half of any area; nothing was added."
        )


act_on_map()
state: Assignment = st.session_state[STATE]
notice = st.container()  # always there, so a message never shifts (and rebuilds) the map
if MESSAGE in st.session_state:
    st.session_state[SHOWN] = st.session_state.pop(MESSAGE)
elif not reported:  # a run the browser's keyring started keeps the message on screen
    st.session_state.pop(SHOWN, None)
if SHOWN in st.session_state:
    message = st.session_state[SHOWN]
    notice.info(md(message[:1].upper() + message[1:]))

packages = baseline.packages.groupby("package_id", sort=False)["service_id"].apply(list).to_dict()
package_names = dict(
    baseline.packages.drop_duplicates("package_id")[["package_id", "name"]].itertuples(index=False)
)
service_names = dict(zip(baseline.services["id"], baseline.services["name"], strict=True))


# Streamlit forgets a widget's value when its page is left: keep the package and its services
# apart, so coming back to the studio finds them as they were.
for widget, kept in ((PACKAGE, KEPT_PACKAGE), ("studio_services", KEPT_SERVICES)):
    if widget not in st.session_state and kept in st.session_state:
        st.session_state[widget] = st.session_state[kept]
if PENDING in st.session_state:
    pending = st.session_state.pop(PENDING)
    if pending in packages:
        st.session_state[PACKAGE] = pending
    elif pending.startswith("custom:"):
        st.session_state[PACKAGE] = "custom"
        try:
            st.session_state["studio_services"] = scenarios.services_of(baseline, pending)
        except scenarios.ScenarioError:
            st.session_state["studio_services"] = []
top = st.columns([2, 3])
choice = top[0].selectbox(
    "Package",
    [*packages, "custom"],
    format_func=lambda p: package_names.get(p, "Compose your own"),
    key=PACKAGE,
)
if choice == "custom":
    services = top[1].multiselect(
        "Services in the package",
        list(service_names),
        default=None
        if "studio_services" in st.session_state
        else ["council_tax", "housing_benefit", "universal_credit"],
        format_func=service_names.get,
        key="studio_services",
    )
else:
    services = packages[choice]
    top[1].markdown("**Services:** " + ", ".join(md(service_names.get(s, s)) for s in services))
package_id = choice if choice != "custom" else "custom:" + ",".join(services)
st.session_state[KEPT_PACKAGE] = choice
if choice == "custom":
    st.session_state[KEPT_SERVICES] = list(services)


# --- lots panel ---------------------------------------------------------------------------
panel, map_col = st.columns([1.2, 3])
with panel:
    st.markdown("**Lots**")
    if state.order:
        # A short list of lots reads best as radio buttons; a long one as a searchable box.
        picker = st.radio if len(state.order) <= 12 else st.selectbox
        active = picker(
            "Active lot (clicks and group adds go here)",
            list(state.order),
            index=list(state.order).index(st.session_state.get(ACTIVE))
            if st.session_state.get(ACTIVE) in state.order
            else 0,
            # Radio labels are markdown (a lot named "[x](http://…)" would be a link): escaped.
            format_func=lambda n: (
                f"{md(n) if picker is st.radio else n} ({len(state.areas_of(n))} "
                f"area{'' if len(state.areas_of(n)) == 1 else 's'})"
                + (" 🔒" if n in state.locked else "")
            ),
        )
        st.session_state[ACTIVE] = active
    else:
        active = None
        st.caption("No lots yet: add one.")
    with st.popover("Start from one lot per…", width="stretch"):
        per = st.selectbox("Group", list(GROUPS), format_func=GROUPS.get, key="studio_per")
        if st.button("Make the lots", help="Replaces every unlocked lot"):
            edit(lambda s: lots.one_per_group(s, cache.groups(), per))
            st.session_state[ACTIVE] = None
            st.rerun()
    with st.form("add_lot", border=False, clear_on_submit=True):
        new_name = st.text_input("New lot", placeholder="e.g. North East blue light")
        if st.form_submit_button("Add lot") and new_name.strip():
            edit(lambda s: s.add_lot(new_name))
            st.session_state[ACTIVE] = lots.clean_name(new_name) if new_name.strip() else None
            st.rerun()
    buttons = st.columns(3)
    if buttons[0].button("Undo", disabled=state.parent is None, width="stretch"):
        st.session_state[REDO] = [*st.session_state[REDO], state]
        st.session_state[STATE] = lots.undo(state)
        st.rerun()
    if buttons[1].button("Redo", disabled=not st.session_state[REDO], width="stretch"):
        *rest, last = st.session_state[REDO]
        st.session_state[REDO] = rest
        st.session_state[STATE] = last
        st.rerun()
    if buttons[2].button("Clear", width="stretch", help="Empty every unlocked lot"):
        edit(lambda s: s.clear())
        st.rerun()
    if active is not None:
        with st.expander(f"Edit {md(active)}"):
            renamed = st.text_input("Name", value=active, key=f"rename_{active}")
            colour = st.color_picker("Colour", value=state.colours.get(active, "#4e79a7"))
            locked = st.toggle("Locked", value=active in state.locked)
            row = st.columns(2)
            if row[0].button("Apply", width="stretch"):

                def change(s, renamed=renamed, colour=colour, locked=locked):
                    s = s.lock(active, False) if active in s.locked else s
                    s = s.recolour(active, colour).rename(active, renamed)
                    return s.lock(lots.clean_name(renamed), locked)

                edit(change)
                st.session_state[ACTIVE] = " ".join(renamed.split()) or active
                st.rerun()
            if row[1].button("Delete lot", width="stretch"):
                edit(lambda s: s.remove_lot(active))
                st.rerun()
        kind = st.selectbox("Add a whole group", list(GROUPS), format_func=GROUPS.get)
        options = sorted(g for g in cache.groups()[kind].unique() if g)
        group = st.selectbox("Which", options, key=f"studio_group_{kind}")
        if st.button(f"Add to {md(active)}", width="stretch"):
            members = cache.groups().loc[lambda g: g[kind] == group, "code"].tolist()
            edit(lambda s: s.assign(members, active))
            st.rerun()

# --- map ------------------------------------------------------------------------------------
paint = pd.DataFrame({"code": codes})
paint["label"] = paint["code"].map(lambda c: state.lot_of(c) or "Unassigned")
paint["colour"] = paint["label"].map(lambda n: state.colours.get(n, UNASSIGNED))
with map_col:
    maps.area_map(
        loaded.geometry, cache.paint(paint), key=STUDIO_MAP, height=560, label="Lot", draw=True
    )
    exports.map_downloads(
        "centrifuge-studio-lots",
        lots={n: (state.colours.get(n, UNASSIGNED), state.areas_of(n)) for n in state.order},
        title=f"{st.session_state[NAME] or 'Untitled scenario'}: lots",
        note="A sketch made in the Centrifuge studio: lots are proposals, not today's holders.",
    )
    st.caption(
        "Yellow: not in any lot yet. Click an area to add it to, or take it out of, the active "
        "lot. Or draw a rectangle or polygon (tools on the left of the map): every area it "
        "mostly covers (at least half of the area's land) joins the active lot."
    )

# --- tallies and rules ----------------------------------------------------------------------
current = holdings.current(baseline)
package_holders = current[current["service_id"].isin(services)][["area_code", "service", "holder"]]
tally = lots.tallies(
    state, cache.projected_frame(), cache.groups(), package_holders, cache.links(), names
)
st.subheader("Lots at a glance")
left = lots.unassigned(state, codes)
if left:
    st.warning(f"{len(left)} of {len(codes)} areas are in no lot (yellow on the map).")
for message in tally.loc[~tally["contiguous"], "rule"] if len(tally) else []:
    st.warning(md(message))
if len(tally):
    shown = tally.assign(
        people=[
            population.words(known, unknown)
            for known, unknown in zip(tally["population"], tally["population_unknown"], strict=True)
        ]
    )
    shown = (
        shown[["lot", "areas", "people", *tally.columns[2:]]]
        .rename(
            columns={
                "lot": "Lot",
                "areas": "Areas",
                "people": "Population",
                "holders_replaced": "Holders replaced",
                "contiguous": "Contiguous",
                "compactness": "Compactness",
                "police_areas_touched": "Police areas",
                "police_areas_split": "…split",
                "fire_areas_touched": "Fire areas",
                "fire_areas_split": "…split ",
                "upper_tiers_touched": "Upper tiers",
                "upper_tiers_split": "…split  ",
                "nations_touched": "Nations",
            }
        )
        .drop(columns=["population", "population_unknown", "rule", "nations_split"])
    )
    # The lot's colour on the map as a swatch, then its whole name: pinned and wide (long names
    # were cut off).
    swatches = [state.colours.get(lot, UNASSIGNED) for lot in shown["Lot"]]
    shown.insert(0, "Key", "")
    st.dataframe(
        shown.style.set_uuid("studio_lots").apply(
            lambda column: (
                [f"background-color: {c}" for c in swatches]
                if column.name == "Key"
                else [""] * len(column)
            ),
            axis=0,
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Key": st.column_config.TextColumn(width=40, pinned=True, help="Its colour on the map"),
            "Lot": st.column_config.TextColumn(width="large", pinned=True),
        },
    )
    st.caption(
        "Holders replaced: different organisations running the package's services in the lot "
        "today. Compactness: Polsby–Popper, 1 for a circle. Islands count as joined to the "
        f"nearest area across the water. Population: {population.LABEL}."
    )

with st.expander("Edit lots as a table (keyboard friendly)"):
    grid = pd.DataFrame(
        {
            "Code": codes,
            "Area": [names[c] for c in codes],
            "Lot": [state.lot_of(c) or "" for c in codes],
        }
    )
    edited = st.data_editor(
        grid,
        hide_index=True,
        width="stretch",
        disabled=["Code", "Area"],
        column_config={"Lot": st.column_config.SelectboxColumn(options=["", *state.order])},
        key="studio_table",
    )
    if st.button("Apply table changes"):
        changed = edited[edited["Lot"].fillna("") != grid["Lot"]]

        def apply_table(s, changed=changed):
            for lot_name, rows in changed.groupby(changed["Lot"].fillna("")):
                s = s.assign(rows["Code"].tolist(), lot_name or None)
            return s

        edit(apply_table)
        st.rerun()

# --- save, share, import, export, compare -----------------------------------------------------
st.subheader("Save, share and compare")
scenario = scenarios.Scenario(
    st.session_state[NAME] or "Untitled", package_id, state, st.session_state[VERSION]
)
save_col, open_col = st.columns(2)
keys = SimpleNamespace(ID=SCENARIO_ID, NAME=NAME, VERSION=VERSION)


def say(message: str) -> None:
    st.session_state[MESSAGE] = message


with save_col:
    if store is not None:
        try:
            scenario_panel.save_panel(store, scenario, keys, say)
        except scenarios.ScenarioError as exc:
            st.error(f"Saving is unavailable: {md(exc)}.")
    scenario_panel.share_panel(scenario, st.session_state[SCENARIO_ID])
with open_col:
    if store is not None:
        try:
            scenario_panel.open_panel(store, keys, start, say)
        except scenarios.ScenarioError as exc:
            st.error(f"Saved scenarios are unavailable: {md(exc)}.")

studio_files.files_section(
    scenario,
    state,
    SimpleNamespace(STATE=STATE, NAME=NAME, MESSAGE=MESSAGE),
    start,
    tally,
    package_holders,
)
studio_compare.compare_section(
    store, state, st.session_state[SCENARIO_ID], services, paint, tally, current
)
