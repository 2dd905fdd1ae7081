"""Text for exported maps: names made safe to draw literally, measured and wrapped to a width.

Every string drawn goes through :func:`clean` (control characters, which no font can draw and
XML cannot hold, become U+FFFD) and is drawn with mathtext off (``parse_math=False``), so a
``$x$`` in a name stays dollars and an x. Widths come from the font's unhinted advances, as
vector output lays them out, so a wrapped line never runs into the next column.
"""

from __future__ import annotations

import threading
import unicodedata

from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags

FAMILY = "DejaVu Sans"
#: Measured widths are stretched by this much, for kerning and for viewers' own fonts (SVG).
SAFETY = 1.04

_advances: dict[tuple[bool, str], float] = {}
_lock = threading.Lock()


def clean(value: object) -> str:
    """``value`` as one line of drawable text: control and surrogate characters become U+FFFD,
    line breaks and tabs a space; nothing else changes."""
    text = "" if value is None else str(value)
    out = []
    for ch in text:
        if ch in "\n\r\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def font(size: float, bold: bool = False) -> FontProperties:
    return FontProperties(family=FAMILY, size=size, weight="bold" if bold else "normal")


def _advance(ch: str, bold: bool) -> float:
    """Width of ``ch`` at 1 pt (a missing glyph measures as the font's box for it)."""
    key = (bold, ch)
    found = _advances.get(key)
    if found is None:
        with _lock:
            face = get_font(findfont(font(100, bold)))
            face.set_size(100, 72)
            glyph = face.load_glyph(face.get_char_index(ord(ch)), flags=LoadFlags.NO_HINTING)
            found = glyph.linearHoriAdvance / 65536 / 100
        _advances[key] = found
    return found


def width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in points."""
    return sum(_advance(ch, bold) for ch in text) * size * SAFETY


def wrap(text: str, limit: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``limit`` points: at spaces, and inside a word
    only when the word alone is too wide. Every character is kept (runs of spaces become one)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if width(candidate, size, bold) <= limit:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while width(word, size, bold) > limit:
            cut = _fits(word, limit, size, bold)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def _fits(word: str, limit: float, size: float, bold: bool) -> int:
    """How many leading characters of ``word`` fit in ``limit`` (at least one)."""
    total = 0.0
    for i, ch in enumerate(word):
        total += _advance(ch, bold) * size * SAFETY
        if total > limit:
            return max(i, 1)
    return len(word)
