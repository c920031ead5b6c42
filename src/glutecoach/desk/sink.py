"""Where the coach writes what happened: the same desk tables, by one of two writers.

* :class:`SqliteSink` speaks to an SQLite store with the standard library's ``sqlite3`` (WAL,
  busy timeout, one short transaction per batch). The long-running coach uses it so that it never
  has to import SQLAlchemy (~25 MB of memory) - the schema is created and migrated beforehand by
  the short-lived set-up step (:mod:`glutecoach.desk.prepare`).
* :class:`glutecoach.desk_services.OrmSink` goes through SQLAlchemy behind the desk's use
  cases (any database URL, e.g. PostgreSQL); heavier, used where the database is not SQLite.

Both write identical rows; ``tests/desk/test_sink.py`` checks that.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from glutecoach.core.sedentary import (
    BoutEnded,
    BreakConfirmed,
    BreakDenied,
    BreakSkipped,
    BreakTaken,
    StandingEnded,
)

BUSY_TIMEOUT_MS = 10_000


class Writer(Protocol):
    """One open unit of work (see :meth:`Sink.batch`)."""

    def add_bout(self, bout: BoutEnded) -> None: ...

    def add_break(self, brk: BreakTaken) -> None: ...

    def add_skip(self, skip: BreakSkipped) -> None: ...

    def confirm_break(self, confirmed: BreakConfirmed) -> None: ...

    def deny_break(self, denied: BreakDenied) -> None: ...

    def add_prompt(
        self, at: dt.datetime, kind: str, bout_seconds: float, exercise_id: str | None
    ) -> int: ...

    def answer_prompt(self, row_id: int, answer: str, at: dt.datetime) -> None: ...

    def add_micro(self, at: dt.datetime, exercise_id: str, minimum_dose: bool) -> None: ...

    def add_standing(self, standing: StandingEnded) -> None: ...


class Sink(Protocol):
    def batch(self) -> Any:
        """A context manager yielding a :class:`Writer`; commits on success."""
        ...

    def read_settings(self) -> dict[str, Any] | None:
        """The person's stored settings (changed ones only), or None when nothing can have
        changed since the last call (SQLite: no other connection committed)."""
        ...

    def close(self) -> None: ...


def _stamp(when: dt.datetime) -> str:
    """SQLAlchemy's SQLite DATETIME text form, in naive UTC (what desk_repo stores)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


class _SqliteWriter:
    def __init__(self, conn: sqlite3.Connection, pid: int) -> None:
        self.conn = conn
        self.pid = pid

    def add_bout(self, bout: BoutEnded) -> None:
        self.conn.execute(
            "INSERT INTO desk_bouts (person_id, start, end, seconds, cause, reminders) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                self.pid,
                _stamp(bout.start),
                _stamp(bout.end),
                bout.seconds,
                bout.cause.value,
                bout.reminders,
            ),
        )

    def add_break(self, brk: BreakTaken) -> None:
        self.conn.execute(
            "INSERT INTO desk_breaks (person_id, at, kind, cause, confirmed, confirmed_at) "
            "VALUES (?, ?, 'taken', ?, ?, ?)",
            (
                self.pid,
                _stamp(brk.at),
                brk.cause.value,
                int(brk.confirmed),
                _stamp(brk.at) if brk.confirmed else None,
            ),
        )

    def add_skip(self, skip: BreakSkipped) -> None:
        self.conn.execute(
            "INSERT INTO desk_breaks (person_id, at, kind, cause, confirmed, confirmed_at) "
            "VALUES (?, ?, 'skipped', NULL, 0, NULL)",
            (self.pid, _stamp(skip.at)),
        )

    def confirm_break(self, confirmed: BreakConfirmed) -> None:
        self.conn.execute(
            "UPDATE desk_breaks SET confirmed = 1, confirmed_at = ? WHERE id = ("
            " SELECT id FROM desk_breaks WHERE person_id = ? AND kind = 'taken' AND at = ?"
            " ORDER BY id DESC LIMIT 1)",
            (_stamp(confirmed.at), self.pid, _stamp(confirmed.break_at)),
        )

    def deny_break(self, denied: BreakDenied) -> None:
        self.conn.execute(
            "UPDATE desk_breaks SET kind = 'denied', confirmed_at = ? WHERE id = ("
            " SELECT id FROM desk_breaks WHERE person_id = ? AND kind = 'taken' AND confirmed = 0"
            " AND at = ? ORDER BY id DESC LIMIT 1)",
            (_stamp(denied.at), self.pid, _stamp(denied.break_at)),
        )

    def add_prompt(
        self, at: dt.datetime, kind: str, bout_seconds: float, exercise_id: str | None
    ) -> int:
        cursor = self.conn.execute(
            "INSERT INTO desk_prompts (person_id, at, kind, bout_seconds, exercise_id) "
            "VALUES (?, ?, ?, ?, ?)",
            (self.pid, _stamp(at), kind, bout_seconds, exercise_id),
        )
        assert cursor.lastrowid is not None
        return int(cursor.lastrowid)

    def answer_prompt(self, row_id: int, answer: str, at: dt.datetime) -> None:
        self.conn.execute(
            "UPDATE desk_prompts SET answer = ?, answered_at = ? "
            "WHERE id = ? AND (answer IS NULL OR ? IN ('done', 'stretched'))",
            (answer, _stamp(at), row_id, answer),
        )

    def add_micro(self, at: dt.datetime, exercise_id: str, minimum_dose: bool) -> None:
        self.conn.execute(
            "INSERT INTO desk_micro (person_id, at, exercise_id, minimum_dose) VALUES (?, ?, ?, ?)",
            (self.pid, _stamp(at), exercise_id, int(minimum_dose)),
        )

    def add_standing(self, standing: StandingEnded) -> None:
        self.conn.execute(
            "INSERT INTO desk_standing (person_id, start, end, seconds) VALUES (?, ?, ?, ?)",
            (self.pid, _stamp(standing.start), _stamp(standing.end), standing.seconds),
        )


class SqliteSink:
    """Writes with ``sqlite3`` into an SQLite store that is already migrated."""

    def __init__(self, path: Path | str, person_id: int) -> None:
        self.path = str(path)
        self.pid = person_id
        self._conn: sqlite3.Connection | None = None
        self._data_version: int | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")  # as the store: acknowledged = on disk
            self._conn = conn
        return self._conn

    @contextmanager
    def batch(self) -> Iterator[_SqliteWriter]:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield _SqliteWriter(conn, self.pid)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def read_settings(self) -> dict[str, Any] | None:
        conn = self._connection()
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        if version == self._data_version:
            return None
        self._data_version = version
        rows = conn.execute("SELECT key, value FROM settings WHERE person_id = ?", (self.pid,))
        out: dict[str, Any] = {}
        for key, value in rows:
            try:
                out[str(key)] = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                continue
        return out

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
