"""The daemon loop driven by a fake clock: hours of use in milliseconds, written to the store."""

from __future__ import annotations

import asyncio
import datetime as dt
import io

import pytest

from glutecoach.core.sedentary import Choice, DeskSettings, PromptKind
from glutecoach.desk.daemon import BreakCoach, read_status
from glutecoach.desk.micro import load_micro
from glutecoach.desk.sink import SqliteSink
from glutecoach.desk_services import OrmSink
from glutecoach.paths import database_url
from glutecoach.store import desk_repo
from glutecoach.store.db import Store, open_store
from glutecoach.store.repository import ensure_person

from .fakes import FakeClock, FakeIdle, RecordingNotifier

SINK = "sqlite"


@pytest.fixture(autouse=True, params=["sqlite", "orm"])
def _sink_kind(request: pytest.FixtureRequest) -> None:
    global SINK
    SINK = request.param


def sqlite_path() -> str:
    return database_url().removeprefix("sqlite:///")


HOUR = 3600.0


def _coach(
    active: object, settings: DeskSettings | None = None, status: bool = False
) -> tuple[BreakCoach, FakeClock, RecordingNotifier, Store, int, io.StringIO]:
    store = open_store(database_url())
    with store.transaction() as db:
        pid = ensure_person(db, "me", now=dt.datetime(2026, 11, 24, 8, 0))
    clock = FakeClock()
    notifier = RecordingNotifier()
    out = io.StringIO()
    from glutecoach.paths import user_dir

    coach = BreakCoach(
        sink=OrmSink(store, pid) if SINK == "orm" else SqliteSink(sqlite_path(), pid),
        settings=settings or DeskSettings(quiet_start=None),
        idle=FakeIdle(clock, active),  # type: ignore[arg-type]
        notifier=notifier,
        micro=load_micro(),
        phase=1,
        clock=clock,
        out=out,
        status_path=user_dir() / "desk-status.json" if status else None,
    )
    return coach, clock, notifier, store, pid, out


def _run(coach: BreakCoach, seconds: float) -> None:
    asyncio.run(coach.run(asyncio.Event(), exit_after=seconds))


def test_two_hours_of_work_with_a_lunch_walk() -> None:
    start = 1000.0

    def active(mono: float) -> bool:
        t = mono - start
        return t < 50 * 60 or 60 * 60 <= t < 115 * 60  # 50 min work, 10 min away, 55 min work

    coach, clock, notifier, store, pid, out = _coach(active, status=True)
    _run(coach, 2 * HOUR + 5 * 60)
    # a reminder at ~30 min of each stretch, shown again gently 4 min later (unanswered), and on
    # return from the walk the question whether it was a real break
    assert [(m.title, m.gentle) for _, m in notifier.shown] == [
        ("Stand up and move", False),
        ("Reminder: stand up and move", True),
        ("Welcome back: did you stand up?", True),
        ("Stand up and move", False),
        ("Reminder: stand up and move", True),
    ]
    with store.transaction() as db:
        bouts = desk_repo.bouts(db, pid)
        prompts = desk_repo.prompts(db, pid)
        day = desk_repo.daily_metrics(db, pid, dt.date(2026, 11, 24), dt.date(2026, 11, 24), dt.UTC)
    assert [round(b.seconds / 60) for b in bouts] == [50, 55]
    assert [b.cause for b in bouts] == ["idle", "idle"]
    assert prompts[0].answer == "break"  # the walk answered the first reminder
    assert prompts[0].exercise_id is not None
    assert day[0].bouts == 2 and day[0].breaks == 2
    assert day[0].long_bouts_s == pytest.approx(105 * 60, abs=30)
    # it slept in long steps, not a busy loop
    assert max(clock.slept) == pytest.approx(10.0)
    assert len(clock.slept) < (2 * HOUR + 300) / 5
    status = read_status(coach.status_path)  # type: ignore[arg-type]
    assert status is not None and status["running"] is False
    assert out.getvalue().count("min seated, ended by idle") == 2


def test_answers_from_buttons_are_logged() -> None:
    coach, _clock, notifier, store, pid, _ = _coach(lambda _m: True)

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(coach.run(stop))
        while not notifier.shown:
            await asyncio.sleep(0)
        prompt_id, message = notifier.shown[0]
        assert (Choice.STRETCHED, "Did the exercise") in message.buttons
        notifier.callbacks[0](prompt_id, Choice.STRETCHED)
        stop.set()
        await task

    asyncio.run(scenario())
    with store.transaction() as db:
        prompts = desk_repo.prompts(db, pid)
        breaks = desk_repo.breaks(db, pid)
        micro = desk_repo.micro_exercises(db, pid)
        bouts = desk_repo.bouts(db, pid)
    assert prompts[0].answer == "stretched"
    assert breaks[0].kind == "taken" and breaks[0].confirmed
    assert [m.exercise_id for m in micro] == [prompts[0].exercise_id]
    assert bouts[0].cause == "answer" and bouts[0].seconds >= 30 * 60


def test_skips_then_minimum_dose_through_the_daemon() -> None:
    coach, _clock, notifier, store, pid, _ = _coach(lambda _m: True)

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(coach.run(stop))
        for answered in range(3):
            while len(notifier.shown) <= answered:
                await asyncio.sleep(0)
            prompt_id, _ = notifier.shown[answered]
            choice = Choice.SKIP if answered < 2 else Choice.DONE
            notifier.callbacks[answered](prompt_id, choice)
        stop.set()
        await task

    asyncio.run(scenario())
    kinds = [m.title for _, m in notifier.shown]
    assert kinds[2] == "Just the minimum: one set"
    assert all(c != Choice.SKIP for c, _ in notifier.shown[2][1].buttons)
    with store.transaction() as db:
        breaks = desk_repo.breaks(db, pid)
        micro = desk_repo.micro_exercises(db, pid)
        prompts = desk_repo.prompts(db, pid)
    assert [b.kind for b in breaks] == ["skipped", "skipped", "taken"]
    assert [(m.exercise_id, m.minimum_dose) for m in micro] == [("glute_squeeze", True)]
    assert [p.kind for p in prompts] == ["break", "break", PromptKind.MINIMUM_DOSE.value]


def test_standing_desk_logs_standing_time() -> None:
    settings = DeskSettings(quiet_start=None, standing_desk=True)
    coach, _clock, notifier, store, pid, _ = _coach(lambda _m: True, settings)

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(coach.run(stop))
        for index in range(2):
            while len(notifier.shown) <= index:
                await asyncio.sleep(0)
            notifier.callbacks[index](notifier.shown[index][0], Choice.DONE)
        stop.set()
        await task

    asyncio.run(scenario())
    assert [m.title for _, m in notifier.shown] == [
        "Stand up: raise the desk",
        "Time to sit for a while",
    ]
    with store.transaction() as db:
        standing = desk_repo.standing_periods(db, pid)
        day = desk_repo.daily_metrics(db, pid, dt.date(2026, 11, 24), dt.date(2026, 11, 24), dt.UTC)
    assert len(standing) == 1 and standing[0].seconds == pytest.approx(600, abs=30)
    assert day[0].standing_s == standing[0].seconds


def test_a_failing_idle_source_stops_the_coach_after_retries() -> None:
    coach, _clock, _notifier, _store, _pid, out = _coach(lambda _m: True)

    class Broken:
        name = "broken"

        async def read(self) -> object:
            raise ConnectionError("display closed")

        def close(self) -> None:
            pass

    coach.idle = Broken()  # type: ignore[assignment]
    asyncio.run(coach.run(asyncio.Event()))
    assert "stopping" in out.getvalue()
