"""The scenario store: history instead of overwrites, concurrent saves, and crashes mid-save."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from dashboard import scenarios
from dashboard.lots import Assignment
from dashboard.scenarios import Conflict, Scenario, ScenarioError, Store
from tests.conftest import ROOT

AREAS = ["E09999901", "E09999902", "E09999903"]


def scenario(name="Blue light by force", areas=("E09999901",)) -> Scenario:
    lots = Assignment().add_lot("North").assign(list(areas), "North")
    return Scenario(name=name, package_id="blue-light", assignment=lots)


def test_a_save_makes_a_new_version_and_never_overwrites_silently(tmp_path):
    store = Store(tmp_path / "s.db")
    first = store.save(scenario(), expected=0)
    second = store.save(scenario(areas=AREAS[:2]), expected=first.version)
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(Conflict, match="saved again \\(version 2\\) after you opened version 1"):
        store.save(scenario(areas=AREAS), expected=1)
    with pytest.raises(Conflict, match="already exists"):
        store.save(scenario(), expected=0)
    assert store.load("Blue light by force").assignment.areas_of("North") == AREAS[:2]
    assert store.load("Blue light by force", 1).assignment.areas_of("North") == AREAS[:1]
    assert [v for v, _ in store.history("Blue light by force")] == [2, 1]


def test_rename_duplicate_and_delete(tmp_path):
    store = Store(tmp_path / "s.db")
    store.save(scenario(), expected=0)
    store.rename("Blue light by force", "Blue light, v2")
    assert [n for n, _, _ in store.names()] == ["Blue light, v2"]
    assert store.load("Blue light, v2").name == "Blue light, v2"
    copy = store.duplicate("Blue light, v2", "Copy")
    assert copy.version == 1 and store.load("Copy").assignment.areas_of("North") == AREAS[:1]
    store.delete("Copy")
    with pytest.raises(ScenarioError, match="no saved scenario called 'Copy'"):
        store.load("Copy")


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


def _save_many(path, name, count, start):
    store = Store(path)
    done = 0
    while done < count:
        current = store.load(name).version if name in {n for n, _, _ in store.names()} else 0
        try:
            store.save(scenario(name=name, areas=AREAS[: 1 + (start + done) % 3]), current)
            done += 1
        except Conflict:
            continue  # someone saved first: reopen and try again, as a person would


def test_several_processes_saving_the_same_and_other_scenarios_lose_nothing(tmp_path):
    path = tmp_path / "shared.db"
    Store(path)
    jobs = [("Shared", 15, i) for i in range(4)] + [(f"Own {i}", 15, i) for i in range(2)]
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_save_many, args=(path, *job)) for job in jobs]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    store = Store(path)
    assert [v for v, _ in store.history("Shared")] == list(range(60, 0, -1))
    assert store.load("Own 0").version == 15 and store.load("Own 1").version == 15


KILLER = """
import sys
from dashboard.lots import Assignment
from dashboard.scenarios import Scenario, Store
store = Store(sys.argv[1])
areas = [f"E0{n:08d}" for n in range(1, 2000)]
version = store.load("Big").version
print("ready", flush=True)
while True:
    lots = Assignment().add_lot("All").assign(areas, "All")
    version = store.save(Scenario("Big", "blue-light", lots), version).version
"""


def test_a_process_killed_mid_save_leaves_the_last_version_intact(tmp_path):
    path = tmp_path / "crash.db"
    store = Store(path)
    store.save(scenario(name="Big"), expected=0)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()
    latest = Store(path).load("Big")
    assert latest.version >= 2
    assert len(latest.assignment.areas_of("All")) == 1999
    assert Store(path).load("Big", 1).assignment.areas_of("North") == ["E09999901"]


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
