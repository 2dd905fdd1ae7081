"""One organisation: its footprint on the map, the services and areas it holds, and totals."""

from __future__ import annotations

import contextlib
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import atlas, franchises, population, vintages
from dashboard.ui import cache, exports, maps, state
from dashboard.ui.text import md

state.init()
st.set_page_config(page_title="Organisations · Centrifuge")
st.title("Organisations")
st.caption("Pick a body to see where it runs which services, who it answers to, and the sources.")

loaded = cache.load_or_stop()
table, baseline = loaded.table, loaded.baseline

organisations = baseline.organisations.sort_values("name", key=lambda s: s.str.lower())
names = dict(zip(organisations["id"], organisations["name"], strict=True))
kinds = dict(zip(organisations["id"], organisations["kind"], strict=True))
wanted = st.session_state.get(state.ORGANISATION)
if wanted is not None and wanted not in names:
    st.warning(f"There is no organisation {md(wanted)} in the data.")
    wanted = None
if wanted is None:
    wanted = "police-metropolitan" if "police-metropolitan" in names else next(iter(names))
st.session_state[state.ORGANISATION] = wanted
chosen = st.selectbox(
    "Organisation",
    list(names),
    format_func=lambda i: f"{names[i]} ({franchises.KINDS.get(kinds[i], kinds[i])})",
    key=state.ORGANISATION,
)
st.query_params["org"] = chosen

held = atlas.footprint(baseline, chosen)
when = None  # the day shown, for a body that holds nothing today
if held.empty:
    theirs = baseline.holdings[baseline.holdings["holder_id"] == chosen]
    starts = sorted(d for d in theirs["since"] if d > date.today().isoformat())
    ends = sorted(d for d in theirs["until"] if d and d < date.today().isoformat())
    if starts and len(starts) == len(theirs):
        when = date.fromisoformat(starts[0])
    elif ends:
        when = date.fromisoformat(ends[-1])
    if when is not None:
        held = atlas.footprint(baseline, chosen, when)
        verb = "takes over on" if when > date.today() else "held its services until"
        first = held.iloc[0] if len(held) else None
        link = (
            f"/?service={first['service_id']}&area={first['area_code']}&on={when.isoformat()}"
            if first is not None
            else "/"
        )
        st.info(
            f"{md(names[chosen])} holds nothing today: it {verb} {vintages.long_date(when)}. "
            f"Below are its holdings on that day, on the "
            f"{vintages.for_day(vintages.clip(when)).name} boundaries; "
            f"[open the atlas on that day]({link}) to see them on the map."
        )
row = organisations.set_index("id").loc[chosen]
# A body of another day is drawn on that day's boundaries, with that day's areas.
on_its_day = contextlib.ExitStack()
if when is not None:
    on_its_day.enter_context(cache.pinned(when))
geometry = cache.geometry() if when is not None else loaded.geometry
table = cache.area_table() if when is not None else table
areas_held = sorted(set(held["area_code"]))
services_held = held.drop_duplicates("service_id")["service"].tolist()

top = st.columns(4)
top[0].metric("Areas", len(areas_held))
top[1].metric("Services", len(services_held))
top[2].metric("Holdings", len(held))
people, unknown = population.total(table.loc[table["code"].isin(areas_held), "population"])
top[3].metric(
    f"Residents ({unknown} area{'s' if unknown != 1 else ''} unknown)" if unknown else "Residents",
    "unknown" if people is None else f"{people:,}",
    help=f"Population of the areas it serves: {population.LABEL}.",
)
facts = [f"**Kind** {md(franchises.KINDS.get(row['kind'], row['kind']))}"]
if row["website"]:
    facts.append(f"**Website** {md(row['website'])}")
st.markdown(" · ".join(facts))
if row["notes"]:
    st.caption(md(row["notes"]))

paint = pd.DataFrame({"code": table["code"]})
counts = held.groupby("area_code")["service"].apply(lambda s: ", ".join(s))
paint["label"] = paint["code"].map(counts).fillna("")
paint["colour"] = paint["label"].map(lambda label: "#e15759" if label else maps.BASE_FILL)
paint["label"] = paint["label"].mask(paint["label"] == "", "not held")
maps.area_map(
    geometry,
    cache.paint(paint),
    key=state.ORG_MAP_KEY,
    height=520,
    label="Services",
    focus_on=maps.focus(areas_held, token=f"organisation:{chosen}"),
)
runs = "runs" if when is None else f"ran on {vintages.long_date(when)}"
if when is not None and when > date.today():
    runs = f"will run from {vintages.long_date(when)}"
st.caption(f"Red: areas where {md(names[chosen])} {runs} at least one service.")
exports.map_downloads(
    f"centrifuge-organisation-{chosen}",
    f"org={chosen}",
    colours=paint,
    title=f"{names[chosen]}: the areas it serves",
    legend_title="Services held",
)
on_its_day.close()

st.subheader("Services and areas")
area_names = dict(vintages.names())
area_names.update(zip(table["code"], table["name"], strict=True))
listing = held.assign(area=held["area_code"].map(area_names))[
    ["area", "area_code", "service", "since", "until", "accountable_to", "source"]
].rename(
    columns={
        "area": "Area",
        "area_code": "Code",
        "service": "Service",
        "since": "Since",
        "until": "Until",
        "accountable_to": "Answers to",
        "source": "Source",
    }
)
listing["Since"] = listing["Since"].replace("", "unknown")
listing["Until"] = listing["Until"].replace("", "no end date")
st.dataframe(listing, hide_index=True, width="stretch", height=420)
residents = dict(zip(table["code"], table["population"], strict=True))
by_service = held.groupby("service", sort=False)["area_code"].agg(
    Areas="nunique",
    Residents=lambda codes: population.describe(codes.map(residents)),
)
st.markdown("**By service**")
st.table(by_service.rename_axis("Service"))
