"""Make data safe to place inside Streamlit markdown (titles, captions, alerts)."""

from __future__ import annotations

import re

# Every ASCII punctuation mark markdown or Streamlit's extensions (:red[…], :material/…:, $…$)
# can act on; a backslash before any ASCII punctuation is a literal character in CommonMark.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^%@])")


def md(value: object) -> str:
    """``value`` as literal text in markdown: no links, no HTML, no formatting, no directives."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())  # no line breaks: a heading or list cannot start mid-string
    return _SPECIAL.sub(r"\\\1", text)
