"""Values of the sitting-break coach's state machine: settings, samples, state and events.

See :mod:`glutecoach.core.sedentary` for the machine itself and the time model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

STAND_GOAL_START_S = 2 * 3600
STAND_GOAL_FULL_S = 4 * 3600
"""Daily standing goals: 2 h, then 4 h of standing and light activity (Buckley 2015)."""


class PromptKind(StrEnum):
    BREAK = "break"  # stand up and move, with a suggested micro-exercise
    MINIMUM_DOSE = "minimum_dose"  # after too many skips: one set of glute squeezes
    STAND = "stand"  # standing-desk mode: raise the desk
    SIT = "sit"  # standing-desk mode: time to sit again
    RETURN = "return"  # back after an idle gap: "did you stand up?" (confirms or denies it)


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
    reprompt_s: float = 4 * 60
    """An unanswered reminder is shown once more, gently (no sound), after this many seconds."""

    @classmethod
    def from_values(cls, values: Mapping[str, Any], **overrides: Any) -> DeskSettings:
        """Build from the person's settings: every desk setting, validated, defaults filled in
        (``glutecoach.settings.load_settings`` gives them; their defaults are this class's,
        shown there in minutes and HH:MM)."""

        def hhmm(text: Any) -> dt.time:
            hours, minutes = str(text).split(":")
            return dt.time(int(hours), int(minutes))

        made = cls(
            interval_s=float(values["reminder_interval_minutes"]) * 60,
            idle_break_s=float(values["idle_break_minutes"]) * 60,
            quiet_start=hhmm(values["quiet_hours_start"]),
            quiet_end=hhmm(values["quiet_hours_end"]),
            max_snoozes=int(values["max_snoozes"]),
            snooze_s=float(values["snooze_minutes"]) * 60,
            max_skips_in_a_row=int(values["max_skips_in_a_row"]),
            standing_desk=bool(values["standing_desk"]),
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
    paused: bool = False
    """The person paused the coach (for an hour, until tomorrow): no reminders, no questions."""
    in_call: bool | None = None
    """Camera or microphone in use, or a fullscreen window: a call, meeting or presentation.
    None: not looked (nothing in this sample depends on it).
    The adapter looks only when ``sedentary.wants_call_check`` says so."""


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
    reprompted: bool = False


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
    in_call: bool = False
    call_held_reminder: bool = False
    """A reminder fell due during the call: give it (gently) when the call ends."""
    call_seen_mono: float | None = None
    """The last sample that saw a call (idle time after a call counts from there)."""
    unconfirmed_break_wall: dt.datetime | None = None
    """A probable break (idle, lock) to ask about when the person is back."""


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
class BreakDenied:
    """The person said a probable break was none ("No, I stayed seated"): not counted."""

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
    gentle: bool = False
    """A quiet repeat (no sound): the re-prompt of an unanswered reminder, or after a call."""
    again: bool = False
    """The same reminder shown once more (same prompt id): keep its exercise, log no new row."""
    snoozed: bool = False
    """It follows a snooze: show the same exercise as before."""
    break_at: dt.datetime | None = None
    """For a RETURN prompt: when the probable break being asked about began."""


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
    | BreakDenied
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


def utc(when: dt.datetime) -> dt.datetime:
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


def quiet_hours_label(settings: DeskSettings) -> str | None:
    """ "19:00-08:00", or None when there are no quiet hours."""
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None or start == end:
        return None
    return f"{start:%H:%M}-{end:%H:%M}"


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
