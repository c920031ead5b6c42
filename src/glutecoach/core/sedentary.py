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
from dataclasses import replace

from glutecoach.core.sedentary_answer import answer
from glutecoach.core.sedentary_bouts import end_bout, end_standing, start_bout
from glutecoach.core.sedentary_metrics import LONG_BOUT_S, PeriodMetrics, summarize
from glutecoach.core.sedentary_model import (
    STAND_GOAL_FULL_S,
    STAND_GOAL_START_S,
    Bout,
    BoutEnded,
    BreakConfirmed,
    BreakDenied,
    BreakSkipped,
    BreakTaken,
    Cause,
    Choice,
    ClockJumped,
    DeskSettings,
    DeskState,
    Event,
    MicroDone,
    Posture,
    Prompt,
    PromptKind,
    PromptResolved,
    Remind,
    Sample,
    StandingEnded,
    Step,
    in_quiet_hours,
    quiet_hours_label,
    stand_block_s,
    standing_goal_s,
    utc,
)

__all__ = [
    "LONG_BOUT_S",
    "STAND_GOAL_FULL_S",
    "STAND_GOAL_START_S",
    "Bout",
    "BoutEnded",
    "BreakConfirmed",
    "BreakDenied",
    "BreakSkipped",
    "BreakTaken",
    "Cause",
    "Choice",
    "ClockJumped",
    "DeskSettings",
    "DeskState",
    "Event",
    "MicroDone",
    "PeriodMetrics",
    "Posture",
    "Prompt",
    "PromptKind",
    "PromptResolved",
    "Remind",
    "Sample",
    "StandingEnded",
    "Step",
    "answer",
    "bout_seconds",
    "finish",
    "in_quiet_hours",
    "next_wakeup",
    "observe",
    "quiet_hours_label",
    "stand_block_s",
    "standing_goal_s",
    "summarize",
    "utc",
    "wants_call_check",
    "watches_calls_while_away",
]


# --- the state machine --------------------------------------------------------------------


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
    state, idle = _follow_call(state, sample)

    last_input = min(sample.mono, sample.mono - idle)
    away = sample.locked or idle >= settings.idle_break_s

    if state.posture is Posture.STAND:
        if not sample.locked:
            state, more = _maybe_remind(state, sample, local, settings)
            events.extend(more)
            return Step(state, tuple(events))
        state, more = end_standing(state, sample.mono, sample.wall)
        events.extend(more)

    if state.bout is not None:
        end = max(state.bout.last_input_mono, last_input)
        state = replace(state, bout=replace(state.bout, last_input_mono=end))
        if away:
            cause = Cause.LOCK if sample.locked else Cause.IDLE
            state, more = end_bout(state, end, cause, settings)
            events.extend(more)
    elif not away:
        floor = state.no_bout_before_mono
        if floor is None or last_input > floor:
            state = start_bout(
                replace(state, no_bout_before_mono=None), last_input, sample, settings
            )
            state, more = _ask_about_break(state, sample, local, settings)
            events.extend(more)
    if sample.locked:
        # A locked screen is a break even when no bout was open (a short lock during a break, or
        # right after a click on a reminder): only input after it may start the next bout.
        floor = state.no_bout_before_mono
        state = replace(state, no_bout_before_mono=max(sample.mono, floor or sample.mono))

    state, more = _maybe_remind(state, sample, local, settings)
    events.extend(more)
    return Step(state, tuple(events))


def _follow_call(state: DeskState, sample: Sample) -> tuple[DeskState, float]:
    """Track calls (camera/microphone in use, fullscreen); returns the idle time to use.

    In a call the person is present and seated though they touch nothing: idle counts as 0, so
    the bout goes on and no break is logged. After the call, idle counts from its end."""
    idle = 0.0 if sample.idle_s is None else max(0.0, sample.idle_s)
    in_call = state.in_call if sample.in_call is None else sample.in_call
    if in_call and not sample.locked:
        return replace(state, in_call=True, call_seen_mono=sample.mono), 0.0
    if state.call_seen_mono is not None:
        idle = min(idle, max(0.0, sample.mono - state.call_seen_mono))
    return replace(state, in_call=False), idle


def wants_call_check(
    state: DeskState, mono: float, idle_s: float | None, settings: DeskSettings
) -> bool:
    """Should the adapter look for a call before feeding this sample?

    Only where the answer changes what happens: a call is going on, an idle gap would now count
    as a break, or a reminder (or its re-prompt, or a question on return) is due. Looking costs a
    scan of open files, so the coach does it at these moments only."""
    if state.in_call:
        return True
    idle = 0.0 if idle_s is None else idle_s
    if state.bout is not None and idle >= settings.idle_break_s:
        return True
    if state.due_mono is not None and mono >= state.due_mono:
        return True
    if state.unconfirmed_break_wall is not None and idle < settings.idle_break_s:
        return True
    return _reprompt_at(state, settings) <= mono


def watches_calls_while_away(state: DeskState, locked: bool) -> bool:
    """Should the adapter look (with its cheap signs only) for a call that starts while no bout
    is open? A call can begin without any input (joined from the phone, auto-answered, a
    meeting that starts itself): the person is back and seated, so the bout starts with the
    call, not at the next key press. Asked at every wake-up on a break, hence "cheap": the
    adapter only looks again where a camera or microphone was opened since it last looked."""
    return state.bout is None and not state.in_call and not locked and state.posture is Posture.SIT


def _suspend(state: DeskState, settings: DeskSettings) -> tuple[DeskState, list[Event]]:
    events: list[Event] = []
    if state.bout is not None:
        state, more = end_bout(state, state.bout.last_input_mono, Cause.SUSPEND, settings)
        events.extend(more)
    # Only input after the resume starts a bout (an idle counter may not count the suspend).
    state = replace(state, no_bout_before_mono=state.last_mono)
    if (
        state.posture is Posture.STAND
        and state.last_mono is not None
        and state.last_wall is not None
    ):
        state, more = end_standing(state, state.last_mono, state.last_wall)
        events.extend(more)
    return state, events


def _ask_about_break(
    state: DeskState, sample: Sample, local: dt.datetime, settings: DeskSettings
) -> tuple[DeskState, list[Event]]:
    """Back after an idle gap or a lock: was it a real break? (Not asked in calls or at night.)"""
    break_wall = state.unconfirmed_break_wall
    if break_wall is None or state.in_call or sample.paused or in_quiet_hours(local, settings):
        return state, []
    prompt_id = state.prompts_shown + 1
    remind = Remind(
        prompt_id=prompt_id,
        kind=PromptKind.RETURN,
        at=sample.wall,
        bout_seconds=0.0,
        snoozes_left=0,
        can_skip=True,
        gentle=True,
        break_at=break_wall,
    )
    prompt = Prompt(prompt_id, PromptKind.RETURN, sample.mono, sample.wall)
    prompt = replace(prompt, probable_break_wall=break_wall)
    return replace(state, prompts_shown=prompt_id, prompt=prompt), [remind]


def _reprompt_at(state: DeskState, settings: DeskSettings) -> float:
    """When the open reminder is shown once more, gently (inf: no re-prompt pending)."""
    prompt = state.prompt
    if (
        prompt is None
        or not prompt.open
        or prompt.reprompted
        or prompt.kind is PromptKind.RETURN
        or settings.reprompt_s >= settings.interval_s
    ):
        return float("inf")
    return prompt.mono + settings.reprompt_s


def _present(state: DeskState, mono: float, settings: DeskSettings) -> bool:
    bout = state.bout
    return bout is not None and mono - bout.last_input_mono < settings.idle_break_s / 2


def _maybe_remind(
    state: DeskState, sample: Sample, local: dt.datetime, settings: DeskSettings
) -> tuple[DeskState, list[Event]]:
    due = state.due_mono is not None and sample.mono >= state.due_mono
    if not due and _reprompt_at(state, settings) > sample.mono:
        return state, []
    if sample.paused or in_quiet_hours(local, settings):
        return state, []
    if state.in_call:
        return replace(state, call_held_reminder=due or state.call_held_reminder), []
    if not due:
        return _reprompt(state, sample, settings)
    if state.posture is Posture.STAND:
        kind = PromptKind.SIT
        stand_minutes = 0
    else:
        bout = state.bout
        if bout is None or sample.mono - bout.start_mono < settings.interval_s:
            return state, []
        if not _present(state, sample.mono, settings):
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
        gentle=state.call_held_reminder,
        snoozed=state.snoozes_used > 0,
    )
    repeat = stand_block_s(settings) if kind is PromptKind.SIT else settings.interval_s
    state = replace(
        state,
        prompts_shown=prompt_id,
        prompt=Prompt(prompt_id, kind, sample.mono, sample.wall),
        due_mono=sample.mono + repeat,
        call_held_reminder=False,
    )
    return state, [remind]


def _reprompt(
    state: DeskState, sample: Sample, settings: DeskSettings
) -> tuple[DeskState, list[Event]]:
    """The open reminder, unanswered for ``reprompt_s``: show it once more, without sound."""
    prompt = state.prompt
    assert prompt is not None
    if prompt.kind is not PromptKind.SIT and not _present(state, sample.mono, settings):
        return state, []
    stand = round(stand_block_s(settings) / 60) if prompt.kind is PromptKind.STAND else 0
    remind = Remind(
        prompt_id=prompt.id,
        kind=prompt.kind,
        at=sample.wall,
        bout_seconds=0.0 if state.bout is None else sample.mono - state.bout.start_mono,
        snoozes_left=max(0, settings.max_snoozes - state.snoozes_used),
        can_skip=prompt.kind is not PromptKind.MINIMUM_DOSE,
        stand_minutes=stand,
        gentle=True,
        again=True,
    )
    return replace(state, prompt=replace(prompt, reprompted=True)), [remind]


def finish(state: DeskState, mono: float, wall: dt.datetime, settings: DeskSettings) -> Step:
    """The coach stops: close the open bout (at the last input) and any standing period."""
    wall = utc(wall)
    events: list[Event] = []
    if state.bout is not None:
        state, more = end_bout(state, state.bout.last_input_mono, Cause.SHUTDOWN, settings)
        events.extend(more)
    if state.posture is Posture.STAND:
        state, more = end_standing(state, mono, wall)
        events.extend(more)
    return Step(state, tuple(events))


def next_wakeup(
    state: DeskState, mono: float, settings: DeskSettings, *, max_wait: float = 10.0
) -> float:
    """Seconds until the next moment anything could change without new input (at most max_wait)."""
    candidates = [max_wait, _reprompt_at(state, settings) - mono]
    if state.due_mono is not None:
        candidates.append(state.due_mono - mono)
    if state.bout is not None:
        candidates.append(state.bout.last_input_mono + settings.idle_break_s - mono)
    return max(0.05, min(candidates))


def bout_seconds(state: DeskState, mono: float) -> float:
    """Length of the current bout so far (0 when on a break)."""
    return 0.0 if state.bout is None else max(0.0, mono - state.bout.start_mono)
