"""The bout/break/reminder state machine, driven by a fake clock (no sleeping)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glutecoach.core.sedentary import (
    LONG_BOUT_S,
    STAND_GOAL_FULL_S,
    STAND_GOAL_START_S,
    BoutEnded,
    BreakConfirmed,
    BreakSkipped,
    BreakTaken,
    Cause,
    Choice,
    ClockJumped,
    DeskSettings,
    DeskState,
    MicroDone,
    PromptKind,
    PromptResolved,
    Remind,
    Sample,
    StandingEnded,
    in_quiet_hours,
    next_wakeup,
    observe,
    stand_block_s,
    standing_goal_s,
    summarize,
)

from .simulate import UTC, Sim, of_type

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_reminds_after_the_interval_of_activity_and_not_before() -> None:
    sim = Sim()
    assert of_type(sim.active(29.9), Remind) == []
    reminders = of_type(sim.active(0.2), Remind)
    assert len(reminders) == 1
    assert reminders[0].kind is PromptKind.BREAK
    assert 30 * 60 <= reminders[0].bout_seconds <= 30 * 60 + sim.poll
    assert reminders[0].can_skip and reminders[0].snoozes_left == 2


def test_the_interval_setting_is_respected() -> None:
    sim = Sim(settings=DeskSettings(interval_s=45 * 60, quiet_start=None))
    assert of_type(sim.active(44.9), Remind) == []
    assert len(of_type(sim.active(0.2), Remind)) == 1


def test_idle_for_the_break_time_ends_the_bout_and_resets_the_count() -> None:
    sim = Sim()
    sim.active(20)
    events = sim.idle(3.1)
    (bout,) = of_type(events, BoutEnded)
    assert bout.cause is Cause.IDLE
    assert bout.seconds == pytest.approx(20 * 60, abs=sim.poll)
    (brk,) = of_type(events, BreakTaken)
    assert not brk.confirmed and brk.cause is Cause.IDLE
    assert of_type(sim.active(20), Remind) == []  # 20 + 20 minutes, but broken up


def test_a_short_idle_is_not_a_break() -> None:
    sim = Sim()
    sim.active(20)
    assert sim.idle(2) == []
    assert of_type(sim.active(7.9), Remind) == []
    assert len(of_type(sim.active(0.2), Remind)) == 1  # 20 + 2 + 8 = 30 min


def test_a_locked_screen_is_a_break_even_when_short() -> None:
    sim = Sim()
    sim.active(20)
    sim.locked = True
    events = sim.idle(1)
    (bout,) = of_type(events, BoutEnded)
    assert bout.cause is Cause.LOCK
    sim.locked = False
    assert of_type(sim.active(25), Remind) == []


def test_glances_during_a_break_leave_no_bout() -> None:
    sim = Sim()
    sim.active(10)
    sim.idle(4)
    sim.active(0.25)  # a 15 s look at the screen
    events = sim.idle(4)
    assert of_type(events, BoutEnded) == []
    assert len(sim.bouts()) == 1


def test_suspend_is_a_break_and_keeps_the_bout() -> None:
    sim = Sim()
    sim.active(20)
    events = sim.suspend(60)
    (bout,) = of_type(events, BoutEnded)
    assert bout.cause is Cause.SUSPEND
    assert bout.seconds == pytest.approx(20 * 60, abs=sim.poll)
    assert of_type(events, BreakTaken)[0].cause is Cause.SUSPEND
    # no input yet after the resume: no bout starts, no reminder
    assert of_type(sim.idle(1), BoutEnded) == []
    assert of_type(sim.active(20), Remind) == []


def test_suspend_reported_by_the_adapter() -> None:
    sim = Sim()
    sim.active(20)
    (bout,) = of_type(sim.suspend(10, hint=True), BoutEnded)
    assert bout.cause is Cause.SUSPEND


def test_wall_clock_set_back_neither_reminds_nor_loses_the_bout() -> None:
    sim = Sim()
    sim.active(10)
    sim.jump_clock(-3600)
    events = sim.active(10)
    assert of_type(events, ClockJumped)
    assert of_type(events, BoutEnded) == []
    assert of_type(sim.active(9.9), Remind) == []
    assert len(of_type(sim.active(0.2), Remind)) == 1
    (bout,) = of_type(sim.stop(), BoutEnded)
    assert bout.seconds == pytest.approx(30 * 60, abs=2 * sim.poll)
    assert bout.end - bout.start == dt.timedelta(seconds=bout.seconds)


def test_wall_clock_set_forward_with_a_suspend_hint_changes_nothing() -> None:
    sim = Sim()
    sim.active(10)
    sim.jump_clock(3600)
    sim.mono += sim.poll
    sim.true_elapsed += sim.poll
    sim.last_input = sim.mono
    events = sim.sample(suspended_s=0.0)
    assert of_type(events, ClockJumped)
    assert of_type(events, BoutEnded) == []
    assert len(of_type(sim.active(20), Remind)) == 1


def test_wall_clock_set_forward_without_a_hint_splits_but_keeps_the_time() -> None:
    sim = Sim()
    sim.active(10)
    sim.jump_clock(3600)
    sim.active(10)
    sim.stop()
    total = sum(b.seconds for b in sim.bouts())
    assert total == pytest.approx(20 * 60, abs=2 * sim.poll)
    assert sim.reminders() == []


@pytest.mark.parametrize(
    "start",
    [
        dt.datetime(2026, 3, 29, 0, 40, tzinfo=UTC),  # 01:40 CET -> 03:00 CEST at 01:00 UTC
        dt.datetime(2026, 10, 25, 0, 40, tzinfo=UTC),  # 02:40 CEST -> 02:00 CET at 01:00 UTC
    ],
)
def test_dst_changes_neither_remind_early_nor_late(start: dt.datetime) -> None:
    sim = Sim(start=start, tz=BERLIN)
    assert of_type(sim.active(29.9), Remind) == []
    assert len(of_type(sim.active(0.2), Remind)) == 1
    (bout,) = of_type(sim.stop(), BoutEnded)
    assert bout.seconds == pytest.approx(30 * 60 + 6, abs=sim.poll)
    assert (bout.end - bout.start).total_seconds() == pytest.approx(bout.seconds)


def test_quiet_hours_hold_reminders_until_they_end() -> None:
    settings_ = DeskSettings(quiet_start=dt.time(19, 0), quiet_end=dt.time(8, 0))
    sim = Sim(settings=settings_, start=dt.datetime(2026, 11, 24, 7, 20, tzinfo=BERLIN), tz=BERLIN)
    assert of_type(sim.active(39.9), Remind) == []  # until 08:00
    reminders = of_type(sim.active(0.2), Remind)
    assert len(reminders) == 1
    assert reminders[0].bout_seconds >= 40 * 60 - sim.poll


def test_in_quiet_hours_wraps_midnight() -> None:
    s = DeskSettings(quiet_start=dt.time(19, 0), quiet_end=dt.time(8, 0))
    at = dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert in_quiet_hours(at.replace(hour=23), s)
    assert in_quiet_hours(at.replace(hour=7, minute=59), s)
    assert not in_quiet_hours(at.replace(hour=8), s)
    day = DeskSettings(quiet_start=dt.time(12, 0), quiet_end=dt.time(13, 0))
    assert in_quiet_hours(at.replace(hour=12, minute=30), day)
    assert not in_quiet_hours(at.replace(hour=13, minute=30), day)
    assert not in_quiet_hours(at, DeskSettings(quiet_start=None))


def test_snooze_has_a_limit_then_counts_as_a_skip() -> None:
    sim = Sim()
    sim.active(30.1)
    assert of_type(sim.press(Choice.SNOOZE), BreakSkipped) == []
    assert of_type(sim.active(4.9), Remind) == []
    (second,) = of_type(sim.active(0.2), Remind)
    assert second.snoozes_left == 1
    sim.press(Choice.SNOOZE)
    (third,) = of_type(sim.active(5.1), Remind)
    assert third.snoozes_left == 0
    (skip,) = of_type(sim.press(Choice.SNOOZE), BreakSkipped)
    assert skip.skips_in_a_row == 1


def test_two_skips_in_a_row_then_the_minimum_dose() -> None:
    sim = Sim()
    sim.active(30.1)
    sim.press(Choice.SKIP)
    assert of_type(sim.active(29.8), Remind) == []
    sim.active(0.3)
    (skip,) = of_type(sim.press(Choice.SKIP), BreakSkipped)
    assert skip.skips_in_a_row == 2
    (offer,) = of_type(sim.active(30.1), Remind)
    assert offer.kind is PromptKind.MINIMUM_DOSE and not offer.can_skip
    events = sim.press(Choice.DONE)
    (micro,) = of_type(events, MicroDone)
    assert micro.minimum_dose
    assert of_type(events, BreakTaken)[0].confirmed
    assert sim.state.skips_in_a_row == 0
    (bout,) = of_type(events, BoutEnded)
    assert bout.reminders == 3


def test_done_ends_the_bout_as_a_confirmed_break() -> None:
    sim = Sim()
    sim.active(30.1)
    events = sim.press(Choice.STRETCHED)
    (bout,) = of_type(events, BoutEnded)
    assert bout.cause is Cause.ANSWER and bout.seconds >= 30 * 60
    assert of_type(events, BreakTaken)[0].confirmed
    assert of_type(events, MicroDone) == [MicroDone(bout.end, False)]
    assert of_type(events, PromptResolved)[0].answer == "stretched"
    # the click itself starts no new bout; a walk of 2 minutes is then not "sitting"
    sim.idle(2)
    sim.active(2)
    (next_bout,) = of_type(sim.stop(), BoutEnded)
    assert next_bout.seconds == pytest.approx(120, abs=sim.poll)


def test_an_idle_break_after_a_reminder_can_be_confirmed() -> None:
    sim = Sim()
    sim.active(30.1)
    events = sim.idle(5)
    assert of_type(events, PromptResolved)[0].answer == "break"
    (brk,) = of_type(events, BreakTaken)
    events = sim.press(Choice.DONE)
    (confirmed,) = of_type(events, BreakConfirmed)
    assert confirmed.break_at == brk.at
    assert sim.press(Choice.DONE) == []  # only once


def test_stale_answers_are_ignored() -> None:
    sim = Sim()
    sim.active(30.1)
    assert sim.press(Choice.DONE, prompt_id=99) == []


def test_timer_only_mode_reminds_on_running_time() -> None:
    sim = Sim(idle_source=False)
    assert of_type(sim.idle(29.9), Remind) == []
    assert len(of_type(sim.idle(0.2), Remind)) == 1


def test_standing_desk_alternates_and_logs_standing_time() -> None:
    sim = Sim(settings=DeskSettings(standing_desk=True, quiet_start=None))
    (stand,) = of_type(sim.active(30.1), Remind)
    assert stand.kind is PromptKind.STAND
    assert stand.stand_minutes == 10
    events = sim.press(Choice.DONE)
    assert of_type(events, BoutEnded)[0].cause is Cause.STAND
    assert of_type(sim.active(9.9), Remind) == []
    (sit,) = of_type(sim.active(0.2), Remind)
    assert sit.kind is PromptKind.SIT
    (standing,) = of_type(sim.press(Choice.DONE), StandingEnded)
    assert standing.seconds == pytest.approx(10.1 * 60, abs=sim.poll)
    assert sim.reminders()[-1].kind is PromptKind.SIT
    assert of_type(sim.active(29.5), Remind) == []


def test_standing_goal_builds_up() -> None:
    assert standing_goal_s([]) == STAND_GOAL_START_S
    assert standing_goal_s([7200] * 4 + [100]) == STAND_GOAL_START_S
    assert standing_goal_s([7200] * 5) == STAND_GOAL_FULL_S
    two = DeskSettings(stand_goal_s=STAND_GOAL_START_S)
    four = DeskSettings(stand_goal_s=STAND_GOAL_FULL_S)
    assert stand_block_s(two) == pytest.approx(600)
    assert stand_block_s(four) == pytest.approx(1800)


def test_next_wakeup_sleeps_until_the_next_possible_event() -> None:
    sim = Sim()
    sim.active(1)
    wait = next_wakeup(sim.state, sim.mono, sim.settings, max_wait=600)
    assert wait == pytest.approx(sim.settings.idle_break_s)
    assert next_wakeup(sim.state, sim.mono, sim.settings) == 10.0
    sim.active(28)
    assert next_wakeup(sim.state, sim.mono, sim.settings, max_wait=600) == pytest.approx(65)


def test_naive_wall_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        observe(DeskState(), Sample(0.0, dt.datetime(2026, 1, 1), 0.0), DeskSettings())


def test_summarize_uses_sbrn_metrics() -> None:
    m = summarize("2026-11-24", dt.date(2026, 11, 24), [1800, 3600, 600], breaks=3, skipped=1)
    assert m.sitting_s == 6000
    assert m.bouts == 3
    assert m.breaks_per_sedentary_hour == pytest.approx(3 / (6000 / 3600))
    assert m.mean_bout_s == 2000
    assert m.longest_bout_s == 3600
    assert m.long_bouts_s == 1800 + 3600
    empty = summarize("x", dt.date(2026, 1, 1), [])
    assert empty.breaks_per_sedentary_hour == 0 and empty.mean_bout_s == 0
    assert LONG_BOUT_S == 1800


# --- properties -----------------------------------------------------------------------------

ACTIONS = st.one_of(
    st.tuples(st.just("active"), st.floats(0.1, 70)),
    st.tuples(st.just("idle"), st.floats(0.1, 8)),
    st.tuples(st.just("lock"), st.floats(0.1, 5)),
    st.tuples(st.just("suspend"), st.floats(1, 600)),
    st.tuples(st.just("jump"), st.floats(-7200, 7200)),
    st.tuples(st.just("press"), st.sampled_from(list(Choice))),
)


@settings(max_examples=60, deadline=None)
@given(
    actions=st.lists(ACTIONS, max_size=25),
    interval=st.integers(30, 60),
    idle_break=st.integers(1, 15),
    poll=st.sampled_from([2.0, 5.0, 10.0]),
)
def test_properties_of_reminders_and_bouts(
    actions: list[tuple[str, object]], interval: int, idle_break: int, poll: float
) -> None:
    cfg = DeskSettings(interval_s=interval * 60, idle_break_s=idle_break * 60, quiet_start=None)
    sim = Sim(settings=cfg, poll=poll)
    first_mono = sim.mono
    # independent oracle: when the last real break (idle >= idle_break, lock, suspend, Done) ended
    break_end = sim.mono
    for kind, value in actions:
        before = len(sim.events)
        if kind == "active":
            sim.active(float(value))  # type: ignore[arg-type]
        elif kind == "idle":
            minutes = float(value)  # type: ignore[arg-type]
            sim.idle(minutes)
            if minutes * 60 >= cfg.idle_break_s:
                break_end = sim.mono
        elif kind == "lock":
            sim.locked = True
            sim.idle(float(value))  # type: ignore[arg-type]
            sim.locked = False
            break_end = sim.mono
        elif kind == "suspend":
            sim.suspend(float(value))  # type: ignore[arg-type]
            break_end = sim.mono
        elif kind == "jump":
            sim.jump_clock(float(value))  # type: ignore[arg-type]
        elif kind == "press" and sim.reminders():
            choice = value
            assert isinstance(choice, Choice)
            sim.press(choice)
            if choice in (Choice.DONE, Choice.STRETCHED):
                break_end = sim.mono
        for event in sim.events[before:]:
            if isinstance(event, Remind):
                assert event.bout_seconds >= cfg.interval_s
        # never a reminder before `interval` of unbroken activity (checked against the oracle)
        new = [e for e in sim.events[before:] if isinstance(e, Remind)]
        if new:
            assert sim.mono - break_end >= cfg.interval_s - 1e-6
    sim.stop()
    bouts = sim.bouts()
    total = sum(b.seconds for b in bouts)
    assert total <= sim.mono - first_mono + 1e-6
    for b in bouts:
        assert b.seconds >= 0
        assert (b.end - b.start).total_seconds() == pytest.approx(b.seconds)
    assert sim.state.bout is None
