"""Tables built from holdings for the area card: pure functions the pages render."""

from __future__ import annotations

import re
from datetime import date
from html import escape
from urllib.parse import quote

import pandas as pd
import streamlit as st

from dashboard import citations, franchises
from dashboard.holdings import Holding
from dashboard.ui.text import md

HOLDER_COLUMNS = ["Service", "Holder", "Kind", "Since", "Until", "Answers to", "Ref"]


def until_text(h: Holding, after=None, names: dict[str, str] | None = None) -> str:
    """The card's Until: "31 Mar 2027; then West Surrey Council", "no end date" (``after``: a
    :class:`holdings.Next`; ``names``: area names by code)."""
    if not h.until:
        return "no end date"
    then = f"; {after.describe(h, names)}" if after else ""
    return f"{readable_date(h.until)}{then}"


def holders_frame(
    held: list[Holding], after: dict | None = None, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per service, as users read it: unknown dates say so, kinds in words, who comes
    next where a holding ends (``after``, by service id: see :func:`holdings.next_holder`),
    and a reference number into :func:`sources_frame`."""
    after = after or {}
    return pd.DataFrame(
        [
            {
                "Service": h.service,
                "Holder": h.holder,
                "Kind": franchises.KINDS.get(h.holder_kind, h.holder_kind) or "unknown",
                "Since": readable_date(h.since) or "unknown",
                "Until": until_text(h, after.get(h.service_id), names),
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


def readable_date(iso: str) -> str:
    """An ISO date as people read it, held together so it never wraps: "1\u00a0Apr\u00a01996"."""
    try:
        moment = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    return f"{moment.day}\u00a0{moment:%b}\u00a0{moment.year}"


def linked_source(source: str) -> str:
    """Markdown for a source: each piece of legislation it cites linked to legislation.gov.uk
    where its address is confirmed, a whole-URL source linked, everything else escaped text."""
    if _URL.match(source) and "(" not in source and ")" not in source:
        return link_or_text(source)
    return "".join(_spaced(words, url) for words, url in citations.pieces(source))


def _spaced(words: str, url: str) -> str:
    """One piece of a source as markdown, keeping the spaces around it (md() trims them)."""
    before = " " if words[:1].isspace() else ""
    after = " " if words[-1:].isspace() else ""
    body = f"[{md(words)}]({url})" if url else md(words)
    return f"{before}{body}{after}"


def sources_markdown(held: list[Holding]) -> str:
    """The numbered sources under the card, as markdown with every data string escaped; each
    holder links to its organisation page."""
    lines = []
    for i, h in enumerate(held, 1):
        note = f" *Note:* {md(h.notes)}" if h.notes else ""
        holder = (
            f"[{md(h.holder)}](organisations?org={quote(h.holder_id, safe='')})"
            if h.holder_id
            else md(h.holder)
        )
        lines.append(
            f"{i}. **{md(h.service)}**, {holder}: {linked_source(h.source)} "
            f"(checked {md(h.checked)}).{note}"
        )
    return "\n".join(lines)


def card_table(
    held: list[Holding],
    area: str,
    code: str,
    as_of: date | None = None,
    vintage: str = "",
    after: dict | None = None,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The card as a download: one row per service, with the area, dates as ISO dates (empty
    when unknown or open), the kind in words, the source, and (given them) the day it answers
    for, its boundaries' vintage and what comes next where a holding ends."""
    after = after or {}
    frame = pd.DataFrame(
        [
            {
                "area_code": code,
                "area_name": area,
                "service": h.service,
                "holder": h.holder,
                "holder_kind": franchises.KINDS.get(h.holder_kind, h.holder_kind),
                "since": h.since or "unknown",
                "until": h.until or "no end date",
                "accountable_to": h.accountable_to or "unknown",
                "source": h.source,
                "checked": h.checked,
                "notes": h.notes,
                "then": (
                    f"from {nxt.day}: {nxt.describe(h, names)}"
                    if (nxt := after.get(h.service_id))
                    else ""
                ),
            }
            for h in held
        ]
    )
    if as_of is not None:
        frame["as_of"] = as_of.isoformat()
        frame["vintage"] = vintage
    return frame


def show_legend(legend: pd.DataFrame, title: str = "Holder", max_height: int = 560) -> None:
    """The legend as a table a reader and a screen reader can use: a swatch, a number (the map
    export labels each holder's territory with it), the whole name wrapped, never cut, its
    areas and their population. Every name is HTML-escaped."""
    st.html(legend_html(legend, title, max_height))


def legend_html(legend: pd.DataFrame, title: str = "Holder", max_height: int = 560) -> str:
    rows = "".join(
        "<tr>"
        f'<td><span class="swatch" style="background:{escape(str(r.colour))}"></span></td>'
        f'<td class="num">{i}</td>'
        f'<td title="{escape(str(r.label))}">{escape(str(r.label))}</td>'
        f'<td class="num">{int(r.areas):,}</td>'
        f"<td>{escape(str(r.people))}</td>"
        "</tr>"
        for i, r in enumerate(legend.itertuples(index=False), 1)
    )
    return (
        f'<div class="legend" style="max-height:{max_height}px" tabindex="0" role="region" '
        f'aria-label="Key to the map">'
        f"<table><caption>Key: {len(legend)} row{'s' if len(legend) != 1 else ''}</caption>"
        f'<thead><tr><th scope="col"><span class="visually-hidden">Colour</span></th>'
        f'<th scope="col">No.</th><th scope="col">{escape(title)}</th>'
        f'<th scope="col">Areas</th><th scope="col">Population</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        f"<style>{LEGEND_CSS}</style>"
    )


LEGEND_CSS = """
.legend { overflow-y: auto; font-size: 0.875rem; }
.legend table { border-collapse: collapse; width: 100%; }
.legend caption { text-align: left; color: #555; padding-bottom: 0.25rem; }
.legend th { text-align: left; font-weight: 600; border-bottom: 1px solid #ccc; padding: 2px 4px; }
.legend td { vertical-align: top; padding: 2px 4px; border-bottom: 1px solid #eee;
  overflow-wrap: anywhere; }
.legend td.num { text-align: right; white-space: nowrap; }
.legend .swatch { display: inline-block; width: 1.1rem; height: 1.1rem; border-radius: 2px;
  border: 1px solid #fff; outline: 1px solid #888; vertical-align: middle; }
.legend .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
"""


TWIN_COLUMNS = {
    "area_code": "Code",
    "area_name": "Area",
    "country": "Country",
    "population": "Population",
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
    """The map view as a table users can sort and search (kinds in words and unknowns named, as
    :func:`dashboard.atlas.export_table` gives them)."""
    shown = long[list(TWIN_COLUMNS)].rename(columns=TWIN_COLUMNS)
    shown["Population"] = shown["Population"].map(lambda v: "unknown" if pd.isna(v) else f"{v:,}")
    for column in ("Band D 2025-26 (£)", "Band D 2026-27 (£)"):
        shown[column] = shown[column].map(lambda v: "unknown" if pd.isna(v) else f"{v:,.2f}")
    return shown
