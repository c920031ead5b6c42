"""Reminder texts, and notifications delivered to a real server (dunst on a private D-Bus)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import time

import pytest

from glutecoach.core.sedentary import Choice, DeskSettings, PromptKind, Remind
from glutecoach.desk.daemon import BreakCoach, SystemClock
from glutecoach.desk.micro import load_micro, minimum_dose, suggest
from glutecoach.desk.notify import DesktopNotifier, PlainNotifier, compose, open_notifier
from glutecoach.desk_services import OrmSink
from glutecoach.paths import database_url
from glutecoach.store import desk_repo
from glutecoach.store.db import open_store
from glutecoach.store.repository import ensure_person

from .conftest import NotificationServer
from .fakes import FakeIdle

AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _remind(kind: PromptKind = PromptKind.BREAK, snoozes: int = 2, skip: bool = True) -> Remind:
    return Remind(1, kind, AT, 1830.0, snoozes, skip, 10 if kind is PromptKind.STAND else 0)


def test_compose_offers_the_right_buttons() -> None:
    micro = suggest(load_micro(), 1, 0)
    message = compose(_remind(), micro)
    assert [c for c, _ in message.buttons] == [
        Choice.DONE,
        Choice.STRETCHED,
        Choice.SNOOZE,
        Choice.SKIP,
    ]
    assert "30 min seated" in message.body and micro.dose in message.body
    no_snooze = compose(_remind(snoozes=0), micro)
    assert Choice.SNOOZE not in [c for c, _ in no_snooze.buttons]
    minimum = compose(_remind(PromptKind.MINIMUM_DOSE, skip=False), minimum_dose(load_micro()))
    assert [c for c, _ in minimum.buttons] == [Choice.DONE, Choice.SNOOZE]
    assert "glute squeezes" in minimum.body.lower()
    stand = compose(_remind(PromptKind.STAND), None)
    assert "about 10 min" in stand.body and stand.buttons[0] == (Choice.DONE, "Standing now")
    sit = compose(_remind(PromptKind.SIT), None)
    assert sit.buttons == ((Choice.DONE, "Sitting now"), (Choice.SKIP, "Keep standing"))


def test_plain_fallback_without_a_session_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    out = io.StringIO()
    notifier = asyncio.run(open_notifier(out))
    assert isinstance(notifier, PlainNotifier)
    assert "no session D-Bus" in notifier.describe()
    asyncio.run(notifier.show(1, compose(_remind(), None), lambda *_: None))
    assert "Stand up and move" in out.getvalue()


async def _wait_for(predicate: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


@pytest.mark.xserver
def test_notification_text_is_read_back_from_dunst_history(
    notification_server: NotificationServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", notification_server.bus)
    before = len(notification_server.summaries())
    micro = minimum_dose(load_micro())

    async def scenario() -> None:
        notifier = await open_notifier()
        await notifier.show(3, compose(_remind(PromptKind.MINIMUM_DOSE, skip=False), micro), print)
        await asyncio.to_thread(notification_server.wait_displayed)
        await notifier.close()

    asyncio.run(scenario())
    history = notification_server.history()
    assert len(history) == before + 1
    newest = history[0]
    assert newest["summary"]["data"] == "Just the minimum: one set"  # type: ignore[index]
    assert "glute squeezes" in str(newest["body"]["data"]).lower()  # type: ignore[index]
    assert newest["appname"]["data"] == "glutecoach"  # type: ignore[index]


@pytest.mark.xserver
def test_notification_reaches_dunst_and_a_button_fires_the_callback(
    notification_server: NotificationServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", notification_server.bus)
    notification_server.clear_history()
    answers: list[tuple[int, Choice]] = []

    async def scenario() -> None:
        notifier = await open_notifier()
        assert isinstance(notifier, DesktopNotifier) and notifier.buttons
        micro = suggest(load_micro(), 1, 0)
        await notifier.show(7, compose(_remind(), micro), lambda p, c: answers.append((p, c)))
        await asyncio.to_thread(notification_server.wait_displayed)
        await asyncio.to_thread(notification_server.press, "Did the exercise")
        await _wait_for(lambda: answers)
        await notifier.close()

    asyncio.run(scenario())
    assert answers == [(7, Choice.STRETCHED)]


@pytest.mark.xserver
def test_coach_reminder_is_shown_and_the_answer_is_logged(
    notification_server: NotificationServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole in-process path: fake input, real clock, real dunst, real store."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", notification_server.bus)
    notification_server.clear_history()
    store = open_store(database_url())
    with store.transaction() as db:
        pid = ensure_person(db, "me", now=dt.datetime(2026, 11, 24))
    clock = SystemClock()
    settings = DeskSettings(quiet_start=None, interval_s=1.0, idle_break_s=60, min_bout_s=0.1)

    async def scenario() -> None:
        notifier = await open_notifier()
        coach = BreakCoach(
            sink=OrmSink(store, pid),
            settings=settings,
            idle=FakeIdle(clock, lambda _m: True),  # type: ignore[arg-type]
            notifier=notifier,
            micro=load_micro(),
            phase=1,
            clock=clock,
            out=io.StringIO(),
            max_wait=0.1,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(coach.run(stop))
        await _wait_for(lambda: coach.state.prompts_shown >= 1)
        await asyncio.to_thread(notification_server.wait_displayed)
        await asyncio.to_thread(notification_server.press, "Done")
        await _wait_for(lambda: coach.state.skips_in_a_row == 0 and coach.state.bout is None)
        stop.set()
        await task
        await notifier.close()

    asyncio.run(scenario())
    with store.transaction() as db:
        prompts = desk_repo.prompts(db, pid)
        breaks = desk_repo.breaks(db, pid)
        bouts = desk_repo.bouts(db, pid)
    assert prompts[0].answer == "done"
    assert breaks[0].confirmed and breaks[0].cause == "answer"
    assert bouts[0].cause == "answer" and bouts[0].seconds >= 1.0
    store.close()
