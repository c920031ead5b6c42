"""The person's answers to reminders (notification buttons), as a pure function.

Part of the sitting-break coach's state machine (:mod:`glutecoach.core.sedentary`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from glutecoach.core.sedentary_bouts import end_bout, end_standing
from glutecoach.core.sedentary_model import (
    BreakConfirmed,
    BreakDenied,
    BreakSkipped,
    Cause,
    Choice,
    DeskSettings,
    DeskState,
    Event,
    MicroDone,
    Posture,
    Prompt,
    PromptKind,
    PromptResolved,
    Step,
    stand_block_s,
    utc,
)


def answer(
    state: DeskState,
    prompt_id: int,
    choice: Choice,
    mono: float,
    wall: dt.datetime,
    settings: DeskSettings,
) -> Step:
    """The person answered reminder ``prompt_id`` (a notification button) at ``mono``/``wall``."""
    wall = utc(wall)
    prompt = state.prompt
    if prompt is None or prompt.id != prompt_id:
        return Step(state)  # stale: an older notification
    events: list[Event] = []
    if prompt.kind is PromptKind.RETURN:
        return _answer_return(state, prompt, choice, wall)
    if not prompt.open:
        # The break was already detected (idle, lock, suspend): a yes confirms it.
        if choice in (Choice.DONE, Choice.STRETCHED) and prompt.probable_break_wall is not None:
            events.append(BreakConfirmed(prompt.probable_break_wall, wall))
            if choice is Choice.STRETCHED or prompt.kind is PromptKind.MINIMUM_DOSE:
                events.append(MicroDone(wall, prompt.kind is PromptKind.MINIMUM_DOSE))
            events.append(PromptResolved(prompt.id, prompt.kind, wall, choice.value))
            state = replace(
                state,
                prompt=replace(prompt, probable_break_wall=None),
                unconfirmed_break_wall=_forget(state, prompt.probable_break_wall),
            )
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
        state, more = end_standing(state, mono, wall)
        events.extend(more)
        return Step(replace(state, no_bout_before_mono=mono + settings.rest_grace_s), tuple(events))
    cause = Cause.STAND if prompt.kind is PromptKind.STAND else Cause.ANSWER
    if state.bout is not None:
        state, more = end_bout(state, mono, cause, settings)
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


def _forget(state: DeskState, break_wall: dt.datetime | None) -> dt.datetime | None:
    """The break still to ask about, once ``break_wall`` has been answered for."""
    pending = state.unconfirmed_break_wall
    return None if pending is not None and pending == break_wall else pending


def _answer_return(state: DeskState, prompt: Prompt, choice: Choice, wall: dt.datetime) -> Step:
    """ "Did you stand up?" after an idle gap: yes confirms the break, no denies it."""
    break_wall = prompt.probable_break_wall
    if break_wall is None or choice is Choice.SNOOZE:
        return Step(state)
    happened: Event
    if choice is Choice.SKIP:
        happened = BreakDenied(break_wall, wall)
    else:
        happened = BreakConfirmed(break_wall, wall)
    events: list[Event] = [happened]
    if choice is Choice.STRETCHED:
        events.append(MicroDone(wall, False))
    events.append(PromptResolved(prompt.id, prompt.kind, wall, choice.value))
    state = replace(
        state,
        prompt=replace(prompt, open=False, probable_break_wall=None),
        unconfirmed_break_wall=_forget(state, break_wall),
    )
    return Step(state, tuple(events))
