"""The desk coach's use cases: the desk adapter's one way to the store (as ``services`` is the
CLI's and the web app's).

Lean on purpose: importing this module imports neither SQLAlchemy nor the store, so the
long-running coach stays small (``tests/desk/test_footprint.py``); each use case imports them
when it runs. The daemon itself writes SQLite through :class:`glutecoach.desk.sink.SqliteSink`
and only another database (e.g. PostgreSQL) goes through :class:`OrmSink` here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from glutecoach.core.sedentary import (
    BoutEnded,
    BreakConfirmed,
    BreakDenied,
    BreakSkipped,
    BreakTaken,
    PeriodMetrics,
    StandingEnded,
)


@dataclass(frozen=True)
class DeskBout:
    """One sitting bout the desk coach saw (times in UTC, without a time zone)."""

    start: dt.datetime
    end: dt.datetime
    seconds: float
    cause: str
    reminders: int


@dataclass(frozen=True)
class DeskStart:
    """What the coach reads once before it starts watching."""

    person_id: int
    settings: dict[str, Any]  # every setting, defaults filled in
    stored: dict[str, Any]  # only the settings the person changed
    phase: int  # the program's phase after the last decision (1 before any)
    recent_standing: list[float]  # standing seconds on recent working days, oldest first
    emphasis: list[str]  # the latest screening's emphasis


def _open(url: str | None) -> Any:
    from glutecoach.paths import database_url
    from glutecoach.store.db import open_store

    return open_store(url or database_url())


def read_start(person: str, url: str | None, today: dt.date, now: dt.datetime) -> DeskStart:
    """Open (and migrate) the store, find or create ``person`` and read what the coach needs."""
    from glutecoach.store import desk_repo
    from glutecoach.store import repository as repo

    store = _open(url)
    try:
        with store.transaction() as db:
            pid = repo.ensure_person(db, person, now=now)
            made = repo.decisions(db, pid)
            screening = repo.latest_screening(db, pid)
            return DeskStart(
                person_id=pid,
                settings=repo.get_settings(db, pid),
                stored=repo.stored_settings(db, pid),
                phase=int(made[-1].state.phase) if made else 1,
                recent_standing=desk_repo.recent_standing(db, pid, today),
                emphasis=list(screening[1].emphasis) if screening and screening[1].emphasis else [],
            )
    finally:
        store.close()


@dataclass(frozen=True)
class DeskToday:
    """``glutecoach desk status``'s numbers: the settings, today's metrics, rows logged."""

    settings: dict[str, Any]
    today: PeriodMetrics
    counts: dict[str, int]


def status_numbers(person: str, today: dt.date, now: dt.datetime) -> DeskToday:
    from glutecoach.store import desk_repo
    from glutecoach.store import repository as repo

    store = _open(None)
    try:
        with store.transaction() as db:
            pid = repo.ensure_person(db, person, now=now)
            return DeskToday(
                settings=repo.get_settings(db, pid),
                today=desk_repo.daily_metrics(db, pid, today, today)[0],
                counts=desk_repo.counts(db, pid),
            )
    finally:
        store.close()


def period_metrics(
    person: str, start: dt.date, end: dt.date, now: dt.datetime
) -> tuple[list[PeriodMetrics], list[PeriodMetrics]]:
    """Sitting metrics per day and per ISO week from ``start`` to ``end`` (both included)."""
    from glutecoach.store import desk_repo
    from glutecoach.store import repository as repo

    store = _open(None)
    try:
        with store.transaction() as db:
            pid = repo.ensure_person(db, person, now=now)
            daily = desk_repo.daily_metrics(db, pid, start, end)
            weekly = desk_repo.weekly_metrics(db, pid, start, end)
    finally:
        store.close()
    return list(daily), list(weekly)


class _OrmWriter:
    def __init__(self, db: Any, pid: int) -> None:
        from glutecoach.store import desk_repo

        self.repo = desk_repo
        self.db = db
        self.pid = pid

    def add_bout(self, bout: BoutEnded) -> None:
        self.repo.add_bout(self.db, self.pid, bout)

    def add_break(self, brk: BreakTaken) -> None:
        self.repo.add_break(self.db, self.pid, brk)

    def add_skip(self, skip: BreakSkipped) -> None:
        self.repo.add_skip(self.db, self.pid, skip)

    def confirm_break(self, confirmed: BreakConfirmed) -> None:
        self.repo.confirm_break(self.db, self.pid, confirmed)

    def deny_break(self, denied: BreakDenied) -> None:
        self.repo.deny_break(self.db, self.pid, denied)

    def add_prompt(
        self, at: dt.datetime, kind: str, bout_seconds: float, exercise_id: str | None
    ) -> int:
        return int(self.repo.add_prompt(self.db, self.pid, at, kind, bout_seconds, exercise_id))

    def answer_prompt(self, row_id: int, answer: str, at: dt.datetime) -> None:
        self.repo.answer_prompt(self.db, row_id, answer, at)

    def add_micro(self, at: dt.datetime, exercise_id: str, minimum_dose: bool) -> None:
        self.repo.add_micro(self.db, self.pid, at, exercise_id, minimum_dose=minimum_dose)

    def add_standing(self, standing: StandingEnded) -> None:
        self.repo.add_standing(self.db, self.pid, standing)


class OrmSink:
    """The desk's writer through SQLAlchemy (any database URL; heavier than ``SqliteSink``)."""

    def __init__(self, store: Any, person_id: int) -> None:
        self.store = store
        self.pid = person_id

    @classmethod
    def open(cls, url: str, person_id: int) -> OrmSink:
        return cls(_open(url), person_id)

    @contextmanager
    def batch(self) -> Iterator[_OrmWriter]:
        with self.store.transaction() as db:
            yield _OrmWriter(db, self.pid)

    def read_settings(self) -> dict[str, Any] | None:
        from glutecoach.store.repository import stored_settings

        with self.store.transaction() as db:
            return stored_settings(db, self.pid)

    def close(self) -> None:
        self.store.close()
