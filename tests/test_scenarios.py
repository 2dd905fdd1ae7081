"""The scenario store, on SQLite and on a real PostgreSQL server alike: history instead of
overwrites, a trash instead of deletion, edit keys, concurrent saves, crashes and outages."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from dashboard import scenarios
from dashboard.lots import Assignment
from dashboard.scenarios import Conflict, Forbidden, Scenario, ScenarioError, Store
from dashboard.scenarios import keys as edit_keys
from tests.conftest import ROOT

AREAS = ["E09999901", "E09999902", "E09999903"]


def scenario(name="Blue light by force", areas=("E09999901",)) -> Scenario:
    lots = Assignment().add_lot("North").assign(list(areas), "North")
    return Scenario(name=name, package_id="blue-light", assignment=lots)


class Clock:
    """A clock the test moves on by hand."""

    def __init__(self):
        self.now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_save_makes_a_new_version_and_never_overwrites_silently(store_target):
    store = Store(store_target)
    first, key = store.create(scenario())
    second = store.save(first.id, scenario(areas=AREAS[:2]), first.version, key)
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(Conflict, match="saved again \\(version 2\\) after you opened version 1"):
        store.save(first.id, scenario(areas=AREAS), 1, key)
    with pytest.raises(Conflict, match="already exists"):
        store.create(scenario())
    assert store.load(first.id).assignment.areas_of("North") == AREAS[:2]
    assert store.load(first.id, 1).assignment.areas_of("North") == AREAS[:1]
    assert [v for v, _ in store.history(first.id)] == [2, 1]
    restored = store.restore(first.id, 1, key)
    assert restored.version == 3 and store.load(first.id).assignment.areas_of("North") == AREAS[:1]
    assert [v for v, _ in store.history(first.id)] == [3, 2, 1]  # restoring lost nothing


def test_only_the_edit_key_changes_renames_deletes_or_restores(store_target):
    store = Store(store_target)
    mine, key = store.create(scenario())
    assert edit_keys.digest(key) != key and len(key) >= 32 and len(mine.id) >= 16
    for wrong in (None, "", "x" * 32, edit_keys.new_key(), edit_keys.digest(key), "' OR 1=1 --"):
        assert not store.can_edit(mine.id, wrong)
        for attempt in (
            lambda k: store.save(mine.id, scenario(areas=AREAS), 1, k),
            lambda k: store.rename(mine.id, "Stolen", k),
            lambda k: store.delete(mine.id, k),
            lambda k: store.restore(mine.id, 1, k),
        ):
            with pytest.raises(Forbidden, match="only its owner's edit link"):
                attempt(wrong)
    assert store.load(mine.id).version == 1 and store.entries()[0].name == mine.name
    # Anyone with the link can read it and duplicate it into a scenario of their own.
    copy, copy_key = store.duplicate(mine.id, "My copy")
    assert store.can_edit(copy.id, copy_key) and not store.can_edit(copy.id, key)
    assert store.load(copy.id).assignment.lots == mine.assignment.lots
    assert store.rename(mine.id, "Renamed", key) == "Renamed"
    assert store.load(mine.id).name == "Renamed"
    with pytest.raises(Conflict, match="already exists"):
        store.rename(mine.id, "My copy", key)


def test_the_database_keeps_only_a_digest_of_each_key(store_target):
    import sqlalchemy as sa

    store = Store(store_target)
    made, key = store.create(scenario())
    with store.engine.connect() as db:
        dump = " ".join(
            str(v) for row in db.execute(sa.text("SELECT * FROM scenario_heads")) for v in row
        )
    assert key not in dump and edit_keys.digest(key) in dump and made.id in dump


def test_delete_moves_to_a_trash_that_keeps_for_30_days(store_target):
    clock = Clock()
    store = Store(store_target, clock=clock)
    made, key = store.create(scenario())
    store.save(made.id, scenario(areas=AREAS), 1, key)
    store.delete(made.id, key)
    assert store.entries() == [] and [e.name for e in store.entries(trash=True)] == [made.name]
    with pytest.raises(ScenarioError, match="deleted by its owner"):
        store.load(made.id)
    # Its name is free again, and bringing the old one back then asks for that to be settled.
    other, other_key = store.create(scenario())
    with pytest.raises(Conflict, match="already exists"):
        store.undelete(made.id, key)
    store.delete(other.id, other_key)
    clock.now += timedelta(days=29)
    back = store.undelete(made.id, key)
    assert back.version == 2 and [v for v, _ in store.history(made.id)] == [2, 1]
    assert [e.id for e in store.entries()] == [made.id]
    clock.now += timedelta(days=2)  # the other scenario has now been in the trash for 31 days
    assert store.entries(trash=True) == []
    with pytest.raises(ScenarioError, match="over 30 days"):
        store.undelete(other.id, other_key)
    store.create(scenario(name="Anything"))  # a write purges what has expired
    with pytest.raises(ScenarioError, match="no saved scenario with that link"):
        store.load(other.id, trashed=True)


def test_an_unknown_or_malformed_link_id_is_a_clear_error(store_target):
    store = Store(store_target)
    for ident in ("nope", "", "x" * 500, "' OR '1'='1", "../../etc/passwd"):
        with pytest.raises(ScenarioError, match="no saved scenario with that link"):
            store.load(ident)


def _save_many(target, name, count, start):
    store = Store(target)
    done = 0
    while done < count:
        try:
            ident = store.find(name)
        except ScenarioError:
            with contextlib.suppress(Conflict):  # another process made it first
                store.create(Scenario(name, "blue-light", Assignment()), owned=False)
            continue
        admin = Store(target, admin=True)
        current = admin.load(ident).version
        try:
            admin.save(ident, scenario(name=name, areas=AREAS[: 1 + (start + done) % 3]), current)
            done += 1
        except Conflict:
            continue  # someone saved first: reopen and try again, as a person would


def test_eight_processes_saving_the_same_and_other_scenarios_lose_nothing(store_target):
    Store(store_target)
    jobs = [("Shared", 10, i) for i in range(5)] + [(f"Own {i}", 10, i) for i in range(3)]
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_save_many, args=(store_target, *job)) for job in jobs]
    for w in workers:
        w.start()
    for w in workers:
        w.join(180)
        assert w.exitcode == 0
    store = Store(store_target)
    # Version 1 is the empty scenario made first; then each of the 50 saves is its own version.
    assert [v for v, _ in store.history(store.find("Shared"))] == list(range(51, 0, -1))
    for i in range(3):
        assert store.load(store.find(f"Own {i}")).version == 11
    assert len(store.entries()) == 4


KILLER = """
import sys
from dashboard.lots import Assignment
from dashboard.scenarios import Scenario, Store
store = Store(sys.argv[1], admin=True)
ident = store.find("Big")
areas = [f"E0{n:08d}" for n in range(1, 2000)]
version = store.load(ident).version
print("ready", flush=True)
while True:
    lots = Assignment().add_lot("All").assign(areas, "All")
    version = store.save(ident, Scenario("Big", "blue-light", lots), version).version
"""


def every_version_whole(store: Store, ident: str) -> None:
    """After a crash: the first version as saved, the newest whole, and none missing between."""
    latest = store.load(ident)
    assert latest.version >= 2
    assert [v for v, _ in store.history(ident)] == list(range(latest.version, 0, -1))
    assert len(latest.assignment.areas_of("All")) == 1999
    assert store.load(ident, 1).assignment.areas_of("North") == ["E09999901"]


def test_a_process_killed_mid_save_leaves_the_last_version_intact(store_target):
    store = Store(store_target)
    made, _ = store.create(scenario(name="Big"))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLER, store_target],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    if store.backend == "sqlite":
        import sqlite3

        db = sqlite3.connect(store_target)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            db.close()
    every_version_whole(Store(store_target), made.id)


def test_a_postgresql_server_killed_mid_save_comes_back_with_every_version_whole(postgres):
    target = postgres.database("server_killed")
    store = Store(target)
    made, _ = store.create(scenario(name="Big"))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLER, target],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(1.5)
        postgres.stop("immediate")  # the server dies mid-write, with no checkpoint
    finally:
        postgres.start()  # crash recovery replays the log
        child.wait(timeout=60)  # the saver stops: the store did not answer
        child.stdout.close()
    every_version_whole(Store(target), made.id)


def test_a_restarted_postgresql_server_is_reported_and_then_recovered_from(postgres):
    store = Store(postgres.database("restart"))
    made, key = store.create(scenario())
    postgres.stop()
    try:
        with pytest.raises(scenarios.Unavailable, match="not answering; nothing was saved"):
            store.save(made.id, scenario(areas=AREAS), 1, key)
    finally:
        postgres.start()
    saved = store.save(made.id, scenario(areas=AREAS), 1, key)  # the same save, tried again
    assert saved.version == 2 and store.load(made.id, 1).assignment.areas_of("North") == AREAS[:1]


def test_scenarios_saved_before_ids_and_keys_are_kept_owner_less(tmp_path):
    import json
    import sqlite3

    path = tmp_path / "first.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE scenarios (name TEXT PRIMARY KEY, current INTEGER, created_at TEXT);"
        "CREATE TABLE versions (name TEXT, version INTEGER, saved_at TEXT, payload TEXT);"
    )
    for version, areas in ((1, AREAS[:1]), (2, AREAS)):
        payload = json.dumps(scenario(name="Old plan", areas=areas).payload())
        db.execute(
            "INSERT INTO versions VALUES ('Old plan', ?, '2026-11-01T09:00:00+00:00', ?)",
            (version, payload),
        )
    db.execute("INSERT INTO scenarios VALUES ('Old plan', 2, '2026-11-01T09:00:00+00:00')")
    db.commit()
    db.close()
    store = Store(path)
    [entry] = store.entries()
    assert (entry.name, entry.version, entry.owned) == ("Old plan", 2, False)
    assert store.load(entry.id, 1).assignment.areas_of("North") == AREAS[:1]
    with pytest.raises(Forbidden, match="has no owner"):
        store.save(entry.id, scenario(name="Old plan"), 2, None)
    key = Store(path, admin=True).rekey(entry.id)
    assert store.save(entry.id, scenario(name="Old plan"), 2, key).version == 3


def test_a_scenario_travels_as_a_url_token_and_as_a_file():
    original = scenario(areas=AREAS)
    again = scenarios.decode(scenarios.encode(original), AREAS)
    assert again.payload() == original.payload()
    with pytest.raises(ScenarioError, match="damaged"):
        scenarios.decode("not-a-token!", AREAS)
    with pytest.raises(ScenarioError, match="not valid JSON"):
        scenarios.read_file(b"{nope", AREAS)
    with pytest.raises(ScenarioError, match="empty"):
        scenarios.read_file(b"  ", AREAS)
    with pytest.raises(ScenarioError, match="not a Centrifuge scenario"):
        scenarios.read_file(b'{"lots": []}', AREAS)


def test_a_lot_file_builds_lots_or_reports_every_bad_line():
    data = b"area_code,lot\nE09999901,North\ne09999902 , North \nE09999903,South\n"
    built = scenarios.read_lot_csv(data, AREAS)
    assert built.areas_of("North") == ["E09999901", "E09999902"]
    assert built.areas_of("South") == ["E09999903"]
    bad = b"area_code,lot\nE09999901,North\nE0999990X,North\n\nE09999901,South\n"
    with pytest.raises(scenarios.LotFileError) as caught:
        scenarios.read_lot_csv(bad, AREAS)
    assert [str(p) for p in caught.value.problems] == [
        "line 3: E0999990X is not a known LAD code",
        "line 5: E09999901 is already in lot 'North' (line 2)",
    ]
    for content, message in [
        (b"", "the file is empty"),
        (b"code,name\nE09999901,North\n", "columns should be area_code,lot"),
        ("area_code,lot\nE09999901,Caf\u00e9\n".encode("latin-1"), "line 2: is not UTF-8"),
        (b"area_code,lot\n", "there are no rows after the header"),
    ]:
        with pytest.raises(scenarios.LotFileError, match=message):
            scenarios.read_lot_csv(content, AREAS)


def test_a_lot_file_keeps_locked_lots_and_refuses_to_move_their_areas():
    base = Assignment().add_lot("Held").assign(["E09999901"], "Held").lock("Held")
    with pytest.raises(scenarios.LotFileError, match="locked"):
        scenarios.read_lot_csv(b"area_code,lot\nE09999901,Other\n", AREAS, base)
    kept = scenarios.read_lot_csv(b"area_code,lot\nE09999902,Other\n", AREAS, base)
    assert kept.areas_of("Held") == ["E09999901"] and kept.areas_of("Other") == ["E09999902"]


def test_differences_list_the_areas_that_change_lot():
    mine = Assignment().add_lot("A").assign(AREAS[:2], "A")
    theirs = Assignment().add_lot("B").assign(AREAS[1:], "B")
    table = scenarios.differences(mine, theirs, {})
    assert table[["Code", "Lot here", "Lot there"]].values.tolist() == [
        ["E09999901", "A", "(none)"],
        ["E09999902", "A", "B"],
        ["E09999903", "(none)", "B"],
    ]


def test_oversized_uploads_are_refused_before_they_are_read():
    huge = b"area_code,lot\n" + b"E09999901,North\n" * 70_000
    with pytest.raises(scenarios.LotFileError, match="larger than 1000 kB"):
        scenarios.read_lot_csv(huge, AREAS)
    with pytest.raises(ScenarioError, match="larger than 1000 kB"):
        scenarios.read_file(b"{" + b" " * 1_000_001 + b"}", AREAS)
    bomb = scenarios.encode(scenario())[:10] + "A" * 30_000
    with pytest.raises(ScenarioError, match="too long"):
        scenarios.decode(bomb, AREAS)


def test_lot_names_from_a_file_cannot_carry_control_characters():
    with pytest.raises(scenarios.LotFileError, match="line 2: a lot name cannot contain control"):
        scenarios.read_lot_csv(b'area_code,lot\nE09999901,"North\x07"\n', AREAS)


def test_a_link_that_inflates_to_megabytes_is_refused():
    import base64
    import zlib

    packed = zlib.compress(b" " * 10_000_000, 9)
    token = base64.urlsafe_b64encode(packed).decode().rstrip("=")
    assert len(token) < scenarios.MAX_TOKEN
    with pytest.raises(ScenarioError, match="too large"):
        scenarios.decode(token, AREAS)


def test_a_bid_pack_holds_the_lots_boundary_areas_holders_and_figures_with_population():
    import io
    import json
    import zipfile

    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from dashboard import lots, population

    codes = ["E06000001", "E06000002", "S12000049"]  # Hartlepool, Middlesbrough, Glasgow
    names = {"E06000001": "Hartlepool", "E06000002": "Middlesbrough", "S12000049": "Glasgow"}
    frame = gpd.GeoDataFrame(
        {"code": codes}, geometry=[box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(3)]
    ).set_crs(27700)
    groups = pd.DataFrame(
        {
            "code": codes,
            "police": ["Cleveland", "Cleveland", "Scotland"],
            "fire": ["Cleveland", "Cleveland", "Scotland"],
            "upper_tier": ["Hartlepool", "Middlesbrough", "Glasgow"],
            "country": ["England", "England", "Scotland"],
        }
    ).assign(population=lambda g: g["code"].map(population.by_code()).astype("Int64"))
    holders = pd.DataFrame(
        {"area_code": codes, "service": "Police", "holder": ["Cleveland Police"] * 2 + ["PS"]}
    )
    lot = Assignment().add_lot("Tees and Clyde").assign(codes, "Tees and Clyde")
    graph = lots.links(frame, {c: set() for c in codes})
    tally = lots.tallies(lot, frame, groups, holders, graph, names).set_index("lot")
    pack = scenarios.bid_pack(
        Scenario("Odd lot", "blue-light", lot),
        "Tees and Clyde",
        frame,
        names,
        holders,
        tally.loc["Tees and Clyde"].to_dict(),
    )
    with zipfile.ZipFile(io.BytesIO(pack)) as z:
        assert sorted(z.namelist()) == [
            "README.txt",
            "areas.csv",
            "current_holders.csv",
            "lot.geojson",
            "totals.json",
        ]
        totals = json.loads(z.read("totals.json"))
        areas = pd.read_csv(io.BytesIO(z.read("areas.csv")), encoding="utf-8-sig", dtype=str)
        shape = json.loads(z.read("lot.geojson"))
    people = population.by_code()
    assert totals["areas"] == 3 and totals["holders_replaced"] == 2
    assert totals["population"] == int(people["E06000001"] + people["E06000002"])
    assert totals["population_unknown"] == 1  # Glasgow: no figure, never zero
    assert totals["contiguous"] is True  # a JSON boolean, not the string "True"
    assert areas["population"].fillna("").tolist() == [
        str(people["E06000001"]),
        str(people["E06000002"]),
        "",
    ]
    assert shape["features"][0]["properties"]["area_codes"] == " ".join(codes)
