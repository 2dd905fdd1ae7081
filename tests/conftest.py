"""Shared fixtures: tiny hand-made boundary files, and the running app for browser tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "lad_boundaries.geojson"
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = "/usr/bin/chromium"


def square(x0: float, y0: float, size: float = 0.1) -> list:
    return [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]]


def ons_style_file(path: Path, names: dict[str, str], year: str = "24") -> Path:
    """An ONS-style boundary file (LADyyCD/LADyyNM columns), squares in a row near London."""
    features = []
    for i, (code, name) in enumerate(names.items()):
        features.append(
            {
                "type": "Feature",
                "properties": {f"LAD{year}CD": code, f"LAD{year}NM": name, "OBJECTID": i + 1},
                "geometry": {"type": "Polygon", "coordinates": square(-0.3 + 0.1 * i, 51.4)},
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.fixture
def official_file(tmp_path: Path) -> Path:
    return ons_style_file(
        tmp_path / "LAD_MAY_2024_UK_BFC.geojson",
        {"E09000033": "Westminster", "E09000001": "City of London", "E09000020": "Kensington"},
    )


HOSTILE_NAME = '<img src=x onerror=alert("pwned")>Men`s ${1+1} "><script>alert(2)</script>'


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    return ons_style_file(
        tmp_path / "hostile.geojson",
        {"E09000033": HOSTILE_NAME, "E09000001": "javascript:alert(3)"},
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningApp:
    """The app served on loopback as `make run` serves it (``root``: another checkout of it)."""

    def __init__(self, env: dict[str, str] | None = None, root: Path = ROOT):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CENTRIFUGE_")}
        # Saved scenarios go to a throwaway database, never the user's own.
        self._db = tempfile.TemporaryDirectory()
        full_env["CENTRIFUGE_DB"] = str(Path(self._db.name) / "scenarios.db")
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(root / "serve.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=root,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the app did not become healthy within 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._db.cleanup()


@pytest.fixture(scope="session")
def app_url():
    app = RunningApp()
    yield app.url
    app.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


@pytest.fixture(scope="module")
def baseline():
    """The shipped franchise data (read-only)."""
    from dashboard import holdings, paths

    return holdings.load(paths.FRANCHISES_DIR)


@pytest.fixture(scope="module")
def market(baseline):
    """Every area-service of the baseline as the simulator's market (read-only)."""
    from dashboard import lads
    from dashboard import simulation as sim

    return sim.Market.from_baseline(baseline, lads.lad_table())


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server on loopback for the whole run (see tests/postgres.py)."""
    from tests.postgres import Server

    server = Server()
    yield server
    server.close()


_databases = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path) -> str:
    """Where a test's scenario store lives: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "scenarios.db")
    return request.getfixturevalue("postgres").database(f"test_{next(_databases)}")


@pytest.fixture(autouse=True)
def _main_module_kept():
    """AppTest runs a page as ``__main__`` and leaves it there; a process started afterwards
    with the spawn method (the store's load tests, a Dask worker) would then run that page.
    Put the real ``__main__`` back after every test."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


# ----------------------------------------------------------------------------- the rebuild
#: The whole boundary build from its pinned inputs takes about 80 s of one core. When its test
#: is selected it starts as the session starts, in its own process, and runs beside the other
#: tests on the second core; the test waits for it (tests/test_build.py).
REBUILD_TEST = "test_the_committed_boundaries_are_exactly_what_the_build_makes"
_rebuild: dict = {}


def pytest_collection_modifyitems(session, config, items):
    if any(item.name == REBUILD_TEST for item in items) and "proc" not in _rebuild:
        folder = tempfile.TemporaryDirectory(prefix="centrifuge-rebuild-")
        log = open(Path(folder.name) / "build.log", "w")  # noqa: SIM115 (closed at the end)
        _rebuild.update(
            folder=folder,
            log=log,
            proc=subprocess.Popen(
                [sys.executable, str(ROOT / "scripts" / "make_boundaries.py"), folder.name],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={k: v for k, v in os.environ.items() if not k.startswith("CENTRIFUGE_")},
            ),
        )


@pytest.fixture
def rebuilt() -> tuple[int, Path, str]:
    """The rebuild started at collection, waited for: its exit code, folder and output."""
    proc = _rebuild["proc"]
    code = proc.wait(timeout=900)
    _rebuild["log"].flush()
    folder = Path(_rebuild["folder"].name)
    return code, folder, (folder / "build.log").read_text()


def pytest_sessionfinish(session, exitstatus):
    if "proc" in _rebuild:
        if _rebuild["proc"].poll() is None:
            _rebuild["proc"].kill()
        _rebuild["log"].close()
        _rebuild["folder"].cleanup()
