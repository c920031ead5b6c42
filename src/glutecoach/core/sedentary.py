"""Sedentary bouts, breaks and reminders: the sitting-break coach's logic as a pure state machine.

Values in, values out: no clock, no I/O. The daemon (``glutecoach.desk``) feeds :func:`observe`
a :class:`Sample` every few seconds (monotonic time, wall time, input idle seconds, lock state)
and :func:`answer` whenever the person presses a notification button; both return the new
:class:`DeskState` and the :class:`Event` values to act on (show a reminder, log a bout...).

Time model
    Durations come only from the monotonic clock (``Sample.mono``), which does not run while the
    machine is suspended on Linux and macOS and never jumps. Wall time (an *aware* datetime) is
    used for labels and quiet hours only. A gap where wall time advanced much more than monotonic
    time is a suspend (a break); wall time going backwards, or DST (which does not change an
    aware instant), only relabels. When the adapter knows the suspended time exactly (Linux
    ``CLOCK_BOOTTIME - CLOCK_MONOTONIC``) it passes ``Sample.suspended_s`` and a wall-clock jump
    is then never mistaken for a suspend.

Every datetime in the events is in UTC; convert for display.

Terms follow the SBRN 2017 consensus (Tremblay 2017): a sedentary bout is an uninterrupted
period of sitting (here: of computer use with no idle gap of ``idle_break_s`` or more); a break
is a non-sedentary interruption between two bouts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

LONG_BOUT_S = 30 * 60
"""Bouts this long or longer count towards "time in bouts >= 30 min" (SBRN 2017 metrics)."""

STAND_GOAL_START_S = 2 * 3600
STAND_GOAL_FULL_S = 4 * 3600
"""Daily standing goals: 2 h, then 4 h of standing and light activity (Buckley 2015)."""


class PromptKind(StrEnum):
    BREAK = "break"  # stand up and move, with a suggested micro-exercise
    MINIMUM_DOSE = "minimum_dose"  # after too many skips: one set of glute squeezes
    STAND = "stand"  # standing-desk mode: raise the desk
    SIT = "sit"  # standing-desk mode: time to sit again


class Choice(StrEnum):
    DONE = "done"  # took the break (or: now standing / now sitting)
    STRETCHED = "stretched"  # did the suggested micro-exercise
    SNOOZE = "snooze"
    SKIP = "skip"


class Cause(StrEnum):
    IDLE = "idle"
    LOCK = "lock"
    SUSPEND = "suspend"
    ANSWER = "answer"
    STAND = "stand"
    SHUTDOWN = "shutdown"


class Posture(StrEnum):
    SIT = "sit"
    STAND = "stand"


@dataclass(frozen=True)
class DeskSettings:
    interval_s: float = 30 * 60
    idle_break_s: float = 3 * 60
    quiet_start: dt.time | None = dt.time(19, 0)
    quiet_end: dt.time | None = dt.time(8, 0)
    max_snoozes: int = 2
    snooze_s: float = 5 * 60
    max_skips_in_a_row: int = 2
    standing_desk: bool = False
    stand_goal_s: float = STAND_GOAL_START_S
    workday_s: float = 8 * 3600
    min_bout_s: float = 60.0
    """Bouts shorter than this (a glance at the screen during a break) are not recorded."""
    suspend_gap_s: float = 30.0
    """A wall-minus-monotonic gap larger than this between two samples is a suspend."""
    rest_grace_s: float = 2.0
    """After a confirmed break, input within this many seconds (the click) starts no bout."""

    @classmethod
    def from_values(cls, values: Mapping[str, Any], **overrides: Any) -> DeskSettings:
        """Build from the person's settings (``glutecoach.settings`` names)."""

        def hhmm(text: Any) -> dt.time:
            hours, minutes = str(text).split(":")
            return dt.time(int(hours), int(minutes))

        made = cls(
            interval_s=float(values.get("reminder_interval_minutes", 30)) * 60,
            idle_break_s=float(values.get("idle_break_minutes", 3)) * 60,
            quiet_start=hhmm(values.get("quiet_hours_start", "19:00")),
            quiet_end=hhmm(values.get("quiet_hours_end", "08:00")),
            max_snoozes=int(values.get("max_snoozes", 2)),
            snooze_s=float(values.get("snooze_minutes", 5)) * 60,
            max_skips_in_a_row=int(values.get("max_skips_in_a_row", 2)),
            standing_desk=bool(values.get("standing_desk", False)),
        )
        return replace(made, **overrides)


@dataclass(frozen=True)
class Sample:
    """One look at the machine.

    ``idle_s`` is None when no idle-time backend works (timer-only mode: the person is assumed
    active while the coach runs). ``wall`` must be timezone-aware (local time for quiet hours).
    """

    mono: float
    wall: dt.datetime
    idle_s: float | None
    locked: bool = False
    suspended_s: float | None = None


@dataclass(frozen=True)
class Bout:
    start_mono: float
    start_wall: dt.datetime
    last_input_mono: float
    reminders: int = 0


@dataclass(frozen=True)
class Prompt:
    id: int
    kind: PromptKind
    mono: float
    wall: dt.datetime
    open: bool = True
    probable_break_wall: dt.datetime | None = None


@dataclass(frozen=True)
class DeskState:
    last_mono: float | None = None
    last_wall: dt.datetime | None = None
    bout: Bout | None = None
    due_mono: float | None = None
    prompt: Prompt | None = None
    prompts_shown: int = 0
    snoozes_used: int = 0
    skips_in_a_row: int = 0
    posture: Posture = Posture.SIT
    posture_since_mono: float | None = None
    posture_since_wall: dt.datetime | None = None
    no_bout_before_mono: float | None = None


# --- events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoutEnded:
    start: dt.datetime
    end: dt.datetime
    seconds: float
    cause: Cause
    reminders: int


@dataclass(frozen=True)
class BreakTaken:
    at: dt.datetime
    cause: Cause
    confirmed: bool


@dataclass(frozen=True)
class BreakConfirmed:
    """A break already logged as probable (idle, lock) was confirmed by the person."""

    break_at: dt.datetime
    at: dt.datetime


@dataclass(frozen=True)
class BreakSkipped:
    at: dt.datetime
    skips_in_a_row: int


@dataclass(frozen=True)
class Remind:
    prompt_id: int
    kind: PromptKind
    at: dt.datetime
    bout_seconds: float
    snoozes_left: int
    can_skip: bool
    stand_minutes: int = 0


@dataclass(frozen=True)
class PromptResolved:
    prompt_id: int
    kind: PromptKind
    at: dt.datetime
    answer: str  # a Choice value, or "break" when an idle/lock/suspend break ended it


@dataclass(frozen=True)
class MicroDone:
    at: dt.datetime
    minimum_dose: bool


@dataclass(frozen=True)
class StandingEnded:
    start: dt.datetime
    end: dt.datetime
    seconds: float


@dataclass(frozen=True)
class ClockJumped:
    at: dt.datetime
    seconds: float


Event = (
    BoutEnded
    | BreakTaken
    | BreakConfirmed
    | BreakSkipped
    | Remind
    | PromptResolved
    | MicroDone
    | StandingEnded
    | ClockJumped
)


@dataclass(frozen=True)
class Step:
    state: DeskState
    events: tuple[Event, ...] = field(default_factory=tuple)


# --- helpers ------------------------------------------------------------------------------


def _utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        raise ValueError("wall time must be timezone-aware")
    return when.astimezone(dt.UTC)


def in_quiet_hours(when: dt.datetime, settings: DeskSettings) -> bool:
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None or start == end:
        return False
    now = when.time().replace(tzinfo=None)
    if start < end:
        return start <= now < end
    return now >= start or now < end


def stand_block_s(settings: DeskSettings) -> float:
    """Standing time per cycle so that sit ``interval_s`` + stand reaches the daily goal."""
    share = min(max(settings.stand_goal_s / settings.workday_s, 0.05), 0.75)
    return min(settings.interval_s * share / (1 - share), 3600.0)


def standing_goal_s(recent_days_standing_s: Sequence[float], *, days_to_build: int = 5) -> float:
    """Today's standing goal: 2 h until it was met on ``days_to_build`` working days, then 4 h.

    ``recent_days_standing_s``: standing seconds on recent working days, oldest first.
    """
    met = sum(1 for s in recent_days_standing_s if s >= STAND_GOAL_START_S)
    return STAND_GOAL_FULL_S if met >= days_to_build else STAND_GOAL_START_S


def _seconds(delta: dt.timedelta) -> float:
    return delta.total_seconds()


# --- the state machine --------------------------------------------------------------------


def _end_bout(
    state: DeskState, end_mono: float, cause: Cause, settings: DeskSettings
) -> tuple[DeskState, list[Event]]:
    """Close the open bout at ``end_mono`` (a bout shorter than ``min_bout_s`` leaves no trace)."""
    bout = state.bout
    assert bout is not None
    seconds = max(0.0, end_mono - bout.start_mono)
    new = replace(state, bout=None, due_mono=None, no_bout_before_mono=end_mono)
    if seconds < settings.min_bout_s and cause not in (Cause.ANSWER, Cause.STAND):
        return new, []
    end_wall = bout.start_wall + dt.timedelta(seconds=seconds)
    confirmed = cause in (Cause.ANSWER, Cause.STAND)
    events: list[Event] = [BoutEnded(bout.start_wall, end_wall, seconds, cause, bout.reminders)]
    if cause is Cause.SHUTDOWN:
        return new, events
    events.append(BreakTaken(end_wall, cause, confirmed))
    prompt = state.prompt
    if prompt is not None and prompt.open and not confirmed:
        events.append(PromptResolved(prompt.id, prompt.kind, end_wall, "break"))
        prompt = replace(prompt, open=False, probable_break_wall=end_wall)
    return replace(new, prompt=prompt, snoozes_used=0, skips_in_a_row=0), events


def _start_bout(
    state: DeskState, start_mono: float, sample: Sample, settings: DeskSettings
) -> DeskState:
    start_wall = sample.wall - dt.timedelta(seconds=sample.mono - start_mono)
    return replace(
        state,
        bout=Bout(start_mono, start_wall, start_mono),
        due_mono=start_mono + settings.interval_s,
        snoozes_used=0,
    )


def _end_standing(
    state: DeskState, end_mono: float, end_wall: dt.datetime
) -> tuple[DeskState, list[Event]]:
    if state.posture is not Posture.STAND or state.posture_since_mono is None:
        return state, []
    seconds = max(0.0, end_mono - state.posture_since_mono)
    start = state.posture_since_wall or end_wall
    new = replace(
        state,
        posture=Posture.SIT,
        posture_since_mono=end_mono,
        posture_since_wall=end_wall,
        due_mono=None,
    )
    return new, [StandingEnded(start, start + dt.timedelta(seconds=seconds), seconds)]


def observe(state: DeskState, sample: Sample, settings: DeskSettings) -> Step:
    """Feed one sample; returns the new state and what happened (bouts ended, reminders due)."""
    if sample.wall.tzinfo is None:
        raise ValueError("Sample.wall must be timezone-aware")
    local = sample.wall
    # Same-zone aware arithmetic in Python is wall-clock arithmetic (wrong across DST): work in UTC.
    sample = replace(sample, wall=sample.wall.astimezone(dt.UTC))
    events: list[Event] = []
    if state.last_mono is not None and sample.mono < state.last_mono:
        return Step(state)  # out-of-order sample: ignore
    if state.last_mono is not None and state.last_wall is not None:
        d_mono = sample.mono - state.last_mono
        d_wall = (sample.wall - state.last_wall).total_seconds()
        if sample.suspended_s is not None:
            suspended = sample.suspended_s
            jump = d_wall - d_mono - suspended
        else:
            suspended = d_wall - d_mono if d_wall - d_mono > settings.suspend_gap_s else 0.0
            jump = d_wall - d_mono if d_wall - d_mono < -settings.suspend_gap_s else 0.0
        if abs(jump) > settings.suspend_gap_s:
            events.append(ClockJumped(sample.wall, jump))
        if suspended > settings.suspend_gap_s:
            state, more = _suspend(state, settings)
            events.extend(more)
    state = replace(state, last_wall=sample.wall, last_mono=sample.mono)

    idle = 0.0 if sample.idle_s is None else max(0.0, sample.idle_s)
    last_input = min(sample.mono, sample.mono - idle)
    away = sample.locked or idle >= settings.idle_break_s

    if state.posture is Posture.STAND:
        if not sample.locked:
            state, more = _maybe_remind(state, sample, local, settings)
            events.extend(more)
            return Step(state, tuple(events))
        state, more = _end_standing(state, sample.mono, sample.wall)
        events.extend(more)

    if state.bout is not None:
        end = max(state.bout.last_input_mono, last_input)
        state = replace(state, bout=replace(state.bout, last_input_mono=end))
        if away:
            cause = Cause.LOCK if sample.locked else Cause.IDLE
            state, more = _end_bout(state, end, cause, settings)
            events.extend(more)
    elif not away:
        floor = state.no_bout_before_mono
        if floor is None or last_input > floor:
            state = _start_bout(
                replace(state, no_bout_before_mono=None), last_input, sample, settings
            )
    if sample.locked:
        # A locked screen is a break even when no bout was open (a short lock during a break, or
        # right after a click on a reminder): only input after it may start the next bout.
        floor = state.no_bout_before_mono
        state = replace(state, no_bout_before_mono=max(sample.mono, floor or sample.mono))

    state, more = _maybe_remind(state, sample, local, settings)
    events.extend(more)
    return Step(state, tuple(events))


def _suspend(state: DeskState, settings: DeskSettings) -> tuple[DeskState, list[Event]]:
    events: list[Event] = []
    if state.bout is not None:
        state, more = _end_bout(state, state.bout.last_input_mono, Cause.SUSPEND, settings)
        events.extend(more)
    # Only input after the resume starts a bout (an idle counter may not count the suspend).
    state = replace(state, no_bout_before_mono=state.last_mono)
    if (
        state.posture is Posture.STAND
        and state.last_mono is not None
        and state.last_wall is not None
    ):
        state, more = _end_standing(state, state.last_mono, state.last_wall)
        events.extend(more)
    return state, events


def _maybe_remind(
    state: DeskState, sample: Sample, local: dt.datetime, settings: DeskSettings
) -> tuple[DeskState, list[Event]]:
    if state.due_mono is None or sample.mono < state.due_mono:
        return state, []
    if in_quiet_hours(local, settings):
        return state, []
    if state.posture is Posture.STAND:
        kind = PromptKind.SIT
        stand_minutes = 0
    else:
        bout = state.bout
        if bout is None or sample.mono - bout.start_mono < settings.interval_s:
            return state, []
        if sample.mono - bout.last_input_mono >= settings.idle_break_s / 2:
            return state, []  # probably already away: remind when input shows presence
        if state.skips_in_a_row >= settings.max_skips_in_a_row:
            kind = PromptKind.MINIMUM_DOSE
        elif settings.standing_desk:
            kind = PromptKind.STAND
        else:
            kind = PromptKind.BREAK
        stand_minutes = round(stand_block_s(settings) / 60) if kind is PromptKind.STAND else 0
        state = replace(state, bout=replace(bout, reminders=bout.reminders + 1))
    prompt_id = state.prompts_shown + 1
    bout_seconds = 0.0 if state.bout is None else sample.mono - state.bout.start_mono
    remind = Remind(
        prompt_id=prompt_id,
        kind=kind,
        at=sample.wall,
        bout_seconds=bout_seconds,
        snoozes_left=max(0, settings.max_snoozes - state.snoozes_used),
        can_skip=kind is not PromptKind.MINIMUM_DOSE,
        stand_minutes=stand_minutes,
    )
    repeat = stand_block_s(settings) if kind is PromptKind.SIT else settings.interval_s
    state = replace(
        state,
        prompts_shown=prompt_id,
        prompt=Prompt(prompt_id, kind, sample.mono, sample.wall),
        due_mono=sample.mono + repeat,
    )
    return state, [remind]


def answer(
    state: DeskState,
    prompt_id: int,
    choice: Choice,
    mono: float,
    wall: dt.datetime,
    settings: DeskSettings,
) -> Step:
    """The person answered reminder ``prompt_id`` (a notification button) at ``mono``/``wall``."""
    wall = _utc(wall)
    prompt = state.prompt
    if prompt is None or prompt.id != prompt_id:
        return Step(state)  # stale: an older notification
    events: list[Event] = []
    if not prompt.open:
        # The break was already detected (idle, lock, suspend): a yes confirms it.
        if choice in (Choice.DONE, Choice.STRETCHED) and prompt.probable_break_wall is not None:
            events.append(BreakConfirmed(prompt.probable_break_wall, wall))
            if choice is Choice.STRETCHED or prompt.kind is PromptKind.MINIMUM_DOSE:
                events.append(MicroDone(wall, prompt.kind is PromptKind.MINIMUM_DOSE))
            events.append(PromptResolved(prompt.id, prompt.kind, wall, choice.value))
            state = replace(state, prompt=replace(prompt, probable_break_wall=None))
        return Step(state, tuple(events))

    events.append(PromptResolved(prompt.id, prompt.kind, wall, choice.value))
    closed = replace(prompt, open=False)
    if choice is Choice.SNOOZE and state.snoozes_used < settings.max_snoozes:
        state = replace(
            state,
            prompt=closed,
            snoozes_used=state.snoozes_used + 1,
            due_mono=mono + settings.snooze_s,
        )
        return Step(state, tuple(events))
    if choice in (Choice.SNOOZE, Choice.SKIP):
        if prompt.kind is PromptKind.SIT:
            state = replace(state, prompt=closed, due_mono=mono + stand_block_s(settings))
            return Step(state, tuple(events))
        skips = state.skips_in_a_row + 1
        events.append(BreakSkipped(wall, skips))
        state = replace(
            state,
            prompt=closed,
            skips_in_a_row=skips,
            snoozes_used=0,
            due_mono=mono + settings.interval_s,
        )
        return Step(state, tuple(events))

    # DONE or STRETCHED
    state = replace(state, prompt=closed)
    if prompt.kind is PromptKind.SIT:
        state, more = _end_standing(state, mono, wall)
        events.extend(more)
        return Step(replace(state, no_bout_before_mono=mono + settings.rest_grace_s), tuple(events))
    cause = Cause.STAND if prompt.kind is PromptKind.STAND else Cause.ANSWER
    if state.bout is not None:
        state, more = _end_bout(state, mono, cause, settings)
        events.extend(more)
    if choice is Choice.STRETCHED or prompt.kind is PromptKind.MINIMUM_DOSE:
        events.append(MicroDone(wall, prompt.kind is PromptKind.MINIMUM_DOSE))
    state = replace(
        state,
        skips_in_a_row=0,
        snoozes_used=0,
        due_mono=None,
        no_bout_before_mono=mono + settings.rest_grace_s,
    )
    if prompt.kind is PromptKind.STAND:
        state = replace(
            state,
            posture=Posture.STAND,
            posture_since_mono=mono,
            posture_since_wall=wall,
            due_mono=mono + stand_block_s(settings),
        )
    return Step(state, tuple(events))


def finish(state: DeskState, mono: float, wall: dt.datetime, settings: DeskSettings) -> Step:
    """The coach stops: close the open bout (at the last input) and any standing period."""
    wall = _utc(wall)
    events: list[Event] = []
    if state.bout is not None:
        state, more = _end_bout(state, state.bout.last_input_mono, Cause.SHUTDOWN, settings)
        events.extend(more)
    if state.posture is Posture.STAND:
        state, more = _end_standing(state, mono, wall)
        events.extend(more)
    return Step(state, tuple(events))


def next_wakeup(
    state: DeskState, mono: float, settings: DeskSettings, *, max_wait: float = 10.0
) -> float:
    """Seconds until the next moment anything could change without new input (at most max_wait)."""
    candidates = [max_wait]
    if state.due_mono is not None:
        candidates.append(state.due_mono - mono)
    if state.bout is not None:
        candidates.append(state.bout.last_input_mono + settings.idle_break_s - mono)
    return max(0.05, min(candidates))


def bout_seconds(state: DeskState, mono: float) -> float:
    """Length of the current bout so far (0 when on a break)."""
    return 0.0 if state.bout is None else max(0.0, mono - state.bout.start_mono)


# --- metrics (SBRN 2017 terms) ------------------------------------------------------------


@dataclass(frozen=True)
class PeriodMetrics:
    """Sitting metrics for one day or one ISO week."""

    period: str  # "2026-11-25" or "2026-W48"
    start: dt.date
    days: int
    sitting_s: float
    bouts: int
    breaks: int
    skipped: int
    breaks_per_sedentary_hour: float
    mean_bout_s: float
    longest_bout_s: float
    long_bouts_s: float
    standing_s: float
    micro_exercises: int


def summarize(
    period: str,
    start: dt.date,
    bouts_s: Iterable[float],
    *,
    days: int = 1,
    breaks: int = 0,
    skipped: int = 0,
    standing_s: float = 0.0,
    micro_exercises: int = 0,
) -> PeriodMetrics:
    bouts = [max(0.0, b) for b in bouts_s]
    sitting = sum(bouts)
    hours = sitting / 3600
    return PeriodMetrics(
        period=period,
        start=start,
        days=days,
        sitting_s=sitting,
        bouts=len(bouts),
        breaks=breaks,
        skipped=skipped,
        breaks_per_sedentary_hour=(breaks / hours) if hours > 0 else 0.0,
        mean_bout_s=(sitting / len(bouts)) if bouts else 0.0,
        longest_bout_s=max(bouts, default=0.0),
        long_bouts_s=sum(b for b in bouts if b >= LONG_BOUT_S),
        standing_s=standing_s,
        micro_exercises=micro_exercises,
    )
