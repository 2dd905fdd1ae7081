"""UK postcodes: canonicalise, then validate, then look up (ONS Postcode Directory).

``canonical("sw1a1aa")`` gives ``"SW1A 1AA"``; :func:`validate` raises
:class:`InvalidPostcode` naming what is wrong; :func:`locate` finds the LAD and grid reference of
a valid postcode, or raises :class:`UnknownPostcode`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from pyproj import Transformer

from dashboard import onspd

# Outward code: A9, A99, AA9, AA99, A9A, AA9A; inward code: digit + two letters (never C I K M O V).
_OUTWARD = r"(?:[A-Z]{1,2}[0-9]{1,2}|[A-Z]{1,2}[0-9][A-Z])"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"^({_OUTWARD})({_INWARD})$")
_LOOKS_LIKE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$")


class PostcodeError(ValueError):
    """A postcode that cannot be answered; the message says why."""


class InvalidPostcode(PostcodeError):
    pass


class UnknownPostcode(PostcodeError):
    pass


@dataclass(frozen=True)
class Location:
    postcode: str
    lad: str
    lat: float
    lon: float


def canonical(text: str) -> str:
    """Upper-case, strip all white space, and put one space before the inward code."""
    compact = re.sub(r"\s+", "", text).upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def looks_like_postcode(text: str) -> bool:
    """True if ``text`` has the rough shape of a postcode (so a name search is not meant)."""
    return bool(_LOOKS_LIKE.match(text.strip().upper()))


def validate(text: str) -> str:
    """The canonical form of a well-formed postcode, or :class:`InvalidPostcode`."""
    value = canonical(text)
    if not _POSTCODE.match(value.replace(" ", "")):
        shown = text.strip()[:20]
        raise InvalidPostcode(
            f"'{shown}' is not a valid UK postcode (expected a form like SW1A 1AA or B1 1AA)"
        )
    return value


@dataclass(frozen=True)
class _Index:
    """One letter's postcodes, compact (about 17 bytes each, against about 100 in a pandas
    frame): sorted keys without spaces, each with its LAD (a number into ``lads``) and grid
    reference."""

    keys: np.ndarray  # sorted, fixed-width bytes
    lad: np.ndarray  # int16 into lads
    lads: np.ndarray  # LAD codes ("" where the directory gives none)
    x: np.ndarray  # float32 metres (NaN: no grid reference)
    y: np.ndarray

    def find(self, key: str) -> int | None:
        at = int(np.searchsorted(self.keys, key.encode()))
        return at if at < len(self.keys) and self.keys[at] == key.encode() else None


@cache
def _letter_index(letter: str) -> _Index:
    cols = onspd.read_columns(letter)
    keys = np.array([p.replace(" ", "") for p in cols["pcd"]], dtype="S8")
    order = np.argsort(keys, kind="stable")
    lad, lads = pd.factorize(np.array([code or "" for code in cols["laua"]], dtype=object))
    return _Index(
        keys=keys[order],
        lad=lad.astype(np.int16)[order],
        lads=np.asarray(lads, dtype=object),
        x=np.asarray(cols["oseast1m"], dtype=np.float32)[order],
        y=np.asarray(cols["osnrth1m"], dtype=np.float32)[order],
    )


def warm() -> None:
    """Load every letter's index (about 1.5 s and 50 MB), so no user waits for the first."""
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        _letter_index(letter)


@cache
def _to_wgs84(crs: str) -> Transformer:
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def locate(text: str) -> Location:
    """Look up a postcode in the ONS Postcode Directory (November 2025)."""
    postcode = validate(text)
    key = postcode.replace(" ", "")
    index = _letter_index(key[0])
    at = index.find(key)
    if at is None:
        raise UnknownPostcode(
            f"{postcode} is not in the {onspd.EDITION} (check it, or it may be too new)"
        )
    lad = index.lads[index.lad[at]]
    if not lad:
        raise UnknownPostcode(
            f"{postcode} has no local authority in the {onspd.EDITION} "
            "(it may be a non-geographic postcode)"
        )
    if lad in onspd.CROWN_DEPENDENCIES:
        raise UnknownPostcode(
            f"{postcode} is in the Channel Islands or the Isle of Man, "
            "which are not UK local authorities"
        )
    if np.isnan(index.x[at]):
        lat = lon = float("nan")
    else:
        crs = "EPSG:29903" if lad.startswith("N") else "EPSG:27700"
        lon, lat = _to_wgs84(crs).transform(float(index.x[at]), float(index.y[at]))
    return Location(postcode=postcode, lad=str(lad), lat=float(lat), lon=float(lon))
