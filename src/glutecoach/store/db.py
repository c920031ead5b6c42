"""Open the store: engine, SQLite pragmas (WAL, busy timeout), migrations, and safety checks.

A database that is corrupt, damaged (a table missing) or was written by a newer glutecoach is
never touched: opening it raises :class:`~glutecoach.errors.StoreError` with what to do next.
A lock held past the busy timeout raises :class:`~glutecoach.errors.StoreBusy`, a server that
is down or a folder that cannot be written :class:`~glutecoach.errors.StoreUnreachable`
(see :mod:`glutecoach.store.failures`). SQLite files are created 0600 (their -wal and -shm
files take the database file's mode) and looser modes are tightened on open.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

import glutecoach.store.clinic_tables
import glutecoach.store.desk_tables  # noqa: F401
from glutecoach.errors import InputError, StoreError
from glutecoach.paths import DATABASE_URL_ENV, make_file_private, make_private
from glutecoach.store.failures import missing_tables, store_failure
from glutecoach.store.tables import Base

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg")
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = FULL")  # an acknowledged set survives power loss
    cursor.close()


def parse_url(url: str) -> URL:
    """The URL, refused with a clear message unless it names SQLite or PostgreSQL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(
            f"{DATABASE_URL_ENV} is not a database URL; use e.g. "
            "postgresql+psycopg://user@localhost/glutecoach (or unset it for SQLite)"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise InputError(
            f"{DATABASE_URL_ENV} names a {backend!r} database "
            f"({parsed.render_as_string(hide_password=True)}); glutecoach stores its data "
            "in SQLite or PostgreSQL only: use postgresql+psycopg://... or unset it"
        )
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise InputError(
            f"{DATABASE_URL_ENV}: the driver {parsed.drivername!r} is not supported; use "
            "postgresql+psycopg://... (or sqlite:///path)"
        )
    return parsed


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed.database)
        engine = create_engine(
            parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    # SQL parameters (pain, reps, notes) never appear in error messages or logs.
    engine = create_engine(
        parsed, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 10}
    )
    event.listen(engine, "connect", _postgresql_settings)
    return engine


def _postgresql_settings(dbapi_connection: Any, _record: Any) -> None:
    """A lock held longer than SQLite's busy timeout fails (StoreBusy) instead of waiting
    forever. Set per connection (not as a startup option, which poolers may refuse)."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_MS)}")
    dbapi_connection.autocommit = autocommit


def _check_sqlite_file(database: str | None) -> None:
    """Refuse a file that is not SQLite before any PRAGMA could write to it; create it 0600."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.is_dir():
        raise StoreError(
            f"The database {path} is a folder, not a database file. It was left untouched: "
            "move it aside, or point GLUTECOACH_HOME / GLUTECOACH_DATABASE_URL elsewhere."
        )
    if not path.exists() or path.stat().st_size == 0:
        _create_private_sqlite_file(path)
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(
            f"The database {path} cannot be read ({exc.strerror}). It was left untouched: "
            "check its permissions."
        ) from None
    if header != b"SQLite format 3\x00":
        raise StoreError(
            f"{path} is not a glutecoach database (not an SQLite file; it may be corrupt). "
            "It was left untouched. Move it aside, then run `glutecoach import` on a backup "
            "made with `glutecoach export`, or start afresh."
        )
    for suffix in ("", *SQLITE_SIDE_FILES):
        make_file_private(path.with_name(path.name + suffix))


def _create_private_sqlite_file(path: Path) -> None:
    """An empty database file with mode 0600, so SQLite's -wal/-shm files are 0600 too."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            make_private(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    except OSError:
        return  # connecting reports it truthfully (unreachable: the folder cannot be written)
    make_file_private(path)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def code_head() -> str:
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def database_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known_revision(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except (CommandError, ResolutionError):
        return False


def migrate(engine: Engine) -> None:
    """Bring the schema to this code's head; refuse databases from a newer glutecoach."""
    cfg = alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    current = database_revision(engine)
    foreign = current is None and _has_foreign_tables(engine)
    if current is not None and not _known_revision(script, current):
        raise StoreError(
            f"{_describe(engine)} was written by a newer glutecoach (schema {current}); this "
            f"version knows up to {script.get_current_head()}. It was left untouched: upgrade "
            "glutecoach (pip install -U glutecoach) to open it."
        )
    if foreign:
        raise StoreError(
            f"{_describe(engine)} holds tables that glutecoach did not create; it was left "
            "untouched. Point GLUTECOACH_DATABASE_URL at an empty database."
        )
    command.upgrade(cfg, "head")
    _check_tables(engine)


def _check_tables(engine: Engine) -> None:
    """Every table this code uses must exist (a database at head may still lack one)."""
    missing = sorted(set(Base.metadata.tables) - set(inspect(engine).get_table_names()))
    if missing:
        raise missing_tables(_describe(engine), f"table(s) {', '.join(missing)} missing")


def _has_foreign_tables(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return bool(names - {"alembic_version"}) and "people" not in names


def _is_server(engine: Engine) -> bool:
    return engine.url.get_backend_name() != "sqlite"


def _describe(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"The database {url.database}"
    return f"The database {url.render_as_string(hide_password=True)}"


class Store:
    """An open, migrated database. Use :meth:`transaction` for short units of work.

    ``on_wait`` (optional) is called once when a transaction has waited ``wait_notice_s``
    seconds, so a command can say it is waiting for the database instead of looking hung.
    """

    def __init__(
        self,
        engine: Engine,
        on_wait: Callable[[], None] | None = None,
        wait_notice_s: float | None = None,
    ) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.on_wait = on_wait
        # Well before the busy timeout runs out, so the notice comes while there is hope.
        self.wait_notice_s = wait_notice_s or min(1.5, BUSY_TIMEOUT_MS / 4000)

    @contextmanager
    def transaction(self, *, write_lock: bool = False) -> Iterator[Session]:
        """A unit of work: committed as a whole on success, rolled back whole on any error.

        A lock held too long raises StoreBusy; a server down, StoreUnreachable (nothing saved).

        ``write_lock=True`` is for a read-then-write that must not interleave with another
        writer (the engine's decision): on SQLite it starts with ``BEGIN IMMEDIATE``, which
        waits (up to the busy timeout) for and then holds the database's write lock, so what
        it reads stays current until it commits. On PostgreSQL the caller locks the rows it
        depends on instead (:func:`glutecoach.store.repository.lock_person`: ``SELECT ... FOR
        UPDATE`` on the person's row).
        """
        timer = self._start_wait_notice()
        try:
            with self._sessions() as session, session.begin():
                if write_lock and self.engine.dialect.name == "sqlite":
                    # pysqlite only begins before the first INSERT/UPDATE/DELETE; begin now.
                    session.execute(text("BEGIN IMMEDIATE"))
                yield session
        except DBAPIError as exc:
            failure = store_failure(exc, _describe(self.engine), server=_is_server(self.engine))
            if failure is None:
                raise
            raise failure from None
        finally:
            if timer is not None:
                timer.cancel()

    def _start_wait_notice(self) -> threading.Timer | None:
        if self.on_wait is None:
            return None
        timer = threading.Timer(self.wait_notice_s, self.on_wait)
        timer.daemon = True
        timer.start()
        return timer

    def close(self) -> None:
        self.engine.dispose()


def open_store(
    url: str, *, upgrade: bool = True, on_wait: Callable[[], None] | None = None
) -> Store:
    """Open (and by default migrate) the database at ``url``."""
    engine = make_engine(url)
    try:
        if upgrade:
            migrate(engine)
    except DBAPIError as exc:
        engine.dispose()
        failure = store_failure(exc, _describe(engine), server=_is_server(engine))
        if failure is None:
            detail = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "error"
            raise StoreError(
                f"{_describe(engine)} cannot be opened ({detail}). It was left untouched."
            ) from None
        raise failure from None
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, on_wait=on_wait)
