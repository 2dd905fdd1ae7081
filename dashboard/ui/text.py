"""Make data safe to place inside Streamlit markdown (titles, captions, alerts)."""

from __future__ import annotations

import re

# Every ASCII punctuation mark markdown or Streamlit's extensions (:red[…], :material/…:, $…$)
# can act on; a backslash before any ASCII punctuation is a literal character in CommonMark.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^%@])")
# Streamlit's markdown (GitHub-flavoured) still turns bare URLs, www. names and e-mail addresses
# into links when their punctuation is escaped: an invisible word joiner (U+2060) breaks them.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|xmpp|www)(\\[:.])")
JOINER = "\u2060"


def md(value: object) -> str:
    """``value`` as literal text in markdown: no links, no HTML, no formatting, no directives."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())  # no line breaks: a heading or list cannot start mid-string
    text = _SPECIAL.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: m[1] + JOINER + m[2], text)
    return text.replace("\\@", JOINER + "\\@")
