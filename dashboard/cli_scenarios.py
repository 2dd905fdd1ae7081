"""``centrifuge scenarios``: the saved scenarios for administrators and scripts.

Whoever runs the command holds the database (``CENTRIFUGE_DB``), so the store is opened as an
administrator: no edit key is asked for, and ``key NAME`` issues a new one. Every problem exits 2
with one line on stderr, and nothing is written to the store.
"""

from __future__ import annotations

import argparse
import json
from functools import wraps
from pathlib import Path

from sqlalchemy import exc as sa_exc

from dashboard import areas, boundaries, franchises, holdings, scenarios
from dashboard.cli_common import fail as _fail


def _guarded(command):
    """Every error a person can act on becomes one line of stderr (and no traceback)."""

    @wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except scenarios.ScenarioError as exc:  # also Conflict and LotFileError
            return _fail(exc)
        except franchises.DataError as exc:
            return _fail(f"{exc}; run: centrifuge validate {exc.directory}")
        except boundaries.BoundaryFileError as exc:
            return _fail(exc)
        except sa_exc.SQLAlchemyError as exc:  # e.g. CENTRIFUGE_DB is a file but not a database
            return _fail(f"the scenario store cannot be used: {getattr(exc, 'orig', None) or exc}")

    return run


def _store() -> scenarios.Store:
    """The store in CENTRIFUGE_DB, as its administrator."""
    try:
        return scenarios.Store(admin=True)
    except OSError as exc:  # e.g. the folder of a SQLite CENTRIFUGE_DB cannot be made
        raise scenarios.ScenarioError(
            f"the scenario store cannot be opened: {exc.strerror or exc}"
        ) from exc


def _version(text: str | None) -> int | None:
    """``--version V`` as a number (None when not given)."""
    if text is None:
        return None
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise scenarios.ScenarioError(f"--version should be a version number like 2, not {text!r}")
    return number


def _share(ident: str) -> str:
    return f"/studio?s={ident}"


def _columns(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A plain-text table with a rule under its header."""
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _listing(found: list[scenarios.Entry], as_json: bool, fields: dict, empty: str) -> None:
    """Entries as JSON (``fields``: key -> (heading, value of an entry)) or as a table."""
    if as_json:
        doc = [
            {"name": e.name, "id": e.id, **{k: f(e) for k, (_, f) in fields.items()}} for e in found
        ]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    elif not found:
        print(empty)
    else:
        header = ("Name", *(h for h, _ in fields.values() if h))
        rows = [(e.name, *(str(f(e)) for h, f in fields.values() if h)) for e in found]
        print(_columns(header, rows))


@_guarded
def list_scenarios(args: argparse.Namespace) -> int:
    found = _store().entries()
    fields = {
        "versions": ("Versions", lambda e: e.version),
        "saved_at": ("Saved", lambda e: e.saved_at),
        "created_at": ("", lambda e: e.created_at),
        "owned": ("Owner", lambda e: e.owned if args.json else ("yes" if e.owned else "no")),
    }
    _listing(found, args.json, fields, "There are no saved scenarios.")
    if not args.json and not all(e.owned for e in found):
        print("\nOwner no: no edit key exists; `centrifuge scenarios key NAME` makes one.")
    return 0


@_guarded
def show(args: argparse.Namespace) -> int:
    version, store = _version(args.version), _store()
    ident = store.find(args.name)
    scenario = store.load(ident, version)
    history = store.history(ident)
    owned = next(e.owned for e in store.entries([ident]))
    print(f"Name:     {scenario.name}")
    print(f"Id:       {ident}")
    print(f"Package:  {scenario.package_id}")
    print(f"Owner:    {'holds an edit key' if owned else 'none (read-only in the studio)'}")
    print(f"Showing:  version {scenario.version} of {history[0][0]}")
    print("Versions:")
    for number, saved_at in history:
        print(f"  {number:>4}  {saved_at}")
    lots = scenario.assignment
    print(f"Lots ({len(lots.order)}):")
    for lot in lots.order:
        codes = lots.areas_of(lot)
        locked = " (locked)" if lot in lots.locked else ""
        noun = "area" if len(codes) == 1 else "areas"
        print(f"  {lot}{locked}: {len(codes)} {noun}{': ' if codes else ''}{' '.join(codes)}")
    print(f"Share:    {_share(ident)}")
    return 0


def _read(path: str) -> bytes:
    """A file's bytes, at most one byte past the largest file a scenario may be (so an oversized
    file is refused by the checks that follow, not read whole)."""
    try:
        with open(path, "rb") as file:
            return file.read(scenarios.MAX_FILE + 1)
    except OSError as exc:
        raise scenarios.ScenarioError(f"cannot read {path}: {exc.strerror or exc}") from exc


@_guarded
def import_scenario(args: argparse.Namespace) -> int:
    data = _read(args.file)
    codes = areas.area_table()["code"].tolist()
    if Path(args.file).suffix.lower() == ".json":
        loaded = scenarios.read_file(data, codes)
        scenario = scenarios.Scenario(
            args.name or loaded.name, args.package or loaded.package_id, loaded.assignment
        )
    else:
        if not args.name:
            raise scenarios.ScenarioError(
                f"{args.file} is a lot file (area_code,lot): give the scenario a --name"
            )
        assignment = scenarios.read_lot_csv(data, codes)
        scenario = scenarios.Scenario(args.name, args.package or "blue-light", assignment)
    scenarios.services_of(holdings.load(), scenario.package_id)
    saved, key = _store().create(scenario)
    print(f"Imported '{saved.name}' as version 1.")
    print(f"Share link (read-only): {_share(saved.id)}")
    print(f"Edit link (private):    {_share(saved.id)}&key={key}")
    print(
        "The edit link is shown once, here: whoever holds it can change or delete the scenario. "
        "A lost one can be replaced with `centrifuge scenarios key NAME`."
    )
    return 0


@_guarded
def export(args: argparse.Namespace) -> int:
    version, store = _version(args.version), _store()
    scenario = store.load(store.find(args.name), version)
    out = Path(args.out)
    if not out.parent.is_dir():
        return _fail(f"cannot write {out}: folder {out.parent} does not exist")
    text = json.dumps(scenario.payload(), indent=2, ensure_ascii=False)  # as the studio's download
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"wrote '{scenario.name}' version {scenario.version} to {out}")
    return 0


@_guarded
def link(args: argparse.Namespace) -> int:
    print(_share(_store().find(args.name)))
    return 0


@_guarded
def rekey(args: argparse.Namespace) -> int:
    store = _store()
    ident = store.find(args.name)
    new = store.rekey(ident)
    print(f"New edit link (private) for '{args.name}': {_share(ident)}&key={new}")
    print(
        "The old edit key no longer works. This link is shown once: whoever holds it can change "
        "or delete the scenario."
    )
    return 0


@_guarded
def restore(args: argparse.Namespace) -> int:
    version, store = _version(args.version), _store()
    if version is not None:
        saved = store.restore(store.find(args.name), version)
        print(f"Restored version {version} of '{saved.name}' as version {saved.version}.")
        return 0
    trashed = [e for e in store.entries(trash=True) if e.name == args.name]
    if not trashed:
        raise scenarios.ScenarioError(f"there is no scenario called '{args.name}' in the trash")
    newest = max(trashed, key=lambda e: e.deleted_at)
    try:
        back = store.undelete(newest.id)
    except scenarios.Conflict as exc:
        raise scenarios.Conflict(f"cannot bring '{args.name}' back from the trash: {exc}") from exc
    print(f"Restored '{back.name}' from the trash.")
    return 0


@_guarded
def trash(args: argparse.Namespace) -> int:
    found = sorted(_store().entries(trash=True), key=lambda e: e.deleted_at, reverse=True)
    fields = {
        "versions": ("Versions", lambda e: e.version),
        "deleted_at": ("Deleted", lambda e: e.deleted_at),
        "purge_at": ("Purged after", lambda e: e.purge_at),
    }
    _listing(found, args.json, fields, "The trash is empty.")
    return 0


def add_to(sub) -> None:
    """The ``scenarios`` command and its own sub-commands, on ``centrifuge``'s subparsers."""
    top = sub.add_parser(
        "scenarios",
        help="list, show, import, export and restore saved scenarios; issue edit keys",
        description="The saved scenarios in CENTRIFUGE_DB (a SQLite file or a postgresql:// "
        "URL), as their administrator: no edit key is needed here.",
    )
    commands = top.add_subparsers(dest="scenarios_command", required=True)
    ls = commands.add_parser("list", help="every saved scenario")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=list_scenarios)
    one = commands.add_parser("show", help="a scenario's package, versions and lots")
    one.add_argument("name")
    one.add_argument("--version", metavar="V", help="an older version (default the newest)")
    one.set_defaults(func=show)
    imp = commands.add_parser("import", help="save a scenario file or a lot CSV as a new scenario")
    imp.add_argument("file", help="a scenario file (.json) or a lot file (CSV: area_code,lot)")
    imp.add_argument("--name", help="the scenario's name (needed for a CSV)")
    imp.add_argument("--package", help="a package id (default the file's, or blue-light)")
    imp.set_defaults(func=import_scenario)
    exp = commands.add_parser("export", help="write a scenario file (.json)")
    exp.add_argument("name")
    exp.add_argument("--out", required=True, help="the file to write")
    exp.add_argument("--version", metavar="V", help="an older version (default the newest)")
    exp.set_defaults(func=export)
    lnk = commands.add_parser("link", help="print a scenario's share link")
    lnk.add_argument("name")
    lnk.set_defaults(func=link)
    new = commands.add_parser("key", help="issue a new edit key (the old one stops working)")
    new.add_argument("name")
    new.set_defaults(func=rekey)
    back = commands.add_parser(
        "restore", help="save an old version again as the newest, or bring one back from the trash"
    )
    back.add_argument("name")
    back.add_argument("--version", metavar="V", help="the version to restore (default: the trash)")
    back.set_defaults(func=restore)
    bin_ = commands.add_parser("trash", help="deleted scenarios, until they are purged")
    bin_.add_argument("--json", action="store_true", help="print JSON")
    bin_.set_defaults(func=trash)
