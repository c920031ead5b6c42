"""Opening and closing sedentary bouts and standing periods (shared by observe and answer)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from glutecoach.core.sedentary_model import (
    Bout,
    BoutEnded,
    BreakTaken,
    Cause,
    DeskSettings,
    DeskState,
    Event,
    Posture,
    PromptKind,
    PromptResolved,
    Sample,
    StandingEnded,
)

ASK_ABOUT = (Cause.IDLE, Cause.LOCK)
"""Breaks only guessed from the machine: the person is asked about them on return."""


def end_bout(
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
        probable = None if prompt.kind is PromptKind.RETURN else end_wall
        prompt = replace(prompt, open=False, probable_break_wall=probable)
    unconfirmed = end_wall if cause in ASK_ABOUT else None
    new = replace(new, unconfirmed_break_wall=unconfirmed)
    return replace(new, prompt=prompt, snoozes_used=0, skips_in_a_row=0), events


def start_bout(
    state: DeskState, start_mono: float, sample: Sample, settings: DeskSettings
) -> DeskState:
    start_wall = sample.wall - dt.timedelta(seconds=sample.mono - start_mono)
    return replace(
        state,
        bout=Bout(start_mono, start_wall, start_mono),
        due_mono=start_mono + settings.interval_s,
        snoozes_used=0,
    )


def end_standing(
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
