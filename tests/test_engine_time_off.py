"""Time off, as a physiotherapist would state it: a return after a break resumes at a reduced
dose that grows with the break, long breaks re-ask the safety questions and the self-tests,
pain that rose over the break never progresses, and the gate counts weeks actually trained."""

from __future__ import annotations

import datetime as dt

from builders import MONDAY, follow, phase2_state, run_script, with_slot
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import DecisionKind, SessionLog
from glutecoach.core.progression import red_flags_due
from glutecoach.core.simulate import SimulationResult

CATALOG = load_catalog()
DAY = dt.timedelta(days=1)


def _squat_load(session: SessionLog) -> float:
    return max(s.load_kg for s in session.sets if s.exercise_id == "goblet_squat")


def _break(days: int, **kw) -> dict:
    start = MONDAY + 14 * DAY
    return {"type": "time_off", "day": start.isoformat(), "days": days, **kw}


def _phase2_with_a_break(days: int, **kw) -> SimulationResult:
    state = with_slot(phase2_state(), "squat", load_kg=12.0, reps=10)
    back = MONDAY + (14 + days) * DAY
    return run_script(
        [follow(MONDAY, 14, rpe=6), _break(days, **kw), follow(back, 14, rpe=6)], state
    )


def _around_the_break(result: SimulationResult, days: int) -> tuple[SessionLog, SessionLog]:
    split = MONDAY + 14 * DAY
    before = [s for s in result.history.sessions if s.performed_on < split][-1]
    after = next(s for s in result.history.sessions if s.performed_on >= split)
    assert (after.performed_on - before.performed_on).days >= days
    return before, after


def test_three_weeks_off_resumes_at_a_lower_load_and_never_adds_load_at_return() -> None:
    result = _phase2_with_a_break(21)
    before, after = _around_the_break(result, 21)
    assert _squat_load(after) < _squat_load(before)
    back = next(s for s in result.steps if s.day == after.performed_on)
    assert back.decision.kind is not DecisionKind.ADVANCE
    assert any(r.rule == "time_off.return" for r in back.decision.reasons)
    assert any("Bosquet" in src for r in back.decision.reasons for src in r.sources)
    load_after = {c.slot: c for c in back.decision.changes}
    assert "squat" in load_after


def test_the_reduction_grows_with_the_length_of_the_break() -> None:
    short = _around_the_break(_phase2_with_a_break(12), 12)[1]
    long = _around_the_break(_phase2_with_a_break(70), 70)[1]
    assert _squat_load(long) < _squat_load(short)


def test_a_short_gap_is_not_a_break() -> None:
    result = _phase2_with_a_break(4)
    assert not any(r.rule == "time_off.return" for s in result.steps for r in s.decision.reasons)


def test_two_months_away_with_resting_pain_up_never_says_keep_going_and_never_advances() -> None:
    events = [
        follow(MONDAY, 14, rpe=6, pain=1, morning_pain=2),
        _break(60, morning_pain=6),
        follow(MONDAY + 74 * DAY, 5, rpe=6, pain=1),
    ]
    result = run_script(events, with_slot(phase2_state(), "squat", load_kg=12.0))
    back = MONDAY + 74 * DAY
    checkin = next(s for s in result.steps if s.day == back and "check-in" in s.event)
    texts = " ".join(r.text for r in checkin.decision.reasons)
    assert "keep going" not in texts
    assert "6/10" in texts and "2/10" in texts
    assert checkin.decision.kind is not DecisionKind.ADVANCE
    returned = [s for s in result.steps if s.day >= back and "session" in s.event]
    assert returned and all(s.decision.kind is not DecisionKind.ADVANCE for s in returned)


def test_a_long_break_re_asks_the_red_flag_questions() -> None:
    result = run_script([follow(MONDAY, 10)])
    history = result.history
    assert "long break" in red_flags_due(history, CATALOG, MONDAY + 45 * DAY)
    assert "long break" not in red_flags_due(history, CATALOG, MONDAY + 12 * DAY)


def test_phase1_gate_counts_training_weeks_not_calendar_days() -> None:
    # Six sessions in the first week, then nothing: three weeks later the gate must not
    # count the idle days; with sessions in a second week it may.
    events = [follow(MONDAY, 6, rpe=5, pain=1, session_days=[0, 1, 2, 3, 4, 5])]
    events.append(
        {"type": "checkin", "day": "2026-01-26", "checkin": {"day": "2026-01-26", "pain": {}}}
    )
    result = run_script(events)
    last = result.steps[-1].decision
    assert any(r.text.startswith("Not yet: 1 completed training weeks") for r in last.reasons), [
        r.text for r in last.reasons
    ]


def test_after_a_long_phase1_break_the_gate_waits_for_fresh_self_tests() -> None:
    events = [
        follow(MONDAY, 14, rpe=5, pain=1),
        {"type": "time_off", "day": "2026-01-19", "days": 35},
        follow(dt.date(2026, 2, 23), 21, rpe=5, pain=1),
    ]
    result = run_script(events)
    back = [s for s in result.steps if s.day >= dt.date(2026, 2, 23)]
    assert all(s.decision.state.phase == 1 for s in back)
    assert any("self-tests re-done after" in r.text for r in back[-1].decision.reasons)


def test_checking_in_after_a_long_break_asks_the_safety_questions_first(run, tmp_path) -> None:
    import json

    from builders import answers

    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers().model_dump(mode="json")))
    assert run("--today", "2026-01-05", "screen", "--answers", str(path)).exit_code == 0
    logged = run("--today", "2026-01-05", "log", "glute_bridge", "--sets", "2", "--reps", "10")
    assert logged.exit_code == 0, logged.output
    count = len(CATALOG.rules.red_flags.flags)
    later = run("--today", "2026-02-20", "checkin", input="0\n0\n0\n0\n0\n" + "n\n" * count)
    assert later.exit_code == 0, later.output
    assert "After a long break: the safety questions again" in later.output


def test_a_short_break_withholds_the_step_up_decided_just_before_it() -> None:
    """Under 3 weeks off keeps the dose last TRAINED: a load increase decided after the last
    session before the break (never done) waits until the person has trained again."""
    start = with_slot(phase2_state(), "squat", load_kg=4.0)
    back = MONDAY + 19 * DAY
    events = [
        follow(MONDAY, 10, rpe=5.0, pain=0),
        {"type": "time_off", "day": (MONDAY + 10 * DAY).isoformat(), "days": 9},
        follow(back, 7, rpe=5.0, pain=0),
    ]
    result = run_script(events, start)
    sessions = result.history.sessions
    last = [s for s in sessions if s.performed_on < back][-1]
    first = next(s for s in sessions if s.performed_on >= back)
    decided_before = next(s.decision for s in result.steps if s.day == last.performed_on)
    assert decided_before is not None
    stepped_up = {
        e.exercise_id
        for e in decided_before.state.exercises
        if e.load_kg
        > max((x.load_kg for x in last.sets if x.exercise_id == e.exercise_id), default=e.load_kg)
    }
    assert stepped_up, "the scenario needs a load step up decided at the last session"
    trained = {x.exercise_id: x.load_kg for x in last.sets}
    for done in first.sets:
        assert done.load_kg <= trained.get(done.exercise_id, done.load_kg), done
    back_decision = next(s.decision for s in result.steps if s.day == first.performed_on)
    assert back_decision is not None and back_decision.kind is DecisionKind.HOLD
    text = " ".join(r.text for r in back_decision.reasons)
    assert "waits" in text and "dose you last trained" in text
