"""Open the store: engine, SQLite pragmas (WAL, busy timeout), migrations, and safety checks.

A database that is corrupt or was written by a newer glutecoach is never touched: opening it
raises :class:`~glutecoach.errors.StoreError` with what to do next.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

import glutecoach.store.desk_tables  # noqa: F401
from glutecoach.errors import StoreError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed.database)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _check_sqlite_file(database: str | None) -> None:
    """Refuse a file that is not SQLite before any PRAGMA could write to it."""
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not path.exists() or path.stat().st_size == 0:
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise StoreError(
            f"{path} is not a glutecoach database (not an SQLite file; it may be corrupt). "
            "It was left untouched. Move it aside, then run `glutecoach import` on a backup "
            "made with `glutecoach export`, or start afresh."
        )


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
    try:
        current = database_revision(engine)
        foreign = current is None and _has_foreign_tables(engine)
    except DatabaseError as exc:
        raise StoreError(
            f"{_describe(engine)} cannot be read ({exc.orig}); it may be corrupt. It was left "
            "untouched. Move it aside and import a backup made with `glutecoach export`."
        ) from None
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


def _has_foreign_tables(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return bool(names - {"alembic_version"}) and "people" not in names


def _describe(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"The database {url.database}"
    return f"The database {url.render_as_string(hide_password=True)}"


class Store:
    """An open, migrated database. Use :meth:`transaction` for short units of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self, *, write_lock: bool = False) -> Iterator[Session]:
        """A unit of work: committed as a whole on success, rolled back whole on any error.

        ``write_lock=True`` is for a read-then-write that must not interleave with another
        writer (the engine's decision): on SQLite it starts with ``BEGIN IMMEDIATE``, which
        waits (up to the busy timeout) for and then holds the database's write lock, so what
        it reads stays current until it commits. On PostgreSQL the caller locks the rows it
        depends on instead (:func:`glutecoach.store.repository.lock_person`: ``SELECT ... FOR
        UPDATE`` on the person's row).
        """
        with self._sessions() as session, session.begin():
            if write_lock and self.engine.dialect.name == "sqlite":
                # pysqlite only begins before the first INSERT/UPDATE/DELETE; begin now.
                session.execute(text("BEGIN IMMEDIATE"))
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Open (and by default migrate) the database at ``url``."""
    engine = make_engine(url)
    try:
        if upgrade:
            migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the database: {exc.orig}") from None
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
