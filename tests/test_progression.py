"""The progression engine: examples for each rule, and property tests for its invariants."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import MONDAY, answers, script
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    CheckIn,
    DecisionKind,
    Equipment,
    History,
    Phase,
    ProgramState,
    SessionLog,
    SetLog,
)
from glutecoach.core.progression import decide
from glutecoach.core.simulate import SimulationScript, simulate

CATALOG = load_catalog()


def run(events: list[dict], **screening) -> list:
    result = simulate(SimulationScript.model_validate(script(events, **screening)), CATALOG)
    return list(result.steps)


def follow(day: dt.date, days: int, **kw) -> dict:
    return {"type": "follow_plan", "day": day.isoformat(), "days": days, **kw}


def test_phase_gate_holds_until_two_weeks_then_advances(catalog: Catalog) -> None:
    steps = run([follow(MONDAY, 28, rpe=5, pain=1, morning_pain=1)])
    advanced = [s for s in steps if s.decision.state.phase is Phase.BUILD_STRENGTH]
    assert advanced, "a clean month of Phase 1 should reach Phase 2"
    first = advanced[0]
    assert (first.day - MONDAY).days >= 14
    phase1_sessions = [s for s in steps if s.day < first.day]
    assert len(phase1_sessions) + 1 >= 6
    assert all(r.text.startswith("Met:") for r in first.decision.reasons if r.rule == "phase_gate")


def test_gate_never_opens_when_felt_in_the_hamstrings() -> None:
    steps = run([follow(MONDAY, 42, rpe=5, pain=1, felt_in=["hamstrings"])])
    assert all(s.decision.state.phase is Phase.REACTIVATE for s in steps)
    last = steps[-1].decision
    assert any(
        "felt mainly in the glutes" in r.text and r.text.startswith("Not yet") for r in last.reasons
    )


def test_gate_needs_single_leg_stance_self_test() -> None:
    steps = run(
        [follow(MONDAY, 42, rpe=5, pain=1)],
        self_tests={
            "single_leg_bridge_reps_left": 14,
            "single_leg_bridge_reps_right": 15,
            "single_leg_stance_pelvic_drop": True,
        },
    )
    assert all(s.decision.state.phase is Phase.REACTIVATE for s in steps)


def test_gate_needs_effort_at_or_below_six() -> None:
    steps = run([follow(MONDAY, 42, rpe=7, pain=1)])
    assert all(s.decision.state.phase is Phase.REACTIVATE for s in steps)


def test_pain_above_five_regresses_with_the_pain_model_source() -> None:
    steps = run(
        [follow(MONDAY, 7, rpe=5, pain=1), follow(MONDAY + dt.timedelta(days=7), 1, rpe=5, pain=7)]
    )
    last = steps[-1].decision
    assert last.kind is DecisionKind.REGRESS
    assert any(
        r.rule == "pain_model.during" and any("Silbernagel" in s for s in r.sources)
        for r in last.reasons
    )


def test_next_morning_flare_regresses() -> None:
    events = [
        follow(MONDAY, 7, rpe=5, pain=1),
        {
            "type": "checkin",
            "day": "2026-01-13",
            "checkin": {"day": "2026-01-13", "pain": {"low_back": 2}},
        },
        follow(dt.date(2026, 1, 14), 1, rpe=5, pain=2),
        {
            "type": "checkin",
            "day": "2026-01-15",
            "checkin": {"day": "2026-01-15", "pain": {"low_back": 6}},
        },
    ]
    morning = run(events)[-1]
    assert morning.event == "checkin" and morning.day == dt.date(2026, 1, 15)
    assert morning.decision.kind is DecisionKind.REGRESS
    assert any(r.rule == "pain_model.next_morning" for r in morning.decision.reasons)


def test_one_flare_is_acted_on_once() -> None:
    events = [
        follow(MONDAY, 7, rpe=5, pain=1),
        {
            "type": "checkin",
            "day": "2026-01-13",
            "checkin": {"day": "2026-01-13", "pain": {"low_back": 2}},
        },
        follow(dt.date(2026, 1, 14), 1, rpe=5, pain=2),
        {
            "type": "checkin",
            "day": "2026-01-15",
            "checkin": {"day": "2026-01-15", "pain": {"low_back": 6}},
        },
        follow(dt.date(2026, 1, 16), 1, rpe=5, pain=2),
    ]
    flare_rules = [
        [r.rule for r in s.decision.reasons if r.rule == "pain_model.next_morning"]
        for s in run(events)
    ]
    assert sum(map(len, flare_rules)) == 1


def test_evening_pain_above_five_after_a_session_regresses() -> None:
    events = [
        follow(MONDAY, 7, rpe=5, pain=1),
        follow(dt.date(2026, 1, 12), 1, rpe=5, pain=2),
        {
            "type": "checkin",
            "day": "2026-01-12",
            "checkin": {"day": "2026-01-12", "morning": False, "pain": {"hip": 7}},
        },
    ]
    last = run(events)[-1].decision
    assert last.kind is DecisionKind.REGRESS
    assert any(r.rule == "pain_model.after" for r in last.reasons)


def test_two_hard_sessions_in_a_row_deload() -> None:
    steps = run([follow(MONDAY, 7, rpe=5, pain=1), follow(dt.date(2026, 1, 12), 3, rpe=9.5)])
    kinds = [s.decision.kind for s in steps[-2:]]
    assert kinds[-1] is DecisionKind.REGRESS
    assert any(r.rule == "regression.hard_sessions" for r in steps[-1].decision.reasons)


def test_red_flag_checkin_stops_until_cleared() -> None:
    events = [
        follow(MONDAY, 7),
        {
            "type": "checkin",
            "day": "2026-01-12",
            "checkin": {
                "day": "2026-01-12",
                "pain": {"low_back": 6},
                "red_flags": {"both_legs_weak_or_numb": True},
            },
        },
        follow(dt.date(2026, 1, 12), 7),
        {"type": "clearance", "day": "2026-01-20", "note": "GP: fine to continue"},
        follow(dt.date(2026, 1, 21), 3),
    ]
    steps = run(events)
    stop = next(s for s in steps if s.event == "checkin").decision
    assert stop.kind is DecisionKind.STOP_AND_REFER and stop.refer == "refer_emergency"
    between = [s for s in steps if dt.date(2026, 1, 12) < s.day < dt.date(2026, 1, 20)]
    assert between == [], "no sessions are planned while stopped"
    after = [s for s in steps if s.day > dt.date(2026, 1, 20)]
    assert after and all(s.decision.kind is not DecisionKind.STOP_AND_REFER for s in after)


def test_a_phase_2_checkin_without_a_new_session_holds() -> None:
    steps = run(
        [
            follow(MONDAY, 35, rpe=5, pain=1),
            {
                "type": "checkin",
                "day": "2026-02-10",
                "checkin": {"day": "2026-02-10", "pain": {"low_back": 1}},
            },
        ]
    )
    last = steps[-1]
    assert last.event == "checkin" and last.decision.state.phase is Phase.BUILD_STRENGTH
    assert last.decision.kind is DecisionKind.HOLD


def test_loads_rise_in_phase_2_by_one_step_only() -> None:
    steps = run([follow(MONDAY, 120, rpe=6, pain=1, morning_pain=1)])
    loads = [s.decision.state.slot("squat") for s in steps if s.decision.state.slot("squat")]
    values = [x.load_kg for x in loads if x is not None]
    assert max(values) > values[0]
    assert all(b - a <= 2.0 + 1e-9 for a, b in itertools.pairwise(values))


def test_double_progression_without_load_equipment_says_what_to_add() -> None:
    steps = run([follow(MONDAY, 90, rpe=6, pain=1)], equipment=["none"])
    texts = [r.text for s in steps for r in s.decision.reasons]
    assert any("get dumbbells or a kettlebell" in t for t in texts)
    assert all(
        (s.decision.state.slot("hinge") or s.decision.state.slot("bridge")).load_kg == 0
        for s in steps
    )


# --- property tests --------------------------------------------------------------------------

follow_events = st.lists(
    st.builds(
        dict,
        type=st.just("follow_plan"),
        days=st.integers(1, 21),
        rpe=st.sampled_from([4.0, 6.0, 7.5, 9.0, 10.0]),
        pain=st.sampled_from([0, 1, 1, 2, 2, 3, 6, 8]),
        reps_short_by=st.integers(0, 3),
        felt_in=st.sampled_from([["glutes"], ["glutes"], ["hamstrings"], ["glutes", "lower_back"]]),
        morning_pain=st.one_of(st.none(), st.integers(0, 8)),
    ),
    min_size=1,
    max_size=6,
)
equipment_sets = st.sampled_from(
    [["none"], ["dumbbells"], ["kettlebell", "step"], ["band", "dumbbells", "step"]]
)


loads = st.tuples(*[st.sampled_from([0.0, 2.0, 4.0, 8.0, 12.0, 16.0, 24.0, 32.0])] * 3)


def _with_days(events: list[dict]) -> list[dict]:
    day = MONDAY
    out = []
    for event in events:
        out.append({**event, "day": day.isoformat()})
        day += dt.timedelta(days=event["days"])
    return out


def _phase2_start(equipment: list[str], loads: tuple[float, float, float]) -> dict:
    from glutecoach.core.program import phase2_state

    state = phase2_state(answers(), CATALOG, tuple(Equipment(e) for e in equipment), MONDAY)
    slots = {"hinge": loads[0], "squat": loads[1], "step": loads[2]}
    exercises = [
        e.model_copy(update={"load_kg": slots.get(e.slot, e.load_kg), "reps": 12})
        if e.slot in slots
        else e
        for e in state.exercises
    ]
    return state.model_copy(update={"exercises": tuple(exercises)}).model_dump(mode="json")


def _steps_and_previous(events: list[dict], equipment: list[str], initial: dict | None = None):
    """Each step with the state before it and the sets of the sessions it weighed."""
    data = script(_with_days(events), equipment=equipment)
    if initial is not None:
        data["initial_state"] = initial
    result = simulate(SimulationScript.model_validate(data), CATALOG)
    previous: ProgramState | None = None
    for step in result.steps:
        days = set(step.decision.weighed)
        sets = [s for x in result.history.sessions if x.performed_on in days for s in x.sets]
        yield previous, step, sets
        previous = step.decision.state


def _max_step(equipment: list[str]) -> float:
    increments = CATALOG.rules.equipment_increments.params
    steps = [increments[e].step_kg for e in equipment if e in increments]
    firsts = [increments[e].first_kg for e in equipment if e in increments]
    return max([*steps, *firsts, 0.0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=follow_events, equipment=equipment_sets, start_loads=st.one_of(st.none(), loads))
def test_never_progresses_when_the_pain_model_says_stop(events, equipment, start_loads) -> None:
    limit = CATALOG.rules.pain_model.params.during_acceptable_max
    initial = _phase2_start(equipment, start_loads) if start_loads else None
    for previous, step, sets in _steps_and_previous(events, equipment, initial):
        if previous is None:
            continue
        if any(s.pain > limit for s in sets):
            floor = "regression.floor" in {r.rule for r in step.decision.reasons}
            kinds = {DecisionKind.REGRESS, DecisionKind.STOP_AND_REFER}
            assert step.decision.kind in kinds or (
                step.decision.kind is DecisionKind.HOLD and floor
            )
            for new in step.decision.state.exercises:
                old = previous.slot(new.slot)
                if old is not None and old.exercise_id == new.exercise_id:
                    assert new.load_kg <= old.load_kg
                    assert (new.reps or 0) <= (old.reps or 0) or new.sets < old.sets


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=follow_events, equipment=equipment_sets, start_loads=st.one_of(st.none(), loads))
def test_load_never_rises_by_more_than_one_step_or_ten_percent_unbridged(
    events, equipment, start_loads
) -> None:
    max_step = _max_step(equipment)
    pct = CATALOG.rules.double_progression.params.max_increase_pct
    initial = _phase2_start(equipment, start_loads) if start_loads else None
    for previous, step, _ in _steps_and_previous(events, equipment, initial):
        if previous is None or previous.phase != step.decision.state.phase:
            continue
        for new in step.decision.state.exercises:
            old = previous.slot(new.slot)
            if old is None or new.load_kg <= old.load_kg:
                continue
            rise = new.load_kg - old.load_kg
            assert rise <= max_step + 1e-9
            if old.load_kg > 0 and 100 * rise / old.load_kg > pct + 1e-9:
                assert old.bridging, f"{new.slot}: {old.load_kg} -> {new.load_kg} unbridged"


@settings(max_examples=30, deadline=None)
@given(
    flag=st.sampled_from([f.id for f in CATALOG.rules.red_flags.flags]),
    events=follow_events,
    offset=st.integers(0, 40),
)
def test_a_red_flag_always_stops(flag, events, offset) -> None:
    checkin_day = MONDAY + dt.timedelta(days=offset)
    evs = [
        *_with_days(events),
        {
            "type": "checkin",
            "day": checkin_day.isoformat(),
            "checkin": {"day": checkin_day.isoformat(), "red_flags": {flag: True}},
        },
    ]
    steps = run(evs)
    stop = next(s for s in steps if s.event == "checkin")
    assert stop.decision.kind is DecisionKind.STOP_AND_REFER
    assert stop.decision.state.stopped
    assert all(
        s.decision.kind is DecisionKind.STOP_AND_REFER for s in steps if s.day >= checkin_day
    )


@settings(max_examples=30, deadline=None)
@given(events=follow_events, equipment=equipment_sets)
def test_the_same_input_gives_the_same_decision(events, equipment) -> None:
    result = simulate(
        SimulationScript.model_validate(script(_with_days(events), equipment=equipment)), CATALOG
    )
    history = result.history
    for index in range(len(history.decisions)):
        partial = history.model_copy(update={"decisions": history.decisions[:index]})
        day = history.decisions[index].day
        sessions = tuple(s for s in history.sessions if s.performed_on <= day)
        partial = partial.model_copy(update={"sessions": sessions})
        first = decide(partial, CATALOG, day)
        assert first == decide(partial, CATALOG, day)


def test_decide_is_pure_over_a_plain_history() -> None:
    history = History(
        screening=answers(),
        screened_on=MONDAY,
        sessions=(
            SessionLog(
                performed_on=MONDAY,
                phase=Phase.REACTIVATE,
                sets=(SetLog(exercise_id="glute_bridge", set_index=1, reps=10, rpe=5, pain=1),),
            ),
        ),
        checkins=(CheckIn(day=MONDAY, pain={}),),
        equipment=(Equipment.NONE,),
    )
    assert decide(history, CATALOG, MONDAY) == decide(history, CATALOG, MONDAY)
