"""``centrifuge scenarios``, run through ``dashboard.cli.main`` on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from dashboard import areas, cli
from dashboard.lots import Assignment
from dashboard.scenarios import Forbidden, Scenario, Store

CODES = areas.area_table()["code"].tolist()[:6]
ODD = 'Nörth & "South" <b>'


@pytest.fixture
def db(monkeypatch, store_target) -> str:
    """The store the command uses (CENTRIFUGE_DB)."""
    monkeypatch.setenv("CENTRIFUGE_DB", store_target)
    return store_target


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["scenarios", *args])
    out, err = capsys.readouterr()
    return code, out, err


def scenario_file(tmp_path, name="Plan A", package="transactional", filename="plan.json"):
    lots = Assignment().add_lot("North").add_lot("South")
    lots = lots.assign(CODES[:2], "North").assign(CODES[2:3], "South").lock("South")
    path = tmp_path / filename
    path.write_text(json.dumps(Scenario(name, package, lots).payload()), encoding="utf-8")
    return path


def lot_csv(tmp_path, rows, filename="lots.csv"):
    path = tmp_path / filename
    path.write_text("area_code,lot\n" + "".join(f"{c},{lot}\n" for c, lot in rows))
    return path


def imported(capsys, *args: str) -> tuple[str, str]:
    """Import, and the new scenario's id and edit key, read from what was printed."""
    code, out, err = run(capsys, "import", *args)
    assert code == 0, err
    ident, key = re.search(r"/studio\?s=([\w-]+)&key=([\w-]+)", out).groups()
    return ident, key


def test_import_json_and_csv_then_list_show_link_and_export_round_trip(db, capsys, tmp_path):
    code, out, err = run(capsys, "import", str(scenario_file(tmp_path)))
    assert code == 0 and err == ""
    ident = Store(db).find("Plan A")
    assert out.splitlines()[:3] == [
        "Imported 'Plan A' as version 1.",
        f"Share link (read-only): /studio?s={ident}",
        f"Edit link (private):    /studio?s={ident}&key=" + out.split("key=")[1].split()[0],
    ]
    assert "shown once" in out and "change or delete" in out
    csv_id, _ = imported(
        capsys, str(lot_csv(tmp_path, [(CODES[3], "East"), (CODES[4], "East")])), "--name", ODD
    )
    Store(db).create(Scenario("Legacy", "blue-light", Assignment()), owned=False)

    code, out, _ = run(capsys, "list")
    assert code == 0
    rows = {line.split("  ")[0]: line for line in out.splitlines()}
    assert {"Plan A", ODD, "Legacy"} <= rows.keys()  # the odd name printed as it is
    assert rows["Legacy"].rstrip().endswith("no") and rows[ODD].rstrip().endswith("yes")
    code, out, _ = run(capsys, "list", "--json")
    listed = {d["name"]: d for d in json.loads(out)}
    assert set(listed[ODD]) == {"name", "id", "versions", "saved_at", "created_at", "owned"}
    assert listed[ODD]["id"] == csv_id and listed[ODD]["versions"] == 1
    assert listed["Plan A"]["owned"] and not listed["Legacy"]["owned"]

    code, out, _ = run(capsys, "show", ODD)
    assert code == 0
    assert f"Id:       {csv_id}" in out and "Package:  blue-light" in out
    assert f"East: 2 areas: {CODES[3]} {CODES[4]}" in out and f"/studio?s={csv_id}" in out
    code, out, _ = run(capsys, "show", "Plan A")
    assert "Package:  transactional" in out and f"South (locked): 1 area: {CODES[2]}" in out
    assert re.search(r"^\s+1  \d{4}-\d\d-\d\dT", out, re.M)  # the version and when it was saved
    assert run(capsys, "link", ODD) == (0, f"/studio?s={csv_id}\n", "")

    out_file = tmp_path / "out.json"
    code, out, _ = run(capsys, "export", "Plan A", "--out", str(out_file))
    assert code == 0 and str(out_file) in out
    original = Store(db).load(ident)
    assert out_file.read_text(encoding="utf-8") == json.dumps(
        original.payload(), indent=2, ensure_ascii=False
    )
    copy_id, _ = imported(capsys, str(out_file), "--name", "Plan A again")
    again = Store(db).load(copy_id).payload()
    assert again == {**original.payload(), "name": "Plan A again"}


def test_the_printed_edit_key_lets_its_holder_save_and_a_wrong_key_is_refused(db, capsys, tmp_path):
    ident, key = imported(capsys, str(scenario_file(tmp_path)), "--package", "blue-light")
    owner = Store(db)  # as the studio opens it: not an administrator
    current = owner.load(ident)
    assert current.package_id == "blue-light"  # --package overrides the file's
    with pytest.raises(Forbidden):
        owner.save(ident, current, 1, "A" * len(key))
    with pytest.raises(Forbidden):
        owner.save(ident, current, 1, None)
    assert owner.save(ident, current, 1, key).version == 2


def test_a_new_key_replaces_the_old_one(db, capsys, tmp_path):
    ident, old = imported(capsys, str(scenario_file(tmp_path)))
    code, out, _ = run(capsys, "key", "Plan A")
    assert code == 0 and "no longer works" in out
    new = re.search(rf"/studio\?s={ident}&key=([\w-]+)", out).group(1)
    owner = Store(db)
    with pytest.raises(Forbidden):
        owner.save(ident, owner.load(ident), None, old)
    assert owner.save(ident, owner.load(ident), None, new).version == 2


def test_an_owner_less_scenario_gets_an_owner_from_key(db, capsys):
    made, _ = Store(db).create(Scenario("Legacy", "blue-light", Assignment()), owned=False)
    code, out, _ = run(capsys, "key", "Legacy")
    new = re.search(r"&key=([\w-]+)", out).group(1)
    assert code == 0 and Store(db).entries([made.id])[0].owned
    assert Store(db).save(made.id, Store(db).load(made.id), 1, new).version == 2


def test_restore_a_version_saves_it_again_as_the_newest_and_loses_nothing(db, capsys, tmp_path):
    ident, key = imported(capsys, str(lot_csv(tmp_path, [(CODES[0], "One")])), "--name", "Plan")
    store = Store(db)
    first = store.load(ident).payload()
    second = Scenario("Plan", "blue-light", Assignment().add_lot("Two").assign(CODES[1:3], "Two"))
    store.save(ident, second, 1, key)
    code, out, err = run(capsys, "restore", "Plan", "--version", "1")
    assert (code, out, err) == (0, "Restored version 1 of 'Plan' as version 3.\n", "")
    assert store.load(ident).payload() == first
    assert store.load(ident, 2).payload() == second.payload()
    assert [v for v, _ in store.history(ident)] == [3, 2, 1]


def test_a_deleted_scenario_is_in_the_trash_and_restore_brings_it_back(db, capsys, tmp_path):
    ident, key = imported(capsys, str(scenario_file(tmp_path)))
    assert run(capsys, "trash")[1] == "The trash is empty.\n"
    Store(db).delete(ident, key)
    assert "Plan A" not in run(capsys, "list")[1]
    code, out, _ = run(capsys, "trash")
    assert code == 0 and "Plan A" in out
    [gone] = json.loads(run(capsys, "trash", "--json")[1])
    assert gone["name"] == "Plan A" and gone["versions"] == 1 and gone["id"] == ident
    deleted = datetime.fromisoformat(gone["deleted_at"])
    assert datetime.fromisoformat(gone["purge_at"]) - deleted == timedelta(days=30)
    assert run(capsys, "restore", "Plan A") == (0, "Restored 'Plan A' from the trash.\n", "")
    assert [e.id for e in Store(db).entries()] == [ident]
    assert json.loads(run(capsys, "trash", "--json")[1]) == []


def test_restore_from_the_trash_takes_the_most_recently_deleted(db, capsys, tmp_path):
    now = datetime.now(UTC)
    first, key1 = imported(capsys, str(scenario_file(tmp_path)))
    Store(db, clock=lambda: now - timedelta(hours=1)).delete(first, key1)
    second, key2 = imported(capsys, str(scenario_file(tmp_path)))
    Store(db, clock=lambda: now - timedelta(hours=2)).delete(second, key2)
    assert run(capsys, "restore", "Plan A")[0] == 0
    assert [e.id for e in Store(db).entries()] == [first]
    code, _, err = run(capsys, "restore", "Plan A")  # the other: its name is taken again
    assert code == 2 and "already exists" in err
    assert [e.id for e in Store(db).entries(trash=True)] == [second]


def snapshot(target: str) -> list:
    """Everything the store holds, to show that a refused command changed none of it."""
    store = Store(target)
    found = store.entries() + store.entries(trash=True)
    return [(e, store.history(e.id), store.load(e.id, trashed=True).payload()) for e in found]


def bad_files(tmp_path) -> None:
    """The files the refused imports below read, in ``tmp_path``."""
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "broken.json").write_text('{"format": "centrifuge-scenario",\n  "name": }')
    lot_csv(tmp_path, [(CODES[0], "A"), ("E99999999", "A"), ("Z1", "B")], "bad.csv")
    lot_csv(tmp_path, [(CODES[0], "A")], "good.csv")
    scenario_file(tmp_path, "New", "nope", "nope.json")


NOBODY = "there is no saved scenario called 'Nobody'"
#: A refused command ({dir}: the test's folder) and what its one line of stderr must say.
BAD = {
    "unknown name (show)": (["show", "Nobody"], NOBODY),
    "unknown name (link)": (["link", "Nobody"], NOBODY),
    "unknown name (key)": (["key", "Nobody"], NOBODY),
    "unknown name (export)": (["export", "Nobody", "--out", "{dir}/x.json"], NOBODY),
    "unknown name (restore)": (["restore", "Nobody", "--version", "1"], NOBODY),
    "not in the trash": (["restore", "Plan A"], "no scenario called 'Plan A' in the trash"),
    "missing file": (["import", "{dir}/missing.json"], "cannot read {dir}/missing.json"),
    "a folder": (["import", "{dir}"], "cannot read {dir}"),
    "empty file": (["import", "{dir}/empty.json"], "the file is empty"),
    "empty lot file": (
        ["import", "{dir}/empty.csv", "--name", "E"],
        "1 problem(s); nothing was changed: line 1: the file is empty",
    ),
    "broken JSON": (["import", "{dir}/broken.json"], "not valid JSON (line 2"),
    "bad LAD code": (
        ["import", "{dir}/bad.csv", "--name", "New"],
        "2 problem(s); nothing was changed: line 3: E99999999 is not a known LAD code",
    ),
    "lot file without a name": (["import", "{dir}/good.csv"], "give the scenario a --name"),
    "unknown package (csv)": (
        ["import", "{dir}/good.csv", "--name", "New", "--package", "nope"],
        "package 'nope' has no known services",
    ),
    "unknown package (json)": (["import", "{dir}/nope.json"], "package 'nope' has no known"),
    "duplicate name": (
        ["import", "{dir}/good.csv", "--name", "Plan A"],
        "a scenario called 'Plan A' already exists",
    ),
    "no such version (show)": (["show", "Plan A", "--version", "9"], "'Plan A' has no version 9"),
    "no such version (export)": (
        ["export", "Plan A", "--version", "9", "--out", "{dir}/x.json"],
        "'Plan A' has no version 9",
    ),
    "no such version (restore)": (
        ["restore", "Plan A", "--version", "9"],
        "'Plan A' has no version 9",
    ),
    "not a version": (["show", "Plan A", "--version", "two"], "a version number like 2, not 'two'"),
    "no folder to export to": (
        ["export", "Plan A", "--out", "{dir}/no/x.json"],
        "folder {dir}/no does not exist",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_with_one_line_naming_the_problem_and_changes_nothing(
    db, capsys, tmp_path, case
):
    ident, key = imported(capsys, str(scenario_file(tmp_path)))
    Store(db).save(ident, Store(db).load(ident), 1, key)  # version 2
    bad_files(tmp_path)
    args, reason = BAD[case]
    before = snapshot(db)
    code, out, err = run(capsys, *(a.format(dir=tmp_path) for a in args))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("centrifuge: ")
    assert reason.format(dir=tmp_path) in err
    assert snapshot(db) == before
    assert not (tmp_path / "x.json").exists()


def test_a_store_that_does_not_answer_is_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("CENTRIFUGE_DB", "postgresql://nobody@127.0.0.1:1/none")
    code, out, err = run(capsys, "list")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "the scenario store (PostgreSQL) is not answering; nothing was saved" in err
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("these are notes, not a database\n" * 100)
    monkeypatch.setenv("CENTRIFUGE_DB", str(not_a_database))
    code, out, err = run(capsys, "list")
    assert code == 2 and out == "" and err.count("\n") == 1 and "not a scenario store" in err
