"""Engine v2 invariants, for any history Hypothesis can think of:

- a load never exceeds the heaviest weight the person owns;
- a break never increases the load at the next session;
- a regression never leaves the offending exercise unchanged (at the gentlest dose, with
  nothing easier, the dose is held and the decision says so);
- a red flag always stops, with the urgency of its group.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import MONDAY, follow, phase2_state, run_script, with_slot
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import DecisionKind, ScreeningOutcome

CATALOG = load_catalog()
DAY = dt.timedelta(days=1)
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

weights = st.lists(
    st.sampled_from([1.0, 2.0, 2.5, 4.0, 5.0, 6.0, 8.0, 10.0, 12.5, 16.0, 20.0]),
    min_size=1,
    max_size=5,
    unique=True,
)


@SLOW
@given(
    dumbbells=weights,
    kettlebells=st.lists(st.sampled_from([4.0, 8.0, 12.0, 16.0]), max_size=3, unique=True),
    days=st.integers(20, 160),
    rpe=st.sampled_from([5.0, 6.0, 7.0, 8.0]),
    phase1=st.booleans(),
)
def test_load_never_exceeds_the_heaviest_weight_owned(dumbbells, kettlebells, days, rpe, phase1):
    owned = {"dumbbell_pairs_kg": dumbbells, "kettlebells_kg": kettlebells}
    equipment = ["dumbbells", "kettlebell", "step", "band"]
    initial = None if phase1 else phase2_state(owned=owned, equipment=equipment)
    result = run_script(
        [follow(MONDAY, days, rpe=rpe, pain=0)], initial, owned=owned, equipment=equipment
    )
    heaviest = max([*dumbbells, *kettlebells])
    for step in result.steps:
        for item in step.decision.state.exercises:
            assert item.load_kg <= heaviest + 1e-9, (item, heaviest)
            if item.load_kg:
                assert item.load_kg in {*dumbbells, *kettlebells}


@SLOW
@given(
    before=st.integers(3, 40),
    gap=st.integers(1, 120),
    squat=st.sampled_from([4.0, 8.0, 12.0, 16.0, 20.0]),
    rpe=st.sampled_from([5.0, 6.0, 8.0, 9.5]),
    pain=st.integers(0, 7),
)
def test_a_break_never_increases_the_load_at_the_next_session(before, gap, squat, rpe, pain):
    start = with_slot(phase2_state(), "squat", load_kg=squat)
    back = MONDAY + (before + gap) * DAY
    events = [
        follow(MONDAY, before, rpe=rpe, pain=pain),
        {"type": "time_off", "day": (MONDAY + before * DAY).isoformat(), "days": gap},
        follow(back, 7, rpe=rpe, pain=pain),
    ]
    result = run_script(events, start)
    sessions = result.history.sessions
    prior = [s for s in sessions if s.performed_on < MONDAY + before * DAY]
    after = [s for s in sessions if s.performed_on >= back]
    if not prior or not after:
        return
    if (
        after[0].performed_on - prior[-1].performed_on
    ).days < CATALOG.rules.time_off.params.min_gap_days:
        return
    last_load = {s.exercise_id: s.load_kg for s in prior[-1].sets}
    for s in after[0].sets:
        if s.exercise_id in last_load:
            assert s.load_kg <= last_load[s.exercise_id] + 1e-9


@SLOW
@given(
    slot=st.sampled_from(["hinge", "squat", "step"]),
    load=st.sampled_from([0.0, 2.0, 4.0, 10.0, 20.0]),
    sets=st.integers(1, 5),
    reps=st.integers(1, 15),
    pain=st.integers(6, 10),
    equipment=st.sampled_from([["dumbbells", "step"], ["kettlebell", "step"], ["none"]]),
)
def test_a_regression_never_leaves_the_offending_exercise_unchanged(
    slot, load, sets, reps, pain, equipment
):
    state = phase2_state(equipment=equipment)
    chosen = next(e for e in state["exercises"] if e["slot"] == slot)
    exercise = CATALOG.exercise(chosen["exercise_id"])
    if exercise.loaded and load == 0:
        load = 4.0 if "kettlebell" in equipment else 2.0
    if "none" in equipment:
        load = 0.0 if not exercise.loaded else chosen["load_kg"]
    state = with_slot(state, slot, load_kg=load, sets=sets, reps=reps)
    before = next(e for e in state["exercises"] if e["slot"] == slot)
    logs = [
        {
            "exercise_id": before["exercise_id"],
            "set_index": 1,
            "reps": reps,
            "pain": pain,
            "load_kg": load,
            "rpe": 7,
            "felt_in": ["glutes"],
        }
    ]
    result = run_script([{"type": "session", "day": MONDAY.isoformat(), "sets": logs}], state)
    decision = result.steps[-1].decision
    after = decision.state.slot(slot)
    assert after is not None
    fields = ("exercise_id", "sets", "reps", "load_kg", "hold_seconds", "tempo", "band")
    if (
        (before["sets"], before["reps"]) == (1, 1)
        and not before["load_kg"]
        and not before["hold_seconds"]
        and CATALOG.exercise(before["exercise_id"]).regressions == ()
    ):
        # nothing easier left: the dose is held and the decision says so
        assert decision.kind is DecisionKind.HOLD
        assert "regression.floor" in {r.rule for r in decision.reasons}
        return
    assert decision.kind is DecisionKind.REGRESS
    assert any(getattr(after, f) != before[f] for f in fields), (before, after)


FLAGS = {f.id: f.group for f in CATALOG.rules.red_flags.flags}


@SLOW
@given(
    yes=st.lists(st.sampled_from(sorted(FLAGS)), min_size=1, max_size=4, unique=True),
    offset=st.integers(0, 30),
    days=st.integers(1, 30),
    how=st.sampled_from(["checkin", "safety"]),
)
def test_a_red_flag_always_stops_with_the_urgency_of_its_group(yes, offset, days, how):
    day = MONDAY + offset * DAY
    if how == "checkin":
        event = {
            "type": "checkin",
            "day": day.isoformat(),
            "checkin": {"day": day.isoformat(), "red_flags": dict.fromkeys(yes, True)},
        }
    else:
        event = {"type": "safety", "day": day.isoformat(), "yes": yes}
    result = run_script([follow(MONDAY, days), event])
    emergency = any(FLAGS[f] == "emergency" for f in yes)
    expected = ScreeningOutcome.REFER_EMERGENCY if emergency else ScreeningOutcome.REFER_SOON
    later = [s for s in result.steps if s.day >= day]
    assert later
    for step in later:
        assert step.decision.kind is DecisionKind.STOP_AND_REFER
        assert step.decision.refer is expected
        assert step.decision.state.stopped and step.decision.state.refer is expected
        advice = step.decision.reasons[0].text
        assert ("emergency department" in advice) is emergency
