"""Desk rows in the store and the SBRN 2017 metrics per day and per week."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from sqlalchemy import inspect

from glutecoach.core.sedentary import (
    BoutEnded,
    BreakConfirmed,
    BreakSkipped,
    BreakTaken,
    Cause,
    StandingEnded,
)
from glutecoach.paths import database_url
from glutecoach.store import desk_repo
from glutecoach.store.db import Store, code_head, database_revision, open_store
from glutecoach.store.repository import ensure_person

UTC = dt.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def store() -> Store:
    return open_store(database_url())


def _bout(start: dt.datetime, minutes: float, cause: Cause = Cause.IDLE) -> BoutEnded:
    seconds = minutes * 60
    return BoutEnded(start, start + dt.timedelta(seconds=seconds), seconds, cause, 0)


def test_migration_creates_the_desk_tables(store: Store) -> None:
    assert database_revision(store.engine) == code_head()
    tables = set(inspect(store.engine).get_table_names())
    assert {"desk_bouts", "desk_breaks", "desk_prompts", "desk_micro", "desk_standing"} <= tables
    for table in ("desk_bouts", "desk_breaks", "desk_prompts", "desk_micro", "desk_standing"):
        fks = inspect(store.engine).get_foreign_keys(table)
        assert [(fk["referred_table"], fk["constrained_columns"]) for fk in fks] == [
            ("people", ["person_id"])
        ]


def test_daily_and_weekly_metrics(store: Store) -> None:
    with store.transaction() as db:
        pid = ensure_person(db, now=dt.datetime(2026, 11, 1))
        day = dt.datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
        for start, minutes in ((0, 45), (60, 20), (120, 30)):
            bout = _bout(day + dt.timedelta(minutes=start), minutes)
            desk_repo.add_bout(db, pid, bout)
            desk_repo.add_break(db, pid, BreakTaken(bout.end, Cause.IDLE, False))
        desk_repo.add_skip(db, pid, BreakSkipped(day + dt.timedelta(minutes=30), 1))
        desk_repo.add_micro(db, pid, day + dt.timedelta(minutes=46), "glute_squeeze")
        desk_repo.add_standing(db, pid, StandingEnded(day, day + dt.timedelta(minutes=15), 15 * 60))
        # next day, one bout
        desk_repo.add_bout(db, pid, _bout(day + dt.timedelta(days=1), 10))
        daily = desk_repo.daily_metrics(db, pid, dt.date(2026, 11, 23), dt.date(2026, 11, 25), UTC)
        weekly = desk_repo.weekly_metrics(
            db, pid, dt.date(2026, 11, 23), dt.date(2026, 11, 25), UTC
        )
    assert [m.period for m in daily] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    empty, busy, next_day = daily
    assert empty.sitting_s == 0 and empty.bouts == 0
    assert busy.sitting_s == 95 * 60
    assert busy.bouts == 3 and busy.breaks == 3 and busy.skipped == 1
    assert busy.breaks_per_sedentary_hour == pytest.approx(3 / (95 / 60))
    assert busy.mean_bout_s == pytest.approx(95 * 60 / 3)
    assert busy.longest_bout_s == 45 * 60
    assert busy.long_bouts_s == 75 * 60
    assert busy.standing_s == 900 and busy.micro_exercises == 1
    assert next_day.bouts == 1
    (week,) = weekly
    assert week.period == "2026-W48" and week.start == dt.date(2026, 11, 23) and week.days == 7
    assert week.sitting_s == 105 * 60 and week.bouts == 4 and week.breaks == 3


def test_days_follow_the_local_zone(store: Store) -> None:
    with store.transaction() as db:
        pid = ensure_person(db, now=dt.datetime(2026, 11, 1))
        # 23:30 UTC on the 24th is 00:30 on the 25th in Berlin
        desk_repo.add_bout(db, pid, _bout(dt.datetime(2026, 11, 24, 23, 30, tzinfo=UTC), 20))
        utc = desk_repo.daily_metrics(db, pid, dt.date(2026, 11, 24), dt.date(2026, 11, 25), UTC)
        berlin = desk_repo.daily_metrics(
            db, pid, dt.date(2026, 11, 24), dt.date(2026, 11, 25), BERLIN
        )
    assert [m.bouts for m in utc] == [1, 0]
    assert [m.bouts for m in berlin] == [0, 1]


def test_breaks_are_confirmed_and_prompts_answered(store: Store) -> None:
    at = dt.datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    with store.transaction() as db:
        pid = ensure_person(db, now=dt.datetime(2026, 11, 1))
        desk_repo.add_break(db, pid, BreakTaken(at, Cause.IDLE, False))
        assert desk_repo.confirm_break(db, pid, BreakConfirmed(at, at + dt.timedelta(minutes=4)))
        assert not desk_repo.confirm_break(db, pid, BreakConfirmed(at - dt.timedelta(hours=1), at))
        row = desk_repo.add_prompt(db, pid, at, "break", 1800.0, "walk")
        desk_repo.answer_prompt(db, row, "break", at)
        desk_repo.answer_prompt(db, row, "done", at)  # a confirmation overrides "break"
        desk_repo.answer_prompt(db, row, "skip", at)  # but nothing overrides a yes
        with pytest.raises(LookupError):
            desk_repo.answer_prompt(db, 999, "done", at)
        (brk,) = desk_repo.breaks(db, pid)
        (prompt,) = desk_repo.prompts(db, pid)
        counts = desk_repo.counts(db, pid)
    assert brk.confirmed and brk.confirmed_at == dt.datetime(2026, 11, 24, 10, 4)
    assert prompt.answer == "done"
    assert counts["breaks"] == 1 and counts["prompts"] == 1 and counts["bouts"] == 0


def test_recent_standing_builds_the_goal(store: Store) -> None:
    with store.transaction() as db:
        pid = ensure_person(db, now=dt.datetime(2026, 11, 1))
        for day in range(16, 21):  # Mon 16 .. Fri 20 November 2026
            start = dt.datetime(2026, 11, day, 9, 0, tzinfo=UTC)
            desk_repo.add_standing(
                db, pid, StandingEnded(start, start + dt.timedelta(hours=2), 7200.0)
            )
        recent = desk_repo.recent_standing(db, pid, dt.date(2026, 11, 23), tz=UTC)
    assert recent.count(7200.0) == 5
    from glutecoach.core.sedentary import STAND_GOAL_FULL_S, standing_goal_s

    assert standing_goal_s(recent) == STAND_GOAL_FULL_S


def test_metrics_reject_a_reversed_range(store: Store) -> None:
    with store.transaction() as db:
        pid = ensure_person(db, now=dt.datetime(2026, 11, 1))
        with pytest.raises(ValueError, match="before"):
            desk_repo.daily_metrics(db, pid, dt.date(2026, 11, 2), dt.date(2026, 11, 1))
