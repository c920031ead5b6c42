"""The coach v2's logic in the pure state machine: re-prompt, calls, the question on return."""

from __future__ import annotations

from glutecoach.core.sedentary import (
    BoutEnded,
    BreakConfirmed,
    BreakDenied,
    BreakTaken,
    Cause,
    Choice,
    DeskSettings,
    PromptKind,
    Remind,
)

from .simulate import Sim, nudges, of_type


def _reminds(events: list[object]) -> list[Remind]:
    return [e for e in events if isinstance(e, Remind)]


def test_an_unanswered_reminder_is_shown_once_more_gently_after_a_few_minutes() -> None:
    sim = Sim(settings=DeskSettings(quiet_start=None, reprompt_s=4 * 60))
    (first,) = nudges(sim.active(30.1))
    assert not first.gentle
    assert _reminds(sim.active(3.8)) == []
    (again,) = _reminds(sim.active(0.3))
    assert again.again and again.gentle and again.prompt_id == first.prompt_id
    assert _reminds(sim.active(20)) == []  # once only; the next one after the interval
    (next_one,) = nudges(sim.active(6))
    assert next_one.prompt_id == first.prompt_id + 1 and not next_one.gentle


def test_an_answered_reminder_is_not_re_prompted() -> None:
    sim = Sim(settings=DeskSettings(quiet_start=None, reprompt_s=4 * 60))
    sim.active(30.1)
    sim.press(Choice.SNOOZE)
    assert _reminds(sim.active(4.5)) == []  # the snooze (5 min) decides, not the re-prompt
    (after_snooze,) = nudges(sim.active(0.6))
    assert after_snooze.snoozed  # the daemon keeps the same exercise


def test_in_a_call_idle_time_is_no_break_and_no_reminder_interrupts() -> None:
    sim = Sim(settings=DeskSettings(quiet_start=None, reprompt_s=4 * 60))
    sim.active(10)
    sim.call = True
    events = sim.idle(45)  # 45 min in a call without touching anything
    assert of_type(events, BoutEnded) == [] and _reminds(events) == []
    assert sim.state.bout is not None and sim.state.call_held_reminder
    sim.call = False
    (after,) = _reminds(sim.idle(0.1))  # the call ended: the held reminder, gently
    assert after.gentle and after.kind is PromptKind.BREAK
    assert after.bout_seconds >= 54 * 60  # the call counted as sitting (10 + 45 min)
    events = sim.idle(3.1)  # then away: the break starts when the call ended
    (bout,) = of_type(events, BoutEnded)
    assert bout.cause is Cause.IDLE and bout.seconds >= 54 * 60


def test_call_detection_is_asked_only_when_it_matters() -> None:
    sim = Sim(settings=DeskSettings(quiet_start=None))
    sim.call = False
    sim.active(20)  # typing, nothing due: no need to look
    assert sim.call_checks == 0
    sim.active(10.2)  # the reminder falls due: look once
    assert 1 <= sim.call_checks <= 2


def test_back_from_an_idle_gap_the_person_confirms_or_denies_the_break() -> None:
    sim = Sim()
    sim.active(10)
    events = sim.idle(5)
    (brk,) = of_type(events, BreakTaken)
    assert not brk.confirmed  # probable only
    (ask,) = _reminds(sim.active(0.2))
    assert ask.kind is PromptKind.RETURN and ask.break_at == brk.at and ask.gentle
    (yes,) = of_type(sim.press(Choice.DONE, ask.prompt_id), BreakConfirmed)
    assert yes.break_at == brk.at
    assert sim.state.bout is not None  # answering does not end the new bout
    sim.active(10)
    sim.idle(5)
    (ask2,) = _reminds(sim.active(0.2))
    (denied,) = of_type(sim.press(Choice.SKIP, ask2.prompt_id), BreakDenied)
    assert denied.break_at == ask2.break_at
    assert sim.state.unconfirmed_break_wall is None
    assert of_type(sim.press(Choice.DONE, ask2.prompt_id), BreakConfirmed) == []  # once


def test_no_question_after_a_confirmed_break_or_a_suspend() -> None:
    sim = Sim()
    sim.active(30.1)
    sim.press(Choice.DONE)  # confirmed by the answer
    sim.idle(5)
    assert [r for r in _reminds(sim.active(1)) if r.kind is PromptKind.RETURN] == []
    sim.suspend(10)
    assert [r for r in _reminds(sim.active(1)) if r.kind is PromptKind.RETURN] == []


def test_a_call_that_starts_on_a_break_starts_the_bout_without_input() -> None:
    sim = Sim(settings=DeskSettings(quiet_start=None))
    sim.call = False
    sim.active(10)
    events = sim.idle(5)  # away: a probable break
    assert of_type(events, BoutEnded) and sim.state.bout is None
    sim.call = True  # the call begins (joined from the phone): no key pressed
    call_start = sim.mono
    sim.idle(0.2)
    bout = sim.state.bout
    assert bout is not None and sim.state.in_call
    assert 0 < bout.start_mono - call_start <= sim.poll  # the bout starts with the call
    events = sim.idle(40)  # 40 min in the call, still no input
    assert of_type(events, BoutEnded) == [] and _reminds(events) == []
    assert [r for r in _reminds(events) if r.kind is PromptKind.RETURN] == []  # no question
    sim.call = False
    (after,) = _reminds(sim.idle(0.1))  # the call ended: the reminder it held, gently
    assert after.gentle and after.bout_seconds >= 40 * 60


def test_a_locked_screen_on_a_break_is_no_call() -> None:
    sim = Sim(settings=DeskSettings(quiet_start=None))
    sim.call = False
    sim.active(10)
    sim.idle(5)
    sim.locked = True
    sim.call = True  # e.g. a recording app left open behind the lock screen
    sim.idle(5)
    assert sim.state.bout is None
