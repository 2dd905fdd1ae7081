"""The simulator page's settings in the session and the URL, its charts and its legends."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import atlas, population
from dashboard import simulation as sim
from dashboard.simulation import settings as spec
from dashboard.ui import cards

#: The settings the page's form sets, as the URL names them (Setting B adds ``b_``).
FORM = [
    "term",
    "failure_tolerance",
    "incumbent_advantage",
    "price_weight",
    "local_voice",
    "spec",
    "challengers",
    "entry_rate",
]
SETTINGS = "sim_settings"  # session: {"A": Settings, "B": Settings | None, "seed", "runs"}
RESULTS = "sim_results"
STARTING = {"A": sim.Settings(term=3), "B": sim.Settings(term=10)}


def preset_from_url(keys) -> str:
    """The history preset a link names ("" for none, or when it names none we know)."""
    wanted = st.query_params.get("preset", "")
    return wanted if wanted in keys else ""


def presets(preset: str = "", start: sim.Settings | None = None) -> tuple[dict, list[str]]:
    """The form's starting values: the last run's (they survive leaving the page), else the
    URL's (a shared link), else ``start`` (a history preset's settings, or the defaults); and
    a sentence for each URL value refused."""
    saved = st.session_state.get(SETTINGS)
    if saved is not None and saved.get("preset", "") == preset:
        return saved, []
    problems: list[str] = []
    first = {"A": start or STARTING["A"], "B": start.replace(term=10) if start else STARTING["B"]}
    chosen = {"A": first["A"], "B": None, "seed": 1, "runs": 20, "preset": preset}
    params = st.query_params if saved is None else {}
    for label, prefix in (("A", ""), ("B", "b_")):
        base = first[label]
        changes = {}
        for name in FORM:
            raw = params.get(prefix + name)
            if raw is None:
                continue
            try:
                changes[name] = spec.coerce(name, _parse(name, raw[:40]))
                base.replace(**changes).check()
            except (ValueError, spec.SettingsError) as exc:
                changes.pop(name, None)
                problems.append(f"{prefix}{name}: {exc}")
        if label == "A" or params.get("compare") == "1":
            chosen[label] = base.replace(**changes)
    for name, low, high in (("seed", 0, 10**9), ("runs", 1, 200)):
        raw = params.get(name)
        if raw is not None:
            if raw.isdigit() and low <= int(raw) <= high:
                chosen[name] = int(raw)
            else:
                problems.append(f"{name}: must be a whole number from {low} to {high}")
    return chosen, problems


def _parse(name: str, raw: str):
    kind = spec.SPEC[name][1]
    if kind is str:
        return raw
    try:
        return int(raw) if kind is int else float(raw)
    except ValueError:
        raise spec.SettingsError(f"{name} must be a number") from None


MAX_SETTINGS_FILE = 64_000


def read_upload(upload) -> tuple[sim.Settings | None, str | None]:
    """A newly uploaded settings file's settings, or the problem with it (each file once)."""
    if upload is None or st.session_state.get("sim_settings_file_seen") == upload.file_id:
        return None, None
    st.session_state["sim_settings_file_seen"] = upload.file_id
    data = upload.getvalue()
    if not data.strip():
        return None, "the file is empty"
    if len(data) > MAX_SETTINGS_FILE:
        return None, f"the file is larger than {MAX_SETTINGS_FILE // 1000} kB"
    try:
        settings = spec.from_toml(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "the file is not UTF-8 text"
    except spec.SettingsError as exc:
        return None, str(exc)
    if settings.lots.endswith(".json") or settings.values:
        return None, "lots and values name files on a computer; load the scenario in the studio"
    return settings, None


def from_url() -> bool:
    """Whether the URL names a run (a shared link that should run on opening)."""
    return any(name in st.query_params for name in [*FORM, "seed", "runs", "preset"])


def remember(chosen: dict) -> None:
    """Keep the run's settings for this session, and write them into the URL."""
    st.session_state[SETTINGS] = chosen
    write_url()


def write_url() -> None:
    """The last run's settings into the URL (navigation drops them), so a link reruns it."""
    chosen = st.session_state.get(SETTINGS)
    if chosen is None:
        return
    params = {"seed": str(chosen["seed"]), "runs": str(chosen["runs"])}
    if chosen.get("preset"):
        params["preset"] = chosen["preset"]
    for label, prefix in (("A", ""), ("B", "b_")):
        settings = chosen[label]
        if settings is None:
            continue
        for name in FORM:
            value = getattr(settings, name)
            params[prefix + name] = f"{value:g}" if isinstance(value, float) else str(value)
    if chosen["B"] is not None:
        params["compare"] = "1"
    st.query_params.from_dict(params)


#: Each chart: its figure, title, y-axis title with units, and whether it is a share.
CHARTS = [
    ("incumbent_share", "Share held by today's holders", "Share of area-services", True),
    (
        "incumbent_share_population",
        "…weighted by residents (England and Wales)",
        "Share of residents",
        True,
    ),
    ("distinct_holders", "Distinct holders", "Organisations", False),
    ("owning_groups", "Owning groups of the firms", "Groups holding lots", False),
    ("bids_per_tender", "Bids per tender", "Bids", False),
    ("hhi", "Concentration (HHI, within each service)", "HHI (0–1)", False),
    (
        "fragmentation",
        "Organisations a resident deals with (mean over areas)",
        "Organisations",
        False,
    ),
    ("tenders", "Tenders a year", "Units tendered", False),
    ("terminations", "Franchises ended early a year", "Units", False),
    ("cost_index", "Cost index (today = 1)", "Share of today's cost", False),
]


def chart(long: pd.DataFrame, metric: str, title: str, axis: str, share: bool) -> alt.Chart:
    """The median line of each setting with its 10–90% band; the legend shows the lines."""
    data = long[long["metric"] == metric]
    colours = alt.Scale(domain=["Setting A", "Setting B"], range=["#c0392b", "#2c5aa0"])
    base = alt.Chart(data).encode(x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")))
    fmt = ".0%" if share else ",.2~f"
    band = base.mark_area(opacity=0.18).encode(
        y=alt.Y("low:Q", title=axis, axis=alt.Axis(format=fmt)),
        y2="high:Q",
        color=alt.Color("setting:N", scale=colours, legend=None),
    )
    line = base.mark_line(strokeWidth=2.5).encode(
        y=alt.Y("value:Q", title=axis, scale=alt.Scale(zero=False)),
        color=alt.Color("setting:N", scale=colours, title=None, legend=alt.Legend(orient="top")),
        tooltip=[
            alt.Tooltip("setting:N", title="Setting"),
            alt.Tooltip("year:Q", title="Year"),
            alt.Tooltip("value:Q", title="Median", format=fmt),
            alt.Tooltip("low:Q", title="10%", format=fmt),
            alt.Tooltip("high:Q", title="90%", format=fmt),
        ],
    )
    return (band + line).properties(title=title, height=220)


NAMES = {
    "term": "Term (years)",
    "failure_tolerance": "Failure tolerance",
    "incumbent_advantage": "Incumbent advantage",
    "price_weight": "Price weight",
    "local_voice": "Local voice",
    "challengers": "Challengers at the start",
    "entry_rate": "New challengers a year",
    "direct_award_share": "Share of re-lets directly awarded",
    "merger_rate": "Merger rate",
}


def phase_chart(frame: pd.DataFrame, first: str, second: str | None, figure: str) -> alt.Chart:
    """A heat map of ``figure`` over two swept settings (or a line with its band over one),
    the band in the tooltip."""
    title, axis, share = next((t, a, s) for m, t, a, s in CHARTS if m == figure)
    fmt = ".0%" if share else ",.2~f"
    tooltip = [
        alt.Tooltip(f"{figure}:Q", title="Median", format=fmt),
        alt.Tooltip(f"{figure}_p10:Q", title="10%", format=fmt),
        alt.Tooltip(f"{figure}_p90:Q", title="90%", format=fmt),
    ]
    x = alt.X(f"{first}:O", title=NAMES.get(first, first), axis=alt.Axis(labelAngle=0))
    if second is None:
        base = alt.Chart(frame).encode(x=x)
        band = base.mark_area(opacity=0.2, color="#c0392b").encode(
            y=alt.Y(f"{figure}_p10:Q", title=axis, axis=alt.Axis(format=fmt)),
            y2=f"{figure}_p90:Q",
        )
        line = base.mark_line(point=True, color="#c0392b").encode(
            y=alt.Y(f"{figure}:Q", title=axis), tooltip=[alt.Tooltip(f"{first}:O"), *tooltip]
        )
        return (band + line).properties(title=title, height=300)
    cells = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=x,
            y=alt.Y(f"{second}:O", title=NAMES.get(second, second), sort="descending"),
            color=alt.Color(
                f"{figure}:Q",
                title=axis,
                scale=alt.Scale(scheme="reds"),
                legend=alt.Legend(format=fmt),
            ),
            tooltip=[alt.Tooltip(f"{first}:O"), alt.Tooltip(f"{second}:O"), *tooltip],
        )
    )
    text = (
        alt.Chart(frame)
        .mark_text(fontSize=12)
        .encode(
            x=x,
            y=alt.Y(f"{second}:O", sort="descending"),
            text=alt.Text(f"{figure}:Q", format=fmt),
            color=alt.value("#1b1b1b"),
        )
    )
    return (cells + text).properties(title=title, height=320)


def legend(frame: pd.DataFrame, title: str, order_by_key: bool = False) -> None:
    """A legend table for a map frame (code, key, label, colour): swatch, label, areas and
    residents where known."""
    table = atlas.legend(population.attach(frame))
    if order_by_key:
        table = table.sort_values("key", kind="stable").reset_index(drop=True)
    cards.show_legend(table, title, max_height=420)


def headline(label: str, result: dict, year: int, runs: int) -> str:
    """The year's figures for one setting: medians over the runs, with their 10–90% band."""
    row = next(r for r in result["rows"] if r["year"] == year)
    settings = result["settings"]
    text = (
        f"**Setting {label}** (term {settings.term}, tolerance {settings.failure_tolerance:g}) "
        f"in {year}: incumbents hold {row['incumbent_share']:.0%} of area-services"
    )
    if row["incumbent_share_population"] is not None:
        text += f" ({row['incumbent_share_population']:.0%} weighted by residents, where known)"
    text += f"; {row['distinct_holders']:.0f} holders."
    if runs > 1:
        text += (
            f" Medians of {runs} runs; 10–90% band {row['incumbent_share_p10']:.0%}–"
            f"{row['incumbent_share_p90']:.0%} of area-services and "
            f"{row['distinct_holders_p10']:.0f}–{row['distinct_holders_p90']:.0f} holders."
        )
    first = result["rows"][0]
    if row.get("elected_share_population") is not None:
        text += (
            " Residents whose service is run by a body they elect (their council or mayor): "
            f"{row['elected_share_population']:.0%}, against "
            f"{first['elected_share_population']:.0%} in {first['year']}; under a franchise the "
            "rest answer to the franchiser, through the contract."
        )
    return text


def money_table(by: dict, year: int, first_year: int) -> pd.DataFrame:
    """The £ figures of each setting in ``year``, and summed from ``first_year``: medians with
    their 10–90% bands, one column per setting."""
    columns = {}
    for label, result in by.items():
        row = next(r for r in result["rows"] if r["year"] == year)
        moved = {k: next(m for m in v if m["year"] == year) for k, v in result["moved"].items()}

        def band(name: str, source: dict = row) -> str:
            low, high = source.get(f"{name}_p10"), source.get(f"{name}_p90")
            value = pounds(source[name])
            return value if low is None else f"{value} ({pounds(low)} to {pounds(high)})"

        def summed(entry: dict) -> str:
            if entry["median"] is None:
                return "unknown"
            low, high = pounds(entry["p10"]), pounds(entry["p90"])
            return f"{pounds(entry['median'])} ({low} to {high})"

        columns[f"Setting {label}"] = {
            f"Spend in {year}": band("spend_gbp"),
            f"Saved in {year} against today": band("savings_gbp"),
            f"Cost of changing hands in {year}": band("transition_cost_gbp"),
            f"Cost of ending franchises early in {year}": band("termination_cost_gbp"),
            f"At stake in {year}: units ended early or run by the state": band("at_stake_gbp"),
            f"Cost of changing hands, {first_year}–{year}": summed(moved["transition_cost_gbp"]),
            f"Cost of ending early, {first_year}–{year}": summed(moved["termination_cost_gbp"]),
        }
    return pd.DataFrame(columns)


def money_by_service(by: dict, year: int, names: dict[str, str]) -> pd.DataFrame:
    """Per service: what it costs today and, per setting, in ``year`` (medians over runs)."""
    first = next(iter(by.values()))["rows"]
    today = first[0]["spend_by_service"]
    table = {
        "Service": [names.get(s, s) for s in today],
        "Today": [pounds(v) for v in today.values()],
    }
    for label, result in by.items():
        row = next(r for r in result["rows"] if r["year"] == year)
        spend = row["spend_by_service"]
        table[f"Setting {label}, {year}"] = [pounds(spend.get(s)) for s in today]
        table[f"Saved, setting {label}"] = [
            pounds(today[s] - spend[s]) if s in spend else "unknown" for s in today
        ]
    return pd.DataFrame(table)


def pounds(value: float | None) -> str:
    """£ in words a reader can take in: £1.2bn, £350m, unknown."""
    if value is None:
        return "unknown"
    sign = "−" if value < 0 else ""
    value = abs(value)
    if value >= 1e9:
        return f"{sign}£{value / 1e9:,.2f}bn"
    return f"{sign}£{value / 1e6:,.0f}m"
