"""The program's slots: which exercise fills each part of a session, per phase and equipment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from glutecoach.core.catalog import Catalog, Exercise, Increment
from glutecoach.core.models import (
    Equipment,
    ExerciseState,
    Phase,
    ProgramState,
    ScreeningAnswers,
)
from glutecoach.core.screening import emphasis_for

LOAD_EQUIPMENT_PREFERENCE = (Equipment.DUMBBELLS, Equipment.KETTLEBELL)
PROGRAM_EXERCISES = (
    "glute_bridge",
    "clamshell",
    "half_kneeling_hip_flexor_stretch",
    "dead_bug",
    "bird_dog",
    "side_plank",
    "single_leg_deadlift",
    "goblet_squat",
    "bodyweight_squat",
    "low_step_up",
    "single_leg_glute_bridge",
)
"""Every exercise id the slots below name: a catalog must hold each one (the loader checks)."""


@dataclass(frozen=True)
class SlotSpec:
    """A part of the session: its name, its role, and whether the Phase 1 ladder drives it."""

    slot: str
    role: str
    ladder: bool = False
    double_progression: bool = False


SLOTS: dict[str, SlotSpec] = {
    "bridge": SlotSpec("bridge", "main", ladder=True),
    "clamshell": SlotSpec("clamshell", "main", ladder=True),
    "hinge": SlotSpec("hinge", "main", double_progression=True),
    "squat": SlotSpec("squat", "main", double_progression=True),
    "step": SlotSpec("step", "main", double_progression=True),
    "warmup_bridge": SlotSpec("warmup_bridge", "warmup"),
    "warmup_clamshell": SlotSpec("warmup_clamshell", "warmup"),
    "hip_flexor": SlotSpec("hip_flexor", "mobility"),
    "core": SlotSpec("core", "core"),
    "core_side": SlotSpec("core_side", "core"),
}


def available(exercise: Exercise, equipment: tuple[Equipment, ...]) -> bool:
    """Whether the person has what the exercise needs (``none`` is always at hand)."""
    have = {*equipment, Equipment.NONE}
    return all(item in have for item in exercise.equipment)


def load_increment(
    exercise: Exercise, equipment: tuple[Equipment, ...], increments: dict[str, Increment]
) -> Increment | None:
    """The finest load step the person's equipment allows for this exercise, if any."""
    for item in LOAD_EQUIPMENT_PREFERENCE:
        if item in exercise.load_equipment and item in equipment and item.value in increments:
            return increments[item.value]
    return None


def _state_from_dose(slot: str, exercise: Exercise) -> ExerciseState:
    dose = exercise.dose
    reps = dose.rep_range[0] if dose.rep_range else dose.reps
    return ExerciseState(
        slot=slot,
        exercise_id=exercise.id,
        sets=dose.sets,
        reps=reps,
        hold_seconds=dose.hold_seconds,
    )


def phase1_state(answers: ScreeningAnswers, catalog: Catalog, day: dt.date) -> ProgramState:
    rung = catalog.rules.phase1_ladder.params.rungs[0]
    ladder = [
        ExerciseState(
            slot=slot,
            exercise_id=exercise_id,
            sets=rung.sets,
            reps=rung.reps,
            hold_seconds=rung.hold_seconds,
        )
        for slot, exercise_id in (("bridge", "glute_bridge"), ("clamshell", "clamshell"))
    ]
    return ProgramState(
        phase=Phase.REACTIVATE,
        phase_started=day,
        exercises=(*ladder, *_daily_slots(answers, catalog)),
    )


def _daily_slots(answers: ScreeningAnswers, catalog: Catalog) -> list[ExerciseState]:
    emphasis, _reasons = emphasis_for(answers, catalog)
    core_id = "dead_bug" if "core control" in emphasis else "bird_dog"
    return [
        _state_from_dose("hip_flexor", catalog.exercise("half_kneeling_hip_flexor_stretch")),
        _state_from_dose("core", catalog.exercise(core_id)),
        _state_from_dose("core_side", catalog.exercise("side_plank")),
    ]


def usable(exercise: Exercise, equipment: tuple[Equipment, ...], catalog: Catalog) -> bool:
    """The person has what it needs, including a load for an always-loaded exercise."""
    if not available(exercise, equipment):
        return False
    increments = catalog.rules.equipment_increments.params
    return not exercise.loaded or load_increment(exercise, equipment, increments) is not None


def starting_load(exercise: Exercise, equipment: tuple[Equipment, ...], catalog: Catalog) -> float:
    """The first load of an always-loaded exercise (the lightest step), else bodyweight."""
    increments = catalog.rules.equipment_increments.params
    increment = load_increment(exercise, equipment, increments)
    return increment.first_kg if exercise.loaded and increment is not None else 0.0


def phase2_state(
    answers: ScreeningAnswers,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    day: dt.date,
) -> ProgramState:
    """Phase 2: loaded compound work, with short activation as warm-up and daily stretching."""

    def first_usable(*ids: str) -> Exercise:
        return next(
            catalog.exercise(i) for i in ids if usable(catalog.exercise(i), equipment, catalog)
        )

    main = [
        _state_from_dose(slot, exercise).model_copy(
            update={"load_kg": starting_load(exercise, equipment, catalog)}
        )
        for slot, exercise in (
            ("hinge", catalog.exercise("single_leg_deadlift")),
            ("squat", first_usable("goblet_squat", "bodyweight_squat")),
            ("step", first_usable("low_step_up", "single_leg_glute_bridge")),
        )
    ]
    warmup = [
        ExerciseState(
            slot="warmup_bridge", exercise_id="glute_bridge", sets=1, reps=10, hold_seconds=2
        ),
        ExerciseState(
            slot="warmup_clamshell", exercise_id="clamshell", sets=1, reps=10, hold_seconds=2
        ),
    ]
    return ProgramState(
        phase=Phase.BUILD_STRENGTH,
        phase_started=day,
        exercises=(*warmup, *main, *_daily_slots(answers, catalog)),
    )


def slot_spec(slot: str) -> SlotSpec:
    return SLOTS.get(slot, SlotSpec(slot, "main"))
