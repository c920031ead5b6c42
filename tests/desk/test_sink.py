"""The two writers (stdlib sqlite3 for the lean coach, SQLAlchemy for other databases) agree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from glutecoach.core.sedentary import (
    BoutEnded,
    BreakConfirmed,
    BreakDenied,
    BreakSkipped,
    BreakTaken,
    Cause,
    StandingEnded,
)
from glutecoach.desk.prepare import prepare, prepare_in_child
from glutecoach.desk.sink import Sink, SqliteSink
from glutecoach.desk_services import OrmSink
from glutecoach.errors import StoreError
from glutecoach.store import desk_repo
from glutecoach.store.db import open_store
from glutecoach.store.repository import set_setting

T0 = dt.datetime(2026, 11, 24, 9, 0, 0, 123456, tzinfo=dt.UTC)


def _write(sink: Sink) -> None:
    later = T0 + dt.timedelta(minutes=31)
    with sink.batch() as w:
        prompt = w.add_prompt(T0 + dt.timedelta(minutes=30), "break", 1800.0, "walk")
        w.add_bout(BoutEnded(T0, later, 31 * 60.0, Cause.IDLE, 1))
        w.add_break(BreakTaken(later, Cause.IDLE, False))
        w.answer_prompt(prompt, "break", later)
    with sink.batch() as w:
        w.confirm_break(BreakConfirmed(later, later + dt.timedelta(minutes=3)))
        w.answer_prompt(prompt, "done", later + dt.timedelta(minutes=3))
        w.add_micro(later + dt.timedelta(minutes=3), "glute_squeeze", True)
        w.add_skip(BreakSkipped(later + dt.timedelta(hours=1), 1))
        w.add_standing(StandingEnded(T0, T0 + dt.timedelta(minutes=10), 600.0))
        w.add_break(BreakTaken(later + dt.timedelta(hours=2), Cause.ANSWER, True))
    gap = later + dt.timedelta(hours=3)
    with sink.batch() as w:  # "No, I stayed seated": an idle gap that was no break
        w.add_break(BreakTaken(gap, Cause.IDLE, False))
        w.add_break(BreakTaken(gap + dt.timedelta(hours=1), Cause.LOCK, False))  # unanswered
    with sink.batch() as w:
        w.deny_break(BreakDenied(gap, gap + dt.timedelta(minutes=1)))


def _rows(url: str, pid: int) -> list[Any]:
    store = open_store(url)
    with store.transaction() as db:
        found = [
            [(r.start, r.end, r.seconds, r.cause, r.reminders) for r in desk_repo.bouts(db, pid)],
            [
                (r.at, r.kind, r.cause, r.confirmed, r.confirmed_at)
                for r in desk_repo.breaks(db, pid)
            ],
            [
                (r.at, r.kind, r.bout_seconds, r.exercise_id, r.answer, r.answered_at)
                for r in desk_repo.prompts(db, pid)
            ],
            [(r.at, r.exercise_id, r.minimum_dose) for r in desk_repo.micro_exercises(db, pid)],
            [(r.start, r.end, r.seconds) for r in desk_repo.standing_periods(db, pid)],
        ]
        metrics = desk_repo.daily_metrics(db, pid, T0.date(), T0.date(), dt.UTC)
    store.close()
    return [*found, metrics]


def test_sqlite_and_orm_writers_store_the_same_rows(tmp_path: Path) -> None:
    urls = {name: f"sqlite:///{tmp_path / name}.db" for name in ("lean", "orm")}
    lean = prepare("me", urls["lean"])
    orm = prepare("me", urls["orm"])
    assert lean.sqlite_path == str(tmp_path / "lean.db")
    sqlite_sink = SqliteSink(lean.sqlite_path, lean.person_id)
    _write(sqlite_sink)
    sqlite_sink.close()
    orm_sink = OrmSink(open_store(urls["orm"]), orm.person_id)
    _write(orm_sink)
    orm_sink.close()
    lean_rows = _rows(urls["lean"], lean.person_id)
    assert lean_rows == _rows(urls["orm"], orm.person_id)
    _, breaks, prompts, _, _, metrics = lean_rows
    assert breaks[0][3] is True  # the probable break was confirmed through sqlite3
    assert prompts[0][4] == "done"
    assert metrics[0].bouts == 1 and metrics[0].breaks == 3 and metrics[0].skipped == 1
    # confirmed (Done, an answer) apart from probable (the unanswered lock); the denied gap
    # is no break at all
    assert metrics[0].confirmed_breaks == 2 and metrics[0].probable_breaks == 1
    assert metrics[0].denied_breaks == 1
    assert [b[1] for b in breaks] == ["taken", "skipped", "taken", "denied", "taken"]


def test_a_failed_batch_writes_nothing(tmp_path: Path) -> None:
    prepared = prepare("me", f"sqlite:///{tmp_path / 'x.db'}")
    assert prepared.sqlite_path is not None
    sink = SqliteSink(prepared.sqlite_path, prepared.person_id)
    with pytest.raises(RuntimeError), sink.batch() as w:
        w.add_bout(BoutEnded(T0, T0, 60.0, Cause.IDLE, 0))
        raise RuntimeError("boom")
    sink.close()
    assert _rows(f"sqlite:///{tmp_path / 'x.db'}", prepared.person_id)[0] == []


def test_prepare_reads_settings_and_phase() -> None:
    first = prepare("me")
    assert first.phase == 1 and first.settings["reminder_interval_minutes"] == 30
    store = open_store(first.url)
    with store.transaction() as db:
        set_setting(db, first.person_id, "reminder_interval_minutes", 45)
    store.close()
    again = prepare_in_child("me")  # the child sees GLUTECOACH_HOME like the coach does
    assert again.person_id == first.person_id
    assert again.settings["reminder_interval_minutes"] == 45


def test_prepare_in_child_reports_a_broken_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_text("this is not SQLite")
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", f"sqlite:///{bad}")
    with pytest.raises(StoreError, match="not a glutecoach database"):
        prepare_in_child("me")
    assert bad.read_text() == "this is not SQLite"
