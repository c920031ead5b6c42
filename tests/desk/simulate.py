"""A fake clock and a fake person for the pure sedentary state machine: tests move time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeVar

from glutecoach.core.sedentary import (
    BoutEnded,
    Choice,
    DeskSettings,
    DeskState,
    Event,
    PromptKind,
    Remind,
    Sample,
    Step,
    answer,
    finish,
    observe,
    wants_call_check,
    watches_calls_while_away,
)

UTC = dt.UTC
T = TypeVar("T")


@dataclass
class Sim:
    settings: DeskSettings = field(default_factory=lambda: DeskSettings(quiet_start=None))
    start: dt.datetime = dt.datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    tz: dt.tzinfo = UTC
    poll: float = 5.0
    idle_source: bool = True
    mono: float = 10_000.0
    wall_offset: float = 0.0  # seconds the wall clock is ahead of the true instant
    true_elapsed: float = 0.0  # true (physical) seconds since start, suspend included
    last_input: float = 10_000.0
    locked: bool = False
    state: DeskState = field(default_factory=DeskState)
    events: list[Event] = field(default_factory=list, repr=False)
    event_monos: list[float] = field(default_factory=list, repr=False)  # when each event came
    samples: int = 0
    paused: bool = False
    call: bool | None = None  # None: no call detector; else whether a call is going on
    call_checks: int = 0  # how often the state machine wanted the detector asked

    @property
    def wall(self) -> dt.datetime:
        instant = self.start + dt.timedelta(seconds=self.true_elapsed + self.wall_offset)
        return instant.astimezone(self.tz)

    def sample(self, suspended_s: float | None = None) -> list[Event]:
        idle = (self.mono - self.last_input) if self.idle_source else None
        in_call = None  # like the daemon: look for a call only when the answer matters
        if self.call is not None and wants_call_check(self.state, self.mono, idle, self.settings):
            in_call = self.call
            self.call_checks += 1
        elif self.call is not None and watches_calls_while_away(self.state, self.locked):
            in_call = self.call  # the cheap look on a break (inotify, fullscreen)
        sample = Sample(
            self.mono,
            self.wall,
            idle,
            self.locked,
            suspended_s,
            paused=self.paused,
            in_call=in_call,
        )
        step = observe(self.state, sample, self.settings)
        self._record(step)
        self.samples += 1
        return list(step.events)

    def run(self, seconds: float, *, active: bool) -> list[Event]:
        """Let ``seconds`` pass, sampling every ``poll`` s; input at every tick if ``active``."""
        out: list[Event] = []
        end = self.mono + seconds
        while self.mono < end - 1e-9:
            step = min(self.poll, end - self.mono)
            self.mono += step
            self.true_elapsed += step
            if active:
                self.last_input = self.mono
            out.extend(self.sample())
        return out

    def active(self, minutes: float) -> list[Event]:
        return self.run(minutes * 60, active=True)

    def idle(self, minutes: float) -> list[Event]:
        return self.run(minutes * 60, active=False)

    def suspend(self, minutes: float, *, hint: bool = False) -> list[Event]:
        """The machine sleeps: wall time passes, monotonic time does not; then one sample."""
        self.true_elapsed += minutes * 60
        self.mono += 0.5
        self.true_elapsed += 0.5
        return self.sample(minutes * 60 if hint else None)

    def jump_clock(self, seconds: float) -> None:
        self.wall_offset += seconds

    def press(self, choice: Choice, prompt_id: int | None = None) -> list[Event]:
        if prompt_id is None:
            prompt_id = self.last_remind().prompt_id
        self.last_input = self.mono
        step = answer(self.state, prompt_id, choice, self.mono, self.wall, self.settings)
        self._record(step)
        return list(step.events)

    def stop(self) -> list[Event]:
        step = finish(self.state, self.mono, self.wall, self.settings)
        self._record(step)
        return list(step.events)

    def _record(self, step: Step) -> None:
        self.state = step.state
        self.events.extend(step.events)
        self.event_monos.extend(self.mono for _ in step.events)

    def reminders(self) -> list[Remind]:
        return [e for e in self.events if isinstance(e, Remind)]

    def last_remind(self) -> Remind:
        """The last reminder to move (questions on return and re-prompts aside)."""
        return nudges(self.events)[-1]

    def bouts(self) -> list[BoutEnded]:
        return [e for e in self.events if isinstance(e, BoutEnded)]


def of_type(events: list[Event], kind: type[T]) -> list[T]:
    return [e for e in events if isinstance(e, kind)]


def nudges(events: list[Event]) -> list[Remind]:
    """New reminders to move (not the "did you stand up?" question on return, nor the gentle
    re-prompt of a reminder already shown)."""
    return [
        e
        for e in events
        if isinstance(e, Remind) and not e.again and e.kind is not PromptKind.RETURN
    ]
