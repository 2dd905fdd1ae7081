"""Tables built from holdings for the area card: pure functions the pages render."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard import franchises
from dashboard.holdings import Holding
from dashboard.ui.text import md

HOLDER_COLUMNS = ["Service", "Holder", "Kind", "Since", "Until", "Answers to", "Ref"]


def holders_frame(held: list[Holding]) -> pd.DataFrame:
    """One row per service, as users read it: unknown dates say so, kinds in words, and a
    reference number into :func:`sources_frame`."""
    return pd.DataFrame(
        [
            {
                "Service": h.service,
                "Holder": h.holder,
                "Kind": franchises.KINDS.get(h.holder_kind, h.holder_kind),
                "Since": h.since or "unknown",
                "Until": h.until or "no end date",
                "Answers to": h.accountable_to or "unknown",
                "Ref": f"[{i}]",
            }
            for i, h in enumerate(held, 1)
        ],
        columns=HOLDER_COLUMNS,
    )


_URL = re.compile(
    r"^https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[A-Za-z0-9._~%!$&'*+,;=:@/\-]*)?(?:\?[A-Za-z0-9._~%!$&'*+,;=:@/?\-]*)?$"
)


def link_or_text(source: str) -> str:
    """Markdown for a source: a link when the whole source is a plain http(s) URL, else text."""
    if _URL.match(source) and "(" not in source and ")" not in source:
        return f"[{md(source)}]({source})"
    return md(source)


def sources_markdown(held: list[Holding]) -> str:
    """The numbered sources under the card, as markdown with every data string escaped."""
    lines = []
    for i, h in enumerate(held, 1):
        note = f" *Note:* {md(h.notes)}" if h.notes else ""
        lines.append(
            f"{i}. **{md(h.service)}**: {link_or_text(h.source)} (checked {md(h.checked)}).{note}"
        )
    return "\n".join(lines)


def legend_columns(title: str = "Holder") -> dict:
    """Column settings for :func:`legend_styler`'s table, whose label column is ``title``."""
    return {
        "Colour": st.column_config.TextColumn(" ", width=28),
        "Areas": st.column_config.NumberColumn(width=52),
        title: st.column_config.TextColumn(width="medium"),
        "Population": st.column_config.TextColumn(
            width="small", help="ONS mid-2023 estimates; areas without a figure are counted apart"
        ),
    }


def show_legend(legend: pd.DataFrame, title: str = "Holder", max_height: int = 560) -> None:
    """The legend table (see :func:`legend_styler`), as tall as its rows up to ``max_height``."""
    st.dataframe(
        legend_styler(legend, title),
        hide_index=True,
        width="stretch",
        height=min(max_height, 38 + 35 * len(legend)),
        column_config=legend_columns(title),
    )


def legend_styler(legend: pd.DataFrame, title: str = "Holder") -> Styler:
    """The legend as a table: a swatch cell in each row's colour, the label (headed
    ``title``), its areas and their population where known."""
    shown = pd.DataFrame(
        {
            "Colour": "",
            title: legend["label"],
            "Areas": legend["areas"],
            "Population": legend["people"],
        },
    )
    colours = legend["colour"].tolist()
    # A fixed uuid: the same legend serialises to the same bytes, so Streamlit sends it once.
    return shown.style.set_uuid("legend").apply(
        lambda column: (
            [f"background-color: {c}" for c in colours]
            if column.name == "Colour"
            else [""] * len(column)
        ),
        axis=0,
    )


TWIN_COLUMNS = {
    "area_code": "Code",
    "area_name": "Area",
    "country": "Country",
    "service": "Service",
    "holder": "Holder",
    "holder_kind": "Kind",
    "accountable_to": "Answers to",
    "since": "Since",
    "until": "Until",
    "source": "Source",
    "checked": "Checked",
    "notes": "Notes",
    "band_d_2025_26": "Band D 2025-26 (£)",
    "band_d_2026_27": "Band D 2026-27 (£)",
}


def table_twin(long: pd.DataFrame) -> pd.DataFrame:
    """The map view as a table users can sort and search: kinds in words, unknowns named."""
    shown = long[list(TWIN_COLUMNS)].rename(columns=TWIN_COLUMNS)
    shown["Kind"] = shown["Kind"].map(lambda k: franchises.KINDS.get(k, k))
    shown["Since"] = shown["Since"].replace("", "unknown")
    shown["Until"] = shown["Until"].replace("", "no end date")
    for column in ("Band D 2025-26 (£)", "Band D 2026-27 (£)"):
        shown[column] = shown[column].map(lambda v: "unknown" if pd.isna(v) else f"{v:,.2f}")
    return shown
