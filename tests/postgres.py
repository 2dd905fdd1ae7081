"""A real PostgreSQL server for the tests: Debian's binaries (installed by ``make test``),
``initdb`` in a temporary folder, listening on loopback only, stopped and removed afterwards."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "centrifuge"


def binaries() -> Path | None:
    """The folder of Debian's PostgreSQL server programs, newest version first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One throwaway server. PostgreSQL refuses to run as root, so as root the server runs as
    the ``postgres`` user that Debian's package creates."""

    def __init__(self):
        self.bin = binaries()
        if self.bin is None:
            raise RuntimeError(
                "PostgreSQL's server programs are missing: `make test` installs them"
            )
        self.folder = Path(tempfile.mkdtemp(prefix="centrifuge-pg-"))
        self.data = self.folder / "data"
        self.port = _port()
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", self.data, "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args) -> None:
        subprocess.run(
            [*self._as, str(self.bin / program), *map(str, args)],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=on -c max_connections=60"
        )
        self._run(
            "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o", options, "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def database(self, name: str) -> str:
        """A new, empty database on this server, and its URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres", autocommit=True
        ) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
