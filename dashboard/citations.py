"""Citations: the legislation our sources name, as links, and a card a journalist can cite.

``data/franchises/legislation.csv`` gives each title cited in the data its legislation.gov.uk
address, checked one by one (see data/franchises/README.md); a title whose address could not be
confirmed has none, and is shown as text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import metadata

from dashboard import paths
from dashboard.holdings import Holding

LEGISLATION = paths.FRANCHISES_DIR / "legislation.csv"


@dataclass(frozen=True)
class Law:
    title: str
    url: str  # "" when no address could be confirmed


@lru_cache(maxsize=1)
def laws() -> dict[str, Law]:
    """Every cited title (without a leading "The"), and its address."""
    with LEGISLATION.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {r["title"].removeprefix("The "): Law(r["title"], r["url"]) for r in rows}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    titles = sorted(laws(), key=len, reverse=True)  # the longest first: "Children Act 2004"
    return re.compile(r"(?<!\w)(?:The )?(" + "|".join(map(re.escape, titles)) + r")(?!\w)")


def pieces(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (words, address) pieces: each cited title with its address, the words
    between with none. Joined, the words are ``text`` again."""
    out: list[tuple[str, str]] = []
    at = 0
    for match in _pattern().finditer(text):
        if match.start() > at:
            out.append((text[at : match.start()], ""))
        out.append((match.group(0), laws()[match.group(1)].url))
        at = match.end()
    if at < len(text):
        out.append((text[at:], ""))
    return out


def cited(text: str) -> list[Law]:
    """The laws ``text`` cites, in order, each once."""
    found = [laws()[m.group(1)] for m in _pattern().finditer(text)]
    return list(dict.fromkeys(found))


def version() -> str:
    """The dataset's version: the app's release and the newest date a fact was checked."""
    try:
        release = metadata.version("centrifuge")
    except metadata.PackageNotFoundError:
        release = "unreleased"
    return f"Centrifuge {release}"


def cite(
    area: str,
    code: str,
    held: list[Holding],
    as_of: date,
    url: str,
    checked: str = "",
    vintage: str = "",
) -> str:
    """A citation for an area's card: who is legally responsible for each service there, as of
    a date (on the boundaries of ``vintage``), with the dataset's version and the page's
    address."""
    newest = checked or max((h.checked for h in held if h.checked), default="")
    services = "; ".join(f"{h.service}: {h.holder}" for h in held)
    return (
        f"Who runs what in {area} ({code}{', ' + vintage if vintage else ''}), as of "
        f"{as_of:%-d %B %Y}: {services}. "
        f"Bodies legally responsible, each with its source. {version()}, facts checked up to "
        f"{newest or 'unknown'}. {url}"
    )
