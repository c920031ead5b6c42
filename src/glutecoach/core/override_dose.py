"""What a clinician's override may set: one step on, a dose, a catalog variant.

Every value is checked against the catalog (the exercise's dose, rep range and the Phase 1
ladder's rungs), the person's equipment (loads they own, bands, a high enough step) and the
exercise's chain of variants; a refusal names the field and the allowed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from glutecoach.core.catalog import Catalog, Exercise
from glutecoach.core.equipment import bands_owned, load_options
from glutecoach.core.models import Equipment, ExerciseState, OwnedEquipment, ProgramState
from glutecoach.core.program import slot_spec, starting_load, usable
from glutecoach.core.progression.phase1 import band_step
from glutecoach.core.progression.phase2 import add_load
from glutecoach.core.progression.regress import rung_index

Pairs = list[tuple[ExerciseState, ExerciseState]]


class DoseFields(Protocol):
    @property
    def sets(self) -> int | None: ...
    @property
    def reps(self) -> int | None: ...
    @property
    def hold_seconds(self) -> int | None: ...
    @property
    def load_kg(self) -> float | None: ...


@dataclass(frozen=True)
class DoseChange:
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    load_kg: float | None = None


def dose_changes(request: DoseFields) -> DoseChange:
    return DoseChange(request.sets, request.reps, request.hold_seconds, request.load_kg)


class OverrideRefused(ValueError):
    """The override cannot be made (no decision yet, a red flag, pain, or a bad dose)."""


def _refuse(message: str) -> OverrideRefused:
    return OverrideRefused(message)


@dataclass(frozen=True)
class DoseLimits:
    """The catalog's range for one exercise in one slot."""

    max_sets: int
    reps: tuple[int, int] | None
    max_hold: int | None
    loads: tuple[float, ...]
    loaded: bool


def dose_limits(
    item: ExerciseState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
) -> DoseLimits:
    exercise = catalog.exercise(item.exercise_id)
    dose = exercise.dose
    rungs = catalog.rules.phase1_ladder.params.rungs if slot_spec(item.slot).ladder else ()
    max_sets = max([dose.sets, *(r.sets for r in rungs)])
    top_reps = max([*(dose.rep_range or ()), dose.reps or 0, *(r.reps for r in rungs)])
    reps = (1, top_reps) if top_reps else None
    top_hold = max([dose.hold_seconds or 0, *(r.hold_seconds for r in rungs)])
    options = load_options(exercise, equipment, owned, catalog)
    return DoseLimits(max_sets, reps, top_hold or None, options, exercise.loaded)


def set_dose(
    item: ExerciseState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    change: DoseChange,
) -> ExerciseState:
    """``item`` at the clinician's dose, each value within the catalog's range."""
    if all(v is None for v in (change.sets, change.reps, change.hold_seconds, change.load_kg)):
        raise _refuse("dose: give at least one of sets, reps, hold_seconds, load_kg")
    name = catalog.exercise(item.exercise_id).name
    limits = dose_limits(item, catalog, equipment, owned)
    update: dict[str, object] = {"bridging": False}
    if change.sets is not None:
        if not 1 <= change.sets <= limits.max_sets:
            raise _refuse(f"sets: {name} takes 1 to {limits.max_sets} sets (the catalog's range)")
        update["sets"] = change.sets
    if change.reps is not None:
        if limits.reps is None:
            raise _refuse(f"reps: {name} is held, not counted in reps (set hold_seconds)")
        low, high = limits.reps
        if not low <= change.reps <= high:
            raise _refuse(f"reps: {name} takes {low} to {high} reps (the catalog's range)")
        update["reps"] = change.reps
    if change.hold_seconds is not None:
        if limits.max_hold is None:
            raise _refuse(f"hold_seconds: {name} has no hold (set reps)")
        if not 0 <= change.hold_seconds <= limits.max_hold:
            raise _refuse(f"hold_seconds: {name} holds 0 to {limits.max_hold} s (the catalog's)")
        update["hold_seconds"] = change.hold_seconds
    if change.load_kg is not None:
        update["load_kg"] = _check_load(name, change.load_kg, limits)
    return item.model_copy(update=update)


def _check_load(name: str, load: float, limits: DoseLimits) -> float:
    allowed = [] if limits.loaded else [0.0]
    allowed += list(limits.loads)
    if any(abs(load - a) < 1e-6 for a in allowed):
        return load
    if not limits.loads:
        raise _refuse(f"load_kg: {name} is done without a load with this equipment (use 0)")
    words = ", ".join(f"{a:g}" for a in allowed)
    raise _refuse(f"load_kg: {load:g} kg is not a load the person has for {name} (one of {words})")


def variants(exercise: Exercise, catalog: Catalog) -> tuple[str, ...]:
    """The exercise's catalog variants: one step back or on along its chain."""
    back = [r for r in exercise.regressions if exercise.id in catalog.exercise(r).progressions]
    on = [p for p in exercise.progressions if exercise.id in catalog.exercise(p).regressions]
    return tuple(dict.fromkeys([*back, *on]))


def swap_exercise(
    item: ExerciseState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    exercise_id: str,
) -> ExerciseState:
    """``item`` with one of its catalog variants, at that variant's starting dose."""
    exercise = catalog.exercise(item.exercise_id)
    allowed = variants(exercise, catalog)
    if exercise_id not in allowed:
        names = ", ".join(allowed) or "none"
        raise _refuse(f"exercise_id: '{exercise_id}' is not a variant of {exercise.id} ({names})")
    new = catalog.exercise(exercise_id)
    if not usable(new, equipment, catalog, owned):
        raise _refuse(
            f"exercise_id: {new.name} needs equipment the person does not have "
            f"({', '.join(e.value for e in new.equipment)})"
        )
    reps = new.dose.rep_range[0] if new.dose.rep_range else new.dose.reps
    bands = bands_owned(equipment, owned, catalog) if Equipment.BAND in new.equipment else ()
    return item.model_copy(
        update={
            "exercise_id": new.id,
            "sets": min(new.dose.sets, item.sets),
            "reps": reps,
            "hold_seconds": new.dose.hold_seconds,
            "load_kg": starting_load(new, equipment, catalog, owned),
            "band": bands[0] if bands else None,
            "bridging": False,
            "tempo": None,
        }
    )


def progress_one_step(
    state: ProgramState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    target: ExerciseState | None,
) -> tuple[ProgramState, Pairs]:
    """One step on for ``target`` (every main exercise when None), within the equipment."""
    pairs: Pairs = []
    updated = []
    for item in state.exercises:
        aimed = item.slot == target.slot if target else slot_spec(item.slot).role == "main"
        new = _step_on(item, catalog, equipment, owned) if aimed else item
        if new != item:
            pairs.append((item, new))
        updated.append(new)
    if not pairs:
        raise _refuse(
            "progress: nothing to step on to with the equipment the person has (top of the "
            "range); set a dose or swap to a variant instead"
        )
    return state.model_copy(update={"exercises": tuple(updated)}), pairs


def _step_on(
    item: ExerciseState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
) -> ExerciseState:
    rungs = catalog.rules.phase1_ladder.params.rungs
    if slot_spec(item.slot).ladder:
        index = rung_index(item, rungs)
        if index + 1 < len(rungs):
            rung = rungs[index + 1]
            return item.model_copy(
                update={"sets": rung.sets, "reps": rung.reps, "hold_seconds": rung.hold_seconds}
            )
        return band_step(item, catalog, equipment, owned)
    exercise = catalog.exercise(item.exercise_id)
    if exercise.dose.rep_range is None:
        return item
    low, high = exercise.dose.rep_range
    if item.reps is not None and item.reps < high:
        return item.model_copy(update={"reps": item.reps + 1})
    return add_load(item, catalog, equipment, owned, low, high).new
