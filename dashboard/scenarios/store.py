"""The scenario store: every save a new version, a trash instead of deletion, and edit keys.

One schema in SQLAlchemy Core, on two backends: SQLite (a file, the default, embedded) or
PostgreSQL (``CENTRIFUGE_DB=postgresql://…``) for a deployment with several app processes. The
semantics are the same on both:

- **History.** A save writes a new version; a save that expected an older version than the newest
  is refused (:class:`Conflict`) instead of overwriting someone else's work. Writes are serialised
  per scenario (SQLite ``BEGIN IMMEDIATE``, PostgreSQL ``SELECT … FOR UPDATE``) and a process
  killed mid-save leaves the previous version intact (the databases' transactions).
- **Trash.** Delete moves a scenario to the trash, from which it can be restored for
  :data:`TRASH_DAYS` days; after that it is purged.
- **Ownership.** Creating a scenario makes an edit key, returned once and never stored: the store
  keeps its SHA-256 (see :mod:`dashboard.scenarios.keys`). Saving, renaming, deleting and
  restoring need the key; reading needs only the scenario's id, which is also its short share
  link. A store opened with ``admin=True`` (the ``centrifuge scenarios`` command, run by whoever
  holds the database) skips the key check.
- **Outages.** A database that does not answer raises :class:`Unavailable`; nothing is written, and
  the next call reconnects (pooled connections are checked before use).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from dashboard.lots import LotError, clean_name
from dashboard.scenarios import keys as edit_keys
from dashboard.scenarios.model import Scenario, ScenarioError, from_payload

TRASH_DAYS = 30
log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # a library's convention: the application decides


class Conflict(ScenarioError):
    """Someone saved a newer version since this one was opened, or the name is taken."""


class Forbidden(ScenarioError):
    """The scenario can only be changed with its edit key."""


class Unavailable(ScenarioError):
    """The database did not answer; nothing was written."""


metadata = sa.MetaData()
heads = sa.Table(
    "scenario_heads",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("current", sa.Integer, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("key_hash", sa.String(64)),  # NULL: owner-less (made before keys existed)
    sa.Column("deleted_at", sa.String(40)),  # set while the scenario is in the trash
)
live = heads.c.deleted_at.is_(None)
sa.Index("scenario_live_name", heads.c.name, unique=True, sqlite_where=live, postgresql_where=live)
versions = sa.Table(
    "scenario_versions",
    metadata,
    sa.Column("scenario_id", sa.String(40), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("saved_at", sa.String(40), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
)


@dataclass(frozen=True)
class Entry:
    """One scenario as a list shows it."""

    id: str
    name: str
    version: int
    saved_at: str
    created_at: str
    owned: bool  # False: owner-less, so only an administrator can change it
    deleted_at: str | None = None

    @property
    def purge_at(self) -> str | None:
        """When a scenario in the trash goes for good."""
        if self.deleted_at is None:
            return None
        return _stamp(datetime.fromisoformat(self.deleted_at) + timedelta(days=TRASH_DAYS))


def url_of(target: str | Path | None = None) -> str:
    """The SQLAlchemy URL for ``target``, else ``CENTRIFUGE_DB``, else a file in the user's data
    folder (never the repository's ``data/``). A ``postgresql://`` URL selects PostgreSQL (through
    psycopg); anything else is a SQLite file path."""
    text = str(target) if target else os.environ.get("CENTRIFUGE_DB", "")
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if text.startswith("sqlite:"):
        return text
    if not text:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
        text = str(base / "centrifuge" / "scenarios.db")
    Path(text).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{text}"


_engines: dict[tuple[str, int], sa.Engine] = {}


def _engine(url: str) -> sa.Engine:
    """One engine (and its pool) per database and process, its schema made on first use."""
    key = (url, os.getpid())
    if key not in _engines:
        engine = _make_engine(url)
        try:
            _prepare(engine)
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
            engine.dispose()
            raise _unavailable(engine, exc) from exc
        _engines[key] = engine
    return _engines[key]


def _make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi, _record):
            dbapi.isolation_level = None  # we begin transactions ourselves, below
            dbapi.execute("PRAGMA busy_timeout=30000")
            dbapi.execute("PRAGMA synchronous=FULL")
            dbapi.execute("PRAGMA journal_mode=WAL")

        @sa.event.listens_for(engine, "begin")
        def _begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # one writer at a time, waiting

        return engine
    return sa.create_engine(
        url,
        pool_pre_ping=True,  # a restarted server: the next call reconnects
        pool_size=2,
        max_overflow=4,
        connect_args={"connect_timeout": 5},
    )


def _prepare(engine: sa.Engine) -> None:
    """Make the tables, and move scenarios from the first store's tables (named by scenario name,
    without ids or keys) into them, owner-less."""
    with engine.begin() as db:
        if engine.dialect.name == "postgresql":
            db.execute(sa.text("SELECT pg_advisory_xact_lock(7406031)"))  # one process at a time
        metadata.create_all(db)
        names = sa.inspect(db).get_table_names()
        if "scenarios" in names and "versions" in names:
            _migrate_first_store(db)


def _migrate_first_store(db) -> None:
    for name, current, created in db.execute(
        sa.text("SELECT name, current, created_at FROM scenarios")
    ).all():
        ident = edit_keys.new_id()
        db.execute(heads.insert().values(id=ident, name=name, current=current, created_at=created))
        for version, saved, payload in db.execute(
            sa.text("SELECT version, saved_at, payload FROM versions WHERE name = :n"), {"n": name}
        ):
            db.execute(
                versions.insert().values(
                    scenario_id=ident, version=version, saved_at=saved, payload=payload
                )
            )
    db.execute(sa.text("DROP TABLE versions"))
    db.execute(sa.text("DROP TABLE scenarios"))
    log.info("moved the first store's scenarios into scenario_heads, owner-less")


def _unavailable(engine: sa.Engine, exc: Exception) -> Unavailable:
    log.warning("scenario store did not answer: %s", exc)
    what = "PostgreSQL" if engine.dialect.name == "postgresql" else "SQLite"
    detail = "is busy" if "locked" in str(exc) else "is not answering"
    return Unavailable(
        f"the scenario store ({what}) {detail}; nothing was saved. Try again in a moment"
    )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _guarded(method):
    """A database that does not answer becomes Unavailable, with a sentence a person can act on."""

    @wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
            raise _unavailable(self.engine, exc) from exc

    return call


class Store:
    """The scenario database (see the module's docstring). ``target`` is a SQLite path or a
    ``postgresql://`` URL; by default ``CENTRIFUGE_DB``, else a file in the user's data folder."""

    def __init__(
        self,
        target: str | Path | None = None,
        *,
        admin: bool = False,
        clock: Callable[[], datetime] | None = None,
    ):
        try:
            self.url = url_of(target)
        except OSError as exc:  # the folder of a SQLite file cannot be made
            raise ScenarioError(f"the scenario store cannot be opened: {exc.strerror}") from exc
        self.admin = admin
        self.clock = clock or (lambda: datetime.now(UTC))
        try:
            self.engine = _engine(self.url)
        except sa_exc.ArgumentError as exc:
            raise ScenarioError("CENTRIFUGE_DB is neither a file path nor a database URL") from exc
        except sa_exc.DatabaseError as exc:
            raise ScenarioError("CENTRIFUGE_DB is not a scenario store") from exc

    @property
    def backend(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def _now(self) -> str:
        return _stamp(self.clock())

    # --- reading -------------------------------------------------------------------------

    @_guarded
    def entries(self, ids: Iterable[str] | None = None, *, trash: bool = False) -> list[Entry]:
        """Scenarios (all, or those with the given ids), newest first: live ones, or with
        ``trash`` those in the trash that can still be restored."""
        query = (
            sa.select(
                heads.c.id,
                heads.c.name,
                heads.c.current,
                versions.c.saved_at,
                heads.c.created_at,
                heads.c.key_hash.is_not(None),
                heads.c.deleted_at,
            )
            .join(
                versions,
                (versions.c.scenario_id == heads.c.id) & (versions.c.version == heads.c.current),
            )
            .order_by(versions.c.saved_at.desc(), heads.c.name)
        )
        if trash:
            query = query.where(heads.c.deleted_at >= self._purge_before())
        else:
            query = query.where(live)
        if ids is not None:
            wanted = list(dict.fromkeys(ids))
            if not wanted:
                return []
            query = query.where(heads.c.id.in_(wanted))
        with self.engine.connect() as db:
            return [Entry(*row) for row in db.execute(query)]

    @_guarded
    def find(self, name: str) -> str:
        """The id of the live scenario called ``name`` (spaces as scenario names have them)."""
        name = " ".join(str(name).split())
        with self.engine.connect() as db:
            ident = db.scalar(sa.select(heads.c.id).where(live, heads.c.name == name))
        if ident is None:
            raise ScenarioError(f"there is no saved scenario called '{name}'")
        return ident

    @_guarded
    def load(self, ident: str, version: int | None = None, *, trashed: bool = False) -> Scenario:
        """Scenario ``ident`` at its newest version or at ``version``."""
        head = self._head(ident, trashed=trashed)
        number = head.current if version is None else version
        with self.engine.connect() as db:
            row = db.execute(
                sa.select(versions.c.payload, versions.c.saved_at).where(
                    versions.c.scenario_id == ident, versions.c.version == number
                )
            ).first()
        if row is None:
            raise ScenarioError(f"'{head.name}' has no version {number}")
        return from_payload(json.loads(row.payload)).saved(ident, number, row.saved_at, head.name)

    @_guarded
    def history(self, ident: str) -> list[tuple[int, str]]:
        """(version, saved at) of every version, newest first."""
        with self.engine.connect() as db:
            return [
                tuple(row)
                for row in db.execute(
                    sa.select(versions.c.version, versions.c.saved_at)
                    .where(versions.c.scenario_id == ident)
                    .order_by(versions.c.version.desc())
                )
            ]

    @_guarded
    def can_edit(self, ident: str, key: str | None) -> bool:
        """Whether ``key`` opens scenario ``ident`` for changes."""
        return self.admin or edit_keys.matches(key, self._head(ident).key_hash)

    def _head(self, ident: str, *, trashed: bool = False, db=None):
        query = sa.select(heads).where(heads.c.id == str(ident)[:40])
        if db is None:
            with self.engine.connect() as own:
                row = own.execute(query).first()
        else:
            row = db.execute(query.with_for_update()).first()
        if row is None or (row.deleted_at is not None and not trashed):
            gone = row is not None and row.deleted_at is not None
            raise ScenarioError(
                f"the scenario '{row.name}' was deleted by its owner"
                if gone
                else "there is no saved scenario with that link"
            )
        return row

    def _check_key(self, row, key: str | None) -> None:
        if self.admin or edit_keys.matches(key, row.key_hash):
            return
        if row.key_hash is None:
            raise Forbidden(
                f"'{row.name}' has no owner, so it is read-only here; duplicate it to make your "
                "own copy, or ask the administrator for an edit link"
            )
        raise Forbidden(
            f"'{row.name}' is read-only here: only its owner's edit link can change it. "
            "Duplicate it to make your own copy"
        )

    # --- writing -------------------------------------------------------------------------

    @_guarded
    def create(self, scenario: Scenario, *, owned: bool = True) -> tuple[Scenario, str | None]:
        """A new scenario at version 1, and its edit key (None if ``owned`` is False). A live
        scenario of the same name means a Conflict, and nothing is written."""
        name, now = _name(scenario.name), self._now()
        ident, key = edit_keys.new_id(), edit_keys.new_key() if owned else None
        try:
            with self.engine.begin() as db:
                self._purge(db)
                if db.scalar(sa.select(heads.c.id).where(live, heads.c.name == name)):
                    raise Conflict(f"a scenario called '{name}' already exists")
                db.execute(
                    heads.insert().values(
                        id=ident,
                        name=name,
                        current=1,
                        created_at=now,
                        key_hash=edit_keys.digest(key) if key else None,
                    )
                )
                db.execute(
                    versions.insert().values(
                        scenario_id=ident, version=1, saved_at=now, payload=_payload(scenario)
                    )
                )
        except sa_exc.IntegrityError as exc:  # another process took the name a moment ago
            raise Conflict(f"a scenario called '{name}' already exists") from exc
        return scenario.saved(ident, 1, now, name), key

    @_guarded
    def save(
        self, ident: str, scenario: Scenario, expected: int | None, key: str | None = None
    ) -> Scenario:
        """A new version of scenario ``ident``, renamed to ``scenario.name`` if that differs.
        ``expected`` is the version the user opened (None: whatever is newest, for scripts);
        a newer saved version means a Conflict, and nothing is written."""
        name, now = _name(scenario.name), self._now()
        try:
            with self.engine.begin() as db:
                row = self._head(ident, db=db)
                self._check_key(row, key)
                if expected is not None and row.current != expected:
                    raise Conflict(
                        f"'{row.name}' was saved again (version {row.current}) after you opened "
                        f"version {expected}; reopen it, or save yours as a new scenario"
                    )
                if name != row.name:
                    self._free(db, name, ident)
                version = row.current + 1
                db.execute(
                    versions.insert().values(
                        scenario_id=ident, version=version, saved_at=now, payload=_payload(scenario)
                    )
                )
                db.execute(
                    heads.update().where(heads.c.id == ident).values(current=version, name=name)
                )
        except sa_exc.IntegrityError as exc:
            raise Conflict(f"a scenario called '{name}' already exists") from exc
        return scenario.saved(ident, version, now, name)

    def restore(self, ident: str, version: int, key: str | None = None) -> Scenario:
        """Version ``version`` saved again as the newest, so nothing is lost."""
        old = self.load(ident, version)
        newest = self._head(ident).current
        return self.save(ident, old, newest, key)

    @_guarded
    def rename(self, ident: str, new: str, key: str | None = None) -> str:
        new = _name(new)
        try:
            with self.engine.begin() as db:
                row = self._head(ident, db=db)
                self._check_key(row, key)
                self._free(db, new, ident)
                db.execute(heads.update().where(heads.c.id == ident).values(name=new))
        except sa_exc.IntegrityError as exc:
            raise Conflict(f"a scenario called '{new}' already exists") from exc
        return new

    def duplicate(self, ident: str, new: str) -> tuple[Scenario, str]:
        """A copy of the newest version under a new name, owned by whoever asked (anyone may)."""
        original = self.load(ident)
        copy = Scenario(new, original.package_id, original.assignment)
        return self.create(copy)

    @_guarded
    def delete(self, ident: str, key: str | None = None) -> None:
        """Move scenario ``ident`` to the trash."""
        with self.engine.begin() as db:
            row = self._head(ident, db=db)
            self._check_key(row, key)
            db.execute(heads.update().where(heads.c.id == ident).values(deleted_at=self._now()))
            self._purge(db)

    @_guarded
    def undelete(self, ident: str, key: str | None = None) -> Scenario:
        """Bring scenario ``ident`` back from the trash, as it was."""
        try:
            with self.engine.begin() as db:
                row = self._head(ident, db=db, trashed=True)
                self._check_key(row, key)
                if row.deleted_at is None:
                    raise ScenarioError(f"'{row.name}' is not in the trash")
                if row.deleted_at < self._purge_before():
                    raise ScenarioError(f"'{row.name}' was in the trash for over {TRASH_DAYS} days")
                self._free(db, row.name, ident)
                db.execute(heads.update().where(heads.c.id == ident).values(deleted_at=None))
        except sa_exc.IntegrityError as exc:
            raise Conflict(f"a scenario called '{row.name}' already exists") from exc
        return self.load(ident)

    @_guarded
    def rekey(self, ident: str) -> str:
        """A new edit key for scenario ``ident`` (administrators only); the old key stops
        working. This is what a lost key costs: asking whoever runs the server."""
        if not self.admin:
            raise Forbidden("only an administrator can issue a new edit key")
        key = edit_keys.new_key()
        with self.engine.begin() as db:
            self._head(ident, db=db)
            db.execute(
                heads.update().where(heads.c.id == ident).values(key_hash=edit_keys.digest(key))
            )
        return key

    def _free(self, db, name: str, ident: str) -> None:
        other = db.scalar(
            sa.select(heads.c.id).where(live, heads.c.name == name, heads.c.id != ident)
        )
        if other:
            raise Conflict(f"a scenario called '{name}' already exists")

    def _purge_before(self) -> str:
        return _stamp(self.clock() - timedelta(days=TRASH_DAYS))

    def _purge(self, db) -> None:
        """Remove scenarios that have been in the trash for over TRASH_DAYS days."""
        old = sa.select(heads.c.id).where(heads.c.deleted_at < self._purge_before())
        gone = [row[0] for row in db.execute(old)]
        if gone:
            db.execute(versions.delete().where(versions.c.scenario_id.in_(gone)))
            db.execute(heads.delete().where(heads.c.id.in_(gone)))


def _name(name: str) -> str:
    try:
        return clean_name(name)
    except LotError as exc:
        raise ScenarioError(str(exc).replace("a lot", "a scenario")) from exc


def _payload(scenario: Scenario) -> str:
    return json.dumps(scenario.payload(), ensure_ascii=False, sort_keys=True)
