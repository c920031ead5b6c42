"""Fake idle backend, fake clock and recording notifier for driving the daemon in-process."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from glutecoach.desk.idle import IdleReading
from glutecoach.desk.notify import AnswerCallback, Message, OpenCallback


@dataclass
class FakeClock:
    """Monotonic and wall time that move only when the daemon sleeps (or a test says so)."""

    mono_now: float = 1000.0
    wall_now: dt.datetime = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    suspended_next: float | None = None
    slept: list[float] = field(default_factory=list)

    def mono(self) -> float:
        return self.mono_now

    def wall(self) -> dt.datetime:
        return self.wall_now

    def suspended(self) -> float | None:
        value, self.suspended_next = self.suspended_next, None
        return value

    def advance(self, seconds: float) -> None:
        self.mono_now += seconds
        self.wall_now += dt.timedelta(seconds=seconds)

    async def sleep(self, seconds: float, stop: asyncio.Event) -> None:
        self.slept.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)


@dataclass
class FakeIdle:
    """Idle time computed from a script: ``active(mono) -> bool`` (input at every active moment)."""

    clock: FakeClock
    active: Callable[[float], bool]
    name: str = "fake"
    last_input: float = 0.0
    locked: bool = False

    async def read(self) -> IdleReading:
        now = self.clock.mono()
        if self.active(now):
            self.last_input = now
        return IdleReading(now - self.last_input, self.locked)

    def close(self) -> None:
        pass


@dataclass
class RecordingNotifier:
    name: str = "recording"
    buttons: bool = True
    shown: list[tuple[int, Message]] = field(default_factory=list)
    callbacks: list[AnswerCallback] = field(default_factory=list)
    openers: list[OpenCallback | None] = field(default_factory=list)
    withdrawn: int = 0
    withdrawn_ids: list[int | None] = field(default_factory=list)
    on_screen: set[int] = field(default_factory=set)
    informed: list[tuple[str, str]] = field(default_factory=list)

    async def show(
        self,
        prompt_id: int,
        message: Message,
        on_answer: AnswerCallback,
        on_open: OpenCallback | None = None,
    ) -> None:
        self.on_screen.clear()  # one reminder on screen at a time, like DesktopNotifier
        self.shown.append((prompt_id, message))
        self.callbacks.append(on_answer)
        self.openers.append(on_open)
        self.on_screen.add(prompt_id)

    async def inform(self, title: str, body: str) -> None:
        self.informed.append((title, body))

    async def withdraw(self, prompt_id: int | None = None) -> None:
        self.withdrawn += 1
        self.withdrawn_ids.append(prompt_id)
        if prompt_id is None:
            self.on_screen.clear()
        else:
            self.on_screen.discard(prompt_id)

    async def close(self) -> None:
        pass

    def describe(self) -> str:
        return "recording"
