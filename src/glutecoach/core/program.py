"""The program's slots: which exercise fills each part of a session, per phase and equipment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from glutecoach.core.catalog import Catalog, Exercise
from glutecoach.core.equipment import available, bands_owned, load_options, step_allows
from glutecoach.core.models import (
    Equipment,
    ExerciseState,
    OwnedEquipment,
    Phase,
    ProgramState,
    ScreeningAnswers,
)
from glutecoach.core.screening import emphasis_for, severe_pain_regions

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


def start_rung_index(answers: ScreeningAnswers, catalog: Catalog) -> int:
    """Severe pain at screening starts on the gentlest rung; everyone else on ``start_rung``."""
    params = catalog.rules.phase1_ladder.params
    if severe_pain_regions(answers, catalog):
        return 0
    return min(params.start_rung, len(params.rungs) - 1)


def phase1_state(answers: ScreeningAnswers, catalog: Catalog, day: dt.date) -> ProgramState:
    rung = catalog.rules.phase1_ladder.params.rungs[start_rung_index(answers, catalog)]
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
    stretch = _state_from_dose("hip_flexor", catalog.exercise("half_kneeling_hip_flexor_stretch"))
    older = catalog.rules.older_adults.params
    if answers.age is not None and answers.age >= older.min_age:
        stretch = stretch.model_copy(
            update={"hold_seconds": max(stretch.hold_seconds or 0, older.stretch_hold_seconds)}
        )
    return [
        stretch,
        _state_from_dose("core", catalog.exercise(core_id)),
        _state_from_dose("core_side", catalog.exercise("side_plank")),
    ]


def usable(
    exercise: Exercise,
    equipment: tuple[Equipment, ...],
    catalog: Catalog,
    owned: OwnedEquipment | None = None,
) -> bool:
    """The person has what it needs, including a load for an always-loaded exercise."""
    if not available(exercise, equipment) or not step_allows(exercise, owned, catalog):
        return False
    return not exercise.loaded or bool(load_options(exercise, equipment, owned, catalog))


def starting_load(
    exercise: Exercise,
    equipment: tuple[Equipment, ...],
    catalog: Catalog,
    owned: OwnedEquipment | None = None,
) -> float:
    """The first load of an always-loaded exercise (the lightest owned), else bodyweight."""
    options = load_options(exercise, equipment, owned, catalog)
    return options[0] if exercise.loaded and options else 0.0


def warmup_slot(
    slot: str,
    plain: str,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    catalog: Catalog,
) -> ExerciseState:
    """A short activation warm-up, banded when a band is at hand."""
    exercise_id = plain
    band = None
    bands = bands_owned(equipment, owned, catalog)
    banded = next(
        (
            p
            for p in catalog.exercise(plain).progressions
            if Equipment.BAND in catalog.exercise(p).equipment
        ),
        None,
    )
    if bands and banded is not None:
        exercise_id, band = banded, bands[0]
    return ExerciseState(
        slot=slot, exercise_id=exercise_id, sets=1, reps=10, hold_seconds=2, band=band
    )


def phase2_state(
    answers: ScreeningAnswers,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    day: dt.date,
    owned: OwnedEquipment | None = None,
) -> ProgramState:
    """Phase 2: loaded compound work, with short activation as warm-up and daily stretching."""

    def first_usable(*ids: str) -> Exercise:
        return next(
            catalog.exercise(i)
            for i in ids
            if usable(catalog.exercise(i), equipment, catalog, owned)
        )

    main = [
        _state_from_dose(slot, exercise).model_copy(
            update={"load_kg": starting_load(exercise, equipment, catalog, owned)}
        )
        for slot, exercise in (
            ("hinge", catalog.exercise("single_leg_deadlift")),
            ("squat", first_usable("goblet_squat", "bodyweight_squat")),
            ("step", first_usable("low_step_up", "single_leg_glute_bridge")),
        )
    ]
    warmup = [
        warmup_slot("warmup_bridge", "glute_bridge", equipment, owned, catalog),
        warmup_slot("warmup_clamshell", "clamshell", equipment, owned, catalog),
    ]
    return ProgramState(
        phase=Phase.BUILD_STRENGTH,
        phase_started=day,
        exercises=(*warmup, *main, *_daily_slots(answers, catalog)),
    )


def slot_spec(slot: str) -> SlotSpec:
    return SLOTS.get(slot, SlotSpec(slot, "main"))
