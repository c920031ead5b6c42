"""The week's plan: which sessions on which days, and each exercise's prescription."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    ExerciseState,
    Phase,
    Plan,
    PlannedSession,
    Prescription,
    ProgramState,
    ScreeningAnswers,
    ScreeningOutcome,
    SelfTests,
    Side,
)
from glutecoach.core.program import slot_spec
from glutecoach.core.screening import EMERGENCY_ADVICE

DAILY_ROLES = ("mobility",)
SESSION_ROLES = ("warmup", "main", "core", "mobility")
ROLE_ORDER = {"warmup": 0, "main": 1, "core": 2, "mobility": 3}


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def bridge_symmetry_of(tests: SelfTests) -> float | None:
    left, right = tests.single_leg_bridge_reps_left, tests.single_leg_bridge_reps_right
    if left is None or right is None or max(left, right) == 0:
        return None
    return min(left, right) / max(left, right)


def weaker_side(tests: SelfTests) -> Side | None:
    """The side with fewer single-leg bridge reps, when the self-test shows an asymmetry."""
    symmetry = bridge_symmetry_of(tests)
    if symmetry is None or symmetry >= 1.0:
        return None
    left, right = tests.single_leg_bridge_reps_left, tests.single_leg_bridge_reps_right
    assert left is not None and right is not None
    return Side.LEFT if left < right else Side.RIGHT


@dataclass(frozen=True)
class Tailoring:
    """What the person's self-tests and age change in every prescription."""

    first_side: Side | None = None
    extra_side: Side | None = None  # the weaker side, while symmetry is below the threshold
    extra_sets: int = 0
    support_cue: str = ""


def tailoring_for(answers: ScreeningAnswers, tests: SelfTests, catalog: Catalog) -> Tailoring:
    asym = catalog.rules.asymmetry.params
    older = catalog.rules.older_adults.params
    weaker = weaker_side(tests)
    symmetry = bridge_symmetry_of(tests)
    below = weaker is not None and symmetry is not None and symmetry < asym.min_symmetry
    is_older = answers.age is not None and answers.age >= older.min_age
    return Tailoring(
        first_side=weaker,
        extra_side=weaker if below else None,
        extra_sets=asym.weaker_side_extra_sets if below else 0,
        support_cue=older.support_cue if is_older else "",
    )


def prescriptions_for(
    state: ExerciseState, catalog: Catalog, tailoring: Tailoring
) -> list[Prescription]:
    exercise = catalog.exercise(state.exercise_id)
    role = slot_spec(state.slot).role
    dose = exercise.dose
    rep_range = dose.rep_range if slot_spec(state.slot).double_progression else None
    standing_single_leg = exercise.unilateral and exercise.category == "strength"
    base = Prescription(
        exercise_id=exercise.id,
        sets=state.sets,
        reps=state.reps,
        rep_range=rep_range,
        hold_seconds=state.hold_seconds,
        tempo=state.tempo or dose.tempo,
        load_kg=state.load_kg,
        rest_seconds=dose.rest_seconds,
        role=role,
        band=state.band,
        cue=tailoring.support_cue if standing_single_leg else "",
    )
    if not exercise.unilateral:
        return [base]
    order = [Side.LEFT, Side.RIGHT]
    if tailoring.first_side is Side.RIGHT:
        order.reverse()
    out = []
    for side in order:
        sets = state.sets
        if role == "main" and side is tailoring.extra_side:
            sets = min(10, sets + tailoring.extra_sets)
        out.append(base.model_copy(update={"side": side, "sets": sets}))
    return out


def session_prescriptions(
    state: ProgramState,
    catalog: Catalog,
    answers: ScreeningAnswers,
    roles: tuple[str, ...],
    self_tests: SelfTests | None = None,
) -> tuple[Prescription, ...]:
    tailoring = tailoring_for(answers, self_tests or answers.self_tests, catalog)
    chosen = sorted(
        (e for e in state.exercises if slot_spec(e.slot).role in roles),
        key=lambda e: ROLE_ORDER.get(slot_spec(e.slot).role, 9),
    )
    return tuple(p for e in chosen for p in prescriptions_for(e, catalog, tailoring))


def build_plan(
    state: ProgramState,
    catalog: Catalog,
    answers: ScreeningAnswers,
    session_days: list[int],
    start: dt.date,
    self_tests: SelfTests | None = None,
) -> Plan:
    """Seven days from ``start``'s Monday: full sessions on ``session_days``, stretching daily.

    ``self_tests`` (the latest, when re-tested since the screening) decide the weaker side.
    """
    monday = week_start(start)
    sessions = []
    full = session_prescriptions(state, catalog, answers, SESSION_ROLES, self_tests)
    daily = session_prescriptions(state, catalog, answers, DAILY_ROLES, self_tests)
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
        return Plan(phase=state.phase, week_start=monday, sessions=(), notes=(paused_note(state),))
    return Plan(phase=state.phase, week_start=monday, sessions=tuple(sessions), notes=notes)


def paused_note(state: ProgramState) -> str:
    if state.refer is ScreeningOutcome.REFER_EMERGENCY:
        return "Your program is paused. " + EMERGENCY_ADVICE
    return (
        "Your program is paused: see a doctor or physiotherapist (within the next few days) "
        "before you continue, then record their clearance with "
        "`glutecoach resume --cleared-by-clinician`."
    )


def session_for(plan: Plan, day: dt.date) -> PlannedSession | None:
    return next((s for s in plan.sessions if s.day == day), None)
