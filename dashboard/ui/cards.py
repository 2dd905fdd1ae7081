"""Tables built from holdings for the area card: pure functions the pages render."""

from __future__ import annotations

import pandas as pd

from dashboard import franchises
from dashboard.holdings import Holding

HOLDER_COLUMNS = ["Service", "Holder", "Kind", "Since", "Until", "Answers to", "Ref"]
SOURCE_COLUMNS = ["Ref", "Service", "Source", "Checked", "Notes"]


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


def sources_frame(held: list[Holding]) -> pd.DataFrame:
    """The source, check date and caveats behind each row of :func:`holders_frame`."""
    return pd.DataFrame(
        [
            {
                "Ref": f"[{i}]",
                "Service": h.service,
                "Source": h.source,
                "Checked": h.checked,
                "Notes": h.notes,
            }
            for i, h in enumerate(held, 1)
        ],
        columns=SOURCE_COLUMNS,
    )
