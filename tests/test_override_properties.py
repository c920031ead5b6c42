"""Overrides never beat safety, for any mix Hypothesis can think of:

- an override never lets a load rise while the pain model says stop (neither the override
  itself nor the engine's decision that acts on pain);
- a red flag always stops, whatever override is in force, and stays stopped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import MONDAY, answers, phase2_state
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import (
    CheckIn,
    Decision,
    DecisionKind,
    History,
    OverrideKind,
    ProgramState,
    Region,
)
from glutecoach.core.override import OverrideRefused, OverrideRequest, make_override, pain_says_stop
from glutecoach.core.plan import build_plan
from glutecoach.core.progression import decide, planning_state
from glutecoach.core.simulate import FollowPlanEvent, planned_session_log

CATALOG = load_catalog()
OWNED = {"dumbbell_pairs_kg": [4.0, 6.0, 8.0, 10.0, 12.0]}
EQUIPMENT = ["dumbbells", "band", "step"]
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOTS = ["squat", "step", "hinge", None]

requests = st.builds(
    OverrideRequest,
    kind=st.sampled_from(list(OverrideKind)),
    note=st.just("physio"),
    slot=st.sampled_from(SLOTS),
    exercise_id=st.sampled_from(["bodyweight_squat", "goblet_squat", "low_step_up", None]),
    sets=st.one_of(st.none(), st.integers(1, 4)),
    reps=st.one_of(st.none(), st.integers(4, 15)),
    load_kg=st.one_of(st.none(), st.sampled_from([0.0, 4.0, 8.0, 12.0])),
)
days = st.fixed_dictionaries(
    {
        "pain": st.sampled_from([0, 1, 3, 6, 8]),
        "morning": st.one_of(st.none(), st.sampled_from([2, 6, 8])),
        "override": st.one_of(st.none(), requests),
    }
)


def _start() -> History:
    screening = answers(owned=OWNED, equipment=EQUIPMENT)
    state = ProgramState.model_validate(phase2_state(owned=OWNED, equipment=EQUIPMENT))
    seed = Decision(day=MONDAY, kind=DecisionKind.HOLD, reasons=(), state=state)
    return History(screening=screening, screened_on=MONDAY, decisions=(seed,))


def _with(history: History, **extra: Any) -> History:
    update = {key: (*getattr(history, key), value) for key, value in extra.items()}
    return history.model_copy(update=update)


def _train(history: History, day: dt.date, pain: int) -> History:
    state = planning_state(history, CATALOG, day)
    if state.stopped:
        return history
    plan = build_plan(state, CATALOG, history.screening, [day.weekday()], day)
    event = FollowPlanEvent(day=day, days=1, rpe=6, pain=pain, session_days=(day.weekday(),))
    log = planned_session_log(plan, day, event, state.phase)
    return history if log is None else _with(history, sessions=log)


def _no_rise(before: ProgramState, after: ProgramState) -> bool:
    """No slot's load, sets, reps or hold above what it was (nor a harder variant)."""
    old = {e.slot: e for e in before.exercises}
    for item in after.exercises:
        was = old.get(item.slot)
        if was is None:
            continue
        if item.exercise_id != was.exercise_id:
            if item.exercise_id in CATALOG.exercise(was.exercise_id).progressions:
                return False
            continue
        if (
            item.load_kg > was.load_kg + 1e-9
            or item.sets > was.sets
            or (item.reps or 0) > (was.reps or 0)
            or (item.hold_seconds or 0) > (was.hold_seconds or 0)
        ):
            return False
    return True


@SLOW
@given(st.lists(days, min_size=3, max_size=18))
def test_an_override_never_lets_load_rise_while_the_pain_model_says_stop(script) -> None:
    history = _start()
    for offset, today in enumerate(script):
        day = MONDAY + dt.timedelta(days=offset + 1)
        if today["morning"] is not None:
            history = _with(history, checkins=CheckIn(day=day, pain={Region.LOW_BACK: 0}))
            checkin = CheckIn(day=day, pain={Region.LOW_BACK: today["morning"]})
            history = _with(history, checkins=checkin)
        history = _train(history, day, today["pain"])
        before = history.decisions[-1].state
        decision = decide(history, CATALOG, day)
        if any(r.rule.startswith("pain_model") for r in decision.reasons):
            assert _no_rise(before, decision.state), decision
        history = _with(history, decisions=decision)
        if today["override"] is not None:
            stop = pain_says_stop(history, CATALOG, day)
            before = history.decisions[-1].state
            try:
                made = make_override(history, CATALOG, day, today["override"])
            except OverrideRefused:
                continue
            if stop:
                assert _no_rise(before, made.state), (stop, made)
            history = _with(history, decisions=made)


@SLOW
@given(
    st.lists(st.one_of(st.none(), requests), min_size=1, max_size=8),
    st.integers(0, 7),
    st.sampled_from(["saddle_numbness", "unexplained_weight_loss"]),
)
def test_a_red_flag_always_stops_whatever_the_override(overrides, flag_day, flag) -> None:
    history = _start()
    stopped = False
    for offset, request in enumerate(overrides):
        day = MONDAY + dt.timedelta(days=offset + 1)
        if offset == min(flag_day, len(overrides) - 1):
            history = _with(history, checkins=CheckIn(day=day, red_flags={flag: True}))
            stopped = True
        history = _train(history, day, 1)
        decision = decide(history, CATALOG, day)
        if stopped:
            assert decision.kind == DecisionKind.STOP_AND_REFER, decision
            assert decision.override is None and decision.state.stopped
        history = _with(history, decisions=decision)
        if request is not None:
            try:
                history = _with(history, decisions=make_override(history, CATALOG, day, request))
            except OverrideRefused as refused:
                assert not stopped or "red flag" in str(refused)
            else:
                assert not stopped, "an override was made over a red flag"
