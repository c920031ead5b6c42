"""The coach's loop: sample idle time, feed the pure state machine, act on what it returns.

Small footprint by design: one sample, then sleep until the next moment anything could change
(``core.sedentary.next_wakeup``, at most ``max_wait`` seconds); no threads, no busy loop.
The clock is injected, so tests can drive the loop with fake time.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import time
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from glutecoach.core.sedentary import (
    BoutEnded,
    BreakConfirmed,
    BreakDenied,
    BreakSkipped,
    BreakTaken,
    Choice,
    ClockJumped,
    DeskSettings,
    DeskState,
    Event,
    MicroDone,
    PromptKind,
    PromptResolved,
    Remind,
    Sample,
    StandingEnded,
    answer,
    bout_seconds,
    finish,
    in_quiet_hours,
    next_wakeup,
    observe,
    quiet_hours_label,
    wants_call_check,
    watches_calls_while_away,
)
from glutecoach.desk.calls import CallDetector
from glutecoach.desk.clock import Clock, SystemClock
from glutecoach.desk.control import PauseWatch
from glutecoach.desk.exercise import ExerciseOpener
from glutecoach.desk.idle import IdleBackend
from glutecoach.desk.live import LiveSettings
from glutecoach.desk.micro import MicroExercise, Rotation, minimum_dose
from glutecoach.desk.notify import Message, Notifier, compose
from glutecoach.desk.sink import Sink
from glutecoach.desk.status import STATUS_FILE, read_status, write_status

MAX_READ_FAILURES = 3


@dataclass
class _PromptInfo:
    row_id: int
    kind: PromptKind
    micro: MicroExercise | None
    message: Message | None = None


class BreakCoach:
    """The sitting-break daemon: watches idle time, reminds, records bouts and breaks."""

    def __init__(
        self,
        *,
        sink: Sink,
        settings: DeskSettings,
        idle: IdleBackend | None,
        notifier: Notifier,
        micro: tuple[MicroExercise, ...],
        phase: int,
        clock: Clock,
        out: TextIO,
        status_path: Path | None = None,
        max_wait: float = 10.0,
        idle_description: str = "",
        calls: CallDetector | None = None,
        opener: ExerciseOpener | None = None,
        rotation: Rotation | None = None,
        live: LiveSettings | None = None,
        pause: PauseWatch | None = None,
        tray: Any = None,
    ) -> None:
        self.sink = sink
        self.settings = settings
        self.idle = idle
        self.notifier = notifier
        self.micro = micro
        self.phase = phase
        self.clock = clock
        self.out = out
        self.status_path = status_path
        self.max_wait = max_wait
        self.idle_description = idle_description
        self.calls = calls
        self.opener = opener
        self.call_description = ""
        self.rotation = rotation or Rotation(micro, phase)
        self._last_micro: MicroExercise | None = None
        self.live = live
        self.pause = pause
        self.tray = tray
        """The status indicator (``desk.tray.Tray``): told every status change."""
        self.tray_description = ""
        self.state = DeskState()
        self._prompts: dict[int, _PromptInfo] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._read_failures = 0
        self._gone = False
        self._started = dt.datetime.now(dt.UTC)
        self._status_written = 0.0
        self._moment: tuple[bool, bool, bool] = (True, False, False)

    # --- the loop --------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, exit_after: float | None = None) -> None:
        started = self.clock.mono()
        self._write_status(force=True)
        try:
            while not stop.is_set():
                sample = await self._sample()
                if sample is None:
                    if self._gone:
                        break
                    await self.clock.sleep(self.max_wait, stop)
                    continue
                self._reload_settings()
                step = observe(self.state, sample, self.settings)
                self.state = step.state
                self._handle(step.events)
                self._write_status(force=bool(step.events) or self._moment_changed(sample))
                now = self.clock.mono()
                if exit_after is not None and now - started >= exit_after:
                    break
                wait = next_wakeup(self.state, now, self.settings, max_wait=self.max_wait)
                if exit_after is not None:
                    wait = min(wait, max(0.05, started + exit_after - now))
                await self.clock.sleep(wait, stop)
        finally:
            step = finish(self.state, self.clock.mono(), self.clock.wall(), self.settings)
            self.state = step.state
            self._handle(step.events)
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            await self.notifier.withdraw()
            self._write_status(force=True, running=False)

    async def _sample(self) -> Sample | None:
        idle_s: float | None = None
        locked = False
        if self.idle is not None:
            try:
                reading = await self.idle.read()
            except Exception as exc:
                self._read_failures += 1
                self._say(f"warning: reading idle time failed ({type(exc).__name__}: {exc})")
                if self._read_failures >= MAX_READ_FAILURES:
                    self._say("the idle-time source is gone (session ended?); stopping")
                    self._gone = True
                return None
            self._read_failures = 0
            idle_s, locked = reading.idle_s, reading.locked
        mono = self.clock.mono()
        in_call: bool | None = None
        found: str | None = None
        if self.calls is not None and wants_call_check(self.state, mono, idle_s, self.settings):
            found = await self.calls.check()
            in_call = found is not None
        elif self.calls is not None and watches_calls_while_away(self.state, locked):
            found = await self.calls.quick_check()  # a call may start before any input
            in_call = found is not None
        if in_call is not None and (found or "") != self.call_description:
            self._say(f"call: {found}" if found else "call ended")
            self.call_description = found or ""
        wall = self.clock.wall()
        paused = self.pause is not None and self.pause.paused(wall)
        return Sample(
            mono, wall, idle_s, locked, self.clock.suspended(), paused=paused, in_call=in_call
        )

    def _moment_changed(self, sample: Sample) -> bool:
        """A bout began, a call or a pause began or ended: the status and the tray follow now."""
        moment = (self.state.bout is None, self.state.in_call, sample.paused)
        changed = moment != self._moment
        self._moment = moment
        return changed

    def _reload_settings(self) -> None:
        if self.live is None:
            return
        try:
            changed = self.live.poll()
        except Exception as exc:  # a busy or briefly unreachable database: try next time
            self._say(f"warning: reading settings failed ({type(exc).__name__})")
            return
        if changed is None:
            return
        self.settings, names = changed
        self._say("settings reloaded: " + ", ".join(names))
        self._write_status(force=True)

    def _paused_until(self) -> str | None:
        until = self.pause.until() if self.pause is not None else None
        return until.isoformat() if until and until > self.clock.wall() else None

    def status_now(self) -> None:
        """``desk status`` asked (SIGUSR1): write the status file now."""
        self._write_status(force=True)

    # --- answers from notification buttons ----------------------------------------------------

    def on_answer(self, prompt_id: int, choice: Choice) -> None:
        step = answer(
            self.state, prompt_id, choice, self.clock.mono(), self.clock.wall(), self.settings
        )
        self.state = step.state
        self._say(f"answer: {choice.value}")
        self._handle(step.events, prompt_id=prompt_id)
        self._write_status(force=True)

    def on_open(self, prompt_id: int) -> None:
        """A click on the reminder's body: show the exercise (how-to), the reminder stays open."""
        info = self._prompts.get(prompt_id)
        exercise = info.micro if info is not None else None
        if info is None or exercise is None or self.opener is None:
            return
        self._say(f"opening the exercise: {exercise.name}")
        self._spawn(self.opener.open(exercise))
        prompt = self.state.prompt
        if (
            info.message is not None
            and prompt is not None
            and prompt.id == prompt_id
            and prompt.open
        ):
            # the click closed the notification on most servers: put the question back, quietly
            again = replace(info.message, gentle=True)
            self._spawn(self.notifier.show(prompt_id, again, self.on_answer, self.on_open))

    # --- acting on events -----------------------------------------------------------------------

    def _handle(self, events: Iterable[Event], prompt_id: int | None = None) -> None:
        events = list(events)
        if not events:
            return
        reminders: list[tuple[int, Remind, MicroExercise | None]] = []
        with self.sink.batch() as writer:
            for event in events:
                if isinstance(event, BoutEnded):
                    writer.add_bout(event)
                    self._say(
                        f"bout: {event.seconds / 60:.1f} min seated, ended by {event.cause.value}"
                    )
                elif isinstance(event, BreakTaken):
                    writer.add_break(event)
                elif isinstance(event, BreakSkipped):
                    writer.add_skip(event)
                elif isinstance(event, BreakConfirmed):
                    writer.confirm_break(event)
                elif isinstance(event, BreakDenied):
                    writer.deny_break(event)
                elif isinstance(event, Remind) and event.again:
                    again = self._prompts.get(event.prompt_id)
                    reminders.append((event.prompt_id, event, again.micro if again else None))
                elif isinstance(event, Remind):
                    micro = self._micro_for(event)
                    row = writer.add_prompt(
                        event.at, event.kind.value, event.bout_seconds, micro.id if micro else None
                    )
                    self._prompts[event.prompt_id] = _PromptInfo(row, event.kind, micro)
                    reminders.append((event.prompt_id, event, micro))
                elif isinstance(event, PromptResolved):
                    info = self._prompts.get(event.prompt_id)
                    if info is not None:
                        writer.answer_prompt(info.row_id, event.answer, event.at)
                    # answered (or made moot by a break): take it off the screen
                    self._spawn(self.notifier.withdraw(event.prompt_id))
                elif isinstance(event, MicroDone):
                    info = self._prompts.get(prompt_id) if prompt_id is not None else None
                    exercise = (
                        minimum_dose(self.micro)
                        if event.minimum_dose or info is None or info.micro is None
                        else info.micro
                    )
                    writer.add_micro(event.at, exercise.id, event.minimum_dose)
                elif isinstance(event, StandingEnded):
                    writer.add_standing(event)
                    self._say(f"standing: {event.seconds / 60:.1f} min")
                elif isinstance(event, ClockJumped):
                    self._say(f"wall clock jumped by {event.seconds:+.0f} s; durations unaffected")
        for pid, remind, micro in reminders:
            message = compose(remind, micro)
            if pid in self._prompts:
                self._prompts[pid].message = message
            how = " (gently, no sound)" if message.gentle else ""
            after = f" (after {remind.bout_seconds / 60:.1f} min)" if remind.bout_seconds else ""
            self._say(f"reminder: {message.title}{after}{how}")
            self._spawn(self.notifier.show(pid, message, self.on_answer, self.on_open))

    def _micro_for(self, remind: Remind) -> MicroExercise | None:
        if remind.kind is PromptKind.MINIMUM_DOSE:
            return minimum_dose(self.micro)
        if remind.kind is not PromptKind.BREAK:
            return None
        if remind.snoozed and self._last_micro is not None:
            return self._last_micro  # the same exercise across a snooze
        self._last_micro = self.rotation.next(self.clock.wall())
        return self._last_micro

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run ``coro`` beside the loop (awaited before the coach stops)."""
        self._spawn(coro)

    def say(self, text: str) -> None:
        self._say(text)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _say(self, text: str) -> None:
        stamp = dt.datetime.now().astimezone().strftime("%H:%M:%S")
        self.out.write(f"{stamp} {text}\n")
        self.out.flush()

    def _write_status(self, *, force: bool = False, running: bool = True) -> None:
        if self.status_path is None and self.tray is None:
            return
        now = time.monotonic()
        if not force and now - self._status_written < 60:
            return
        self._status_written = now
        data = self._status_data(running)
        if self.status_path is not None:
            write_status(self.status_path, data)
        if self.tray is not None and running:
            prompt = self.state.prompt
            waiting = prompt is not None and prompt.open and prompt.kind is not PromptKind.RETURN
            self.tray.update(data, reminder_open=waiting)

    def _status_data(self, running: bool) -> dict[str, Any]:
        mono = self.clock.mono()
        bout = self.state.bout
        settings = self.settings
        due = self.state.due_mono
        return {
            "pid": os.getpid(),
            "running": running,
            "started": self._started.isoformat(timespec="seconds"),
            "updated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "idle_source": self.idle_description,
            "notifications": self.notifier.describe(),
            "status_indicator": (self.tray.description if self.tray else self.tray_description)
            or None,
            "bout_seconds": round(bout_seconds(self.state, mono), 1),
            "bout_started": bout.start_wall.isoformat(timespec="seconds") if bout else None,
            "posture": self.state.posture.value,
            "skips_in_a_row": self.state.skips_in_a_row,
            "reminders_shown": self.state.prompts_shown,
            "next_reminder_in_s": None if due is None else round(max(0.0, due - mono)),
            "interval_minutes": round(settings.interval_s / 60, 2),
            "idle_break_minutes": round(settings.idle_break_s / 60, 2),
            "quiet_hours": quiet_hours_label(settings),
            "quiet_now": in_quiet_hours(self.clock.wall(), settings),
            "in_call": self.call_description or None,
            "paused_until": self._paused_until(),
        }


def install_signal_handlers(stop: asyncio.Event, status: Callable[[], None] | None = None) -> None:
    """Ctrl-C / SIGTERM stop the coach; SIGUSR1 (POSIX) writes the status file now."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    usr1 = getattr(signal, "SIGUSR1", None)
    if status is not None and usr1 is not None:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(usr1, status)


__all__ = ["STATUS_FILE", "BreakCoach", "SystemClock", "install_signal_handlers", "read_status"]
