"""The week's plan: which sessions on which days, and each exercise's prescription."""

from __future__ import annotations

import datetime as dt

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    ExerciseState,
    Phase,
    Plan,
    PlannedSession,
    Prescription,
    ProgramState,
    ScreeningAnswers,
    Side,
)
from glutecoach.core.program import slot_spec
from glutecoach.core.screening import bridge_symmetry

DAILY_ROLES = ("mobility",)
SESSION_ROLES = ("warmup", "main", "core", "mobility")
ROLE_ORDER = {"warmup": 0, "main": 1, "core": 2, "mobility": 3}


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weaker_side(answers: ScreeningAnswers) -> Side | None:
    """The side with fewer single-leg bridge reps, when the self-test shows an asymmetry."""
    tests = answers.self_tests
    symmetry = bridge_symmetry(answers)
    if symmetry is None or symmetry >= 1.0:
        return None
    left, right = tests.single_leg_bridge_reps_left, tests.single_leg_bridge_reps_right
    assert left is not None and right is not None
    return Side.LEFT if left < right else Side.RIGHT


def prescriptions_for(
    state: ExerciseState, catalog: Catalog, first_side: Side | None
) -> list[Prescription]:
    exercise = catalog.exercise(state.exercise_id)
    role = slot_spec(state.slot).role
    dose = exercise.dose
    rep_range = dose.rep_range if slot_spec(state.slot).double_progression else None
    base = Prescription(
        exercise_id=exercise.id,
        sets=state.sets,
        reps=state.reps,
        rep_range=rep_range,
        hold_seconds=state.hold_seconds,
        tempo=dose.tempo,
        load_kg=state.load_kg,
        rest_seconds=dose.rest_seconds,
        role=role,
    )
    if not exercise.unilateral:
        return [base]
    order = [Side.LEFT, Side.RIGHT]
    if first_side is Side.RIGHT:
        order.reverse()
    return [base.model_copy(update={"side": side}) for side in order]


def session_prescriptions(
    state: ProgramState, catalog: Catalog, answers: ScreeningAnswers, roles: tuple[str, ...]
) -> tuple[Prescription, ...]:
    first_side = weaker_side(answers)
    chosen = sorted(
        (e for e in state.exercises if slot_spec(e.slot).role in roles),
        key=lambda e: ROLE_ORDER.get(slot_spec(e.slot).role, 9),
    )
    return tuple(p for e in chosen for p in prescriptions_for(e, catalog, first_side))


def build_plan(
    state: ProgramState,
    catalog: Catalog,
    answers: ScreeningAnswers,
    session_days: list[int],
    start: dt.date,
) -> Plan:
    """Seven days from ``start``'s Monday: full sessions on ``session_days``, stretching daily."""
    monday = week_start(start)
    sessions = []
    full = session_prescriptions(state, catalog, answers, SESSION_ROLES)
    daily = session_prescriptions(state, catalog, answers, DAILY_ROLES)
    title = "Reactivate" if state.phase is Phase.REACTIVATE else "Build strength"
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        if day.weekday() in session_days:
            sessions.append(PlannedSession(day=day, title=f"{title} session", prescriptions=full))
        else:
            sessions.append(
                PlannedSession(day=day, title="Daily hip flexor stretch", prescriptions=daily)
            )
    notes = (
        "Stand up and move for a few minutes every 30-60 minutes of sitting.",
        "Stop any exercise that pushes pain above 5/10 and log it.",
    )
    if state.stopped:
        return Plan(
            phase=state.phase,
            week_start=monday,
            sessions=(),
            notes=("Your program is paused: see a clinician before you continue.",),
        )
    return Plan(phase=state.phase, week_start=monday, sessions=tuple(sessions), notes=notes)


def session_for(plan: Plan, day: dt.date) -> PlannedSession | None:
    return next((s for s in plan.sessions if s.day == day), None)
