"""Stepping back: what hurt or failed regresses, by a step that really reduces the dose.

- pain: the easier variant (a band off, a rung down, one step back along the chain), one owned
  load step down when that cuts at least ``volume_cut`` (else a set fewer at the same load),
  or a volume cut that removes at least one set (or rep); nothing at the gentlest rung;
- deload after hard sessions: one owned load step down when that is no bigger than
  ``max_load_drop``, else about ``deload`` fewer reps; never during a bridging step;
- a return after a break: the dose cut the break's length calls for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from glutecoach.core.catalog import Catalog, Exercise, Rung
from glutecoach.core.equipment import load_at_most, load_options, lower_load
from glutecoach.core.models import Change, Equipment, ExerciseState, OwnedEquipment, ProgramState
from glutecoach.core.program import slot_spec
from glutecoach.core.progression.state import describe_change


def rung_index(item: ExerciseState, rungs: Sequence[Rung]) -> int:
    best = 0
    for index, rung in enumerate(rungs):
        if item.sets >= rung.sets and (item.reps or 0) >= rung.reps:
            best = index
    return best


def _volume(sets: int, reps: int | None) -> int:
    return sets * (reps or 0)


def rung_below(item: ExerciseState, rungs: Sequence[Rung]) -> Rung | None:
    """One rung under the rung the dose stands on (None: already at the gentlest).

    By volume: a dose between rungs (3x11 after a deload) stands on the rung under it (3x10),
    so the step back is to the rung below that (2x10), a real cut, never a trim."""
    volume = _volume(item.sets, item.reps)
    standing = [r for r in rungs if _volume(r.sets, r.reps) <= volume]
    if not standing:
        return None
    stand = max(standing, key=lambda r: _volume(r.sets, r.reps))
    lower = [r for r in rungs if _volume(r.sets, r.reps) < _volume(stand.sets, stand.reps)]
    if lower:
        return max(lower, key=lambda r: _volume(r.sets, r.reps))
    return stand if _volume(stand.sets, stand.reps) < volume else None


def rung_above(item: ExerciseState, rungs: Sequence[Rung]) -> Rung | None:
    """The smallest rung with more volume than the dose (None: at or past the top rung)."""
    higher = [r for r in rungs if _volume(r.sets, r.reps) > _volume(item.sets, item.reps)]
    return min(higher, key=lambda r: _volume(r.sets, r.reps)) if higher else None


def chain_regression(exercise_id: str, catalog: Catalog) -> Exercise | None:
    """The easier variant one step back along the same chain (goblet -> bodyweight squat).

    A regression counts only if it lists this exercise among its progressions, so a step back
    never jumps to another slot's exercise (single-leg deadlift's regression is a bridge).
    """
    for candidate in catalog.exercise(exercise_id).regressions:
        easier = catalog.exercise(candidate)
        if exercise_id in easier.progressions:
            return easier
    return None


def cut_volume(item: ExerciseState, cut: float) -> ExerciseState:
    """At least one set fewer (or, with one set, fewer reps or a shorter hold)."""
    if item.sets > 1:
        return item.model_copy(
            update={"sets": max(1, min(item.sets - 1, math.floor(item.sets * (1 - cut))))}
        )
    if item.reps is not None and item.reps > 1:
        return item.model_copy(
            update={"reps": max(1, min(item.reps - 1, math.floor(item.reps * (1 - cut))))}
        )
    if item.hold_seconds:
        return item.model_copy(update={"hold_seconds": math.floor(item.hold_seconds * (1 - cut))})
    return item


def _to_variant(item: ExerciseState, easier: Exercise) -> ExerciseState:
    """The easier exercise, never at more sets or reps than before."""
    low = easier.dose.rep_range[0] if easier.dose.rep_range else easier.dose.reps
    ladder = slot_spec(item.slot).ladder
    reps = item.reps if ladder or low is None else min(low, item.reps or low)
    return item.model_copy(
        update={
            "exercise_id": easier.id,
            "reps": reps,
            "sets": item.sets if ladder else min(item.sets, easier.dose.sets),
            "load_kg": 0.0,
            "bridging": False,
            "band": None,
            "tempo": None,
        }
    )


def _pain_step(
    item: ExerciseState, catalog: Catalog, options: tuple[float, ...], cut: float
) -> ExerciseState:
    exercise = catalog.exercise(item.exercise_id)
    rungs = catalog.rules.phase1_ladder.params.rungs
    easier = chain_regression(item.exercise_id, catalog)
    if item.band is not None and easier is not None:
        return _to_variant(item, easier)
    if item.tempo is not None:
        return item.model_copy(update={"tempo": None})
    if item.load_kg > 0:
        lower = lower_load(options, item.load_kg)
        if (item.load_kg - lower) / item.load_kg < cut - 1e-9 and item.sets > 1:
            # a fine-grained load step (10 -> 9 kg) is no real step back for a flare: a set
            # fewer at the same load is (volume cut 30-50 %)
            return cut_volume(item, cut).model_copy(update={"bridging": False})
        if lower > 0 or not exercise.loaded:
            return item.model_copy(update={"load_kg": lower, "bridging": False})
        if easier is not None:
            return _to_variant(item, easier)
        return cut_volume(item, cut)
    if slot_spec(item.slot).ladder:
        rung = rung_below(item, rungs)
        if rung is not None:
            return item.model_copy(
                update={"sets": rung.sets, "reps": rung.reps, "hold_seconds": rung.hold_seconds}
            )
        return item  # the gentlest rung: nothing easier (the engine holds and says so)
    if easier is not None:
        return _to_variant(item, easier)
    cut_item = cut_volume(item, cut)
    if cut_item == item and exercise.regressions:
        # nothing left to cut (one set of one rep): the catalog's easier exercise instead
        return _to_variant(item, catalog.exercise(exercise.regressions[0]))
    return cut_item


def _deload_step(
    item: ExerciseState, options: tuple[float, ...], deload: float, max_drop: float, cut: float
) -> ExerciseState:
    if item.bridging:
        return item
    if item.load_kg > 0:
        lower = lower_load(options, item.load_kg)
        if lower > 0 and (item.load_kg - lower) / item.load_kg <= max_drop + 1e-9:
            return item.model_copy(update={"load_kg": lower})
    if item.reps is not None and item.reps > 1:
        reps = max(1, min(item.reps - 1, round(item.reps * (1 - deload))))  # nearest ~10 %
        return item.model_copy(update={"reps": reps})
    return cut_volume(item, cut)


def regress(
    state: ProgramState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    targets: frozenset[str] | None,
    deload_only: bool,
) -> tuple[ProgramState, list[tuple[ExerciseState, ExerciseState]]]:
    """Step back the targeted main exercises (all main ones when ``targets`` is None)."""
    params = catalog.rules.regression.params
    pairs: list[tuple[ExerciseState, ExerciseState]] = []
    updated: list[ExerciseState] = []
    for item in state.exercises:
        new = item
        main = slot_spec(item.slot).role == "main"
        aimed = (targets is None and main) or (targets is not None and item.exercise_id in targets)
        if aimed:
            exercise = catalog.exercise(item.exercise_id)
            options = load_options(exercise, equipment, owned, catalog)
            if deload_only:
                new = _deload_step(
                    item, options, params.deload, params.max_load_drop, params.volume_cut
                )
            else:
                new = _pain_step(item, catalog, options, params.volume_cut)
        if new != item:
            pairs.append((item, new))
        updated.append(new)
    return state.model_copy(update={"exercises": tuple(updated)}), pairs


def reduce_for_break(
    state: ProgramState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    cut: float,
) -> tuple[ProgramState, list[tuple[ExerciseState, ExerciseState]]]:
    """The main exercises at the reduced dose a break of this length calls for."""
    if cut <= 0:
        return state, []
    rungs = catalog.rules.phase1_ladder.params.rungs
    pairs = []
    updated = []
    for item in state.exercises:
        new = item
        if slot_spec(item.slot).role == "main":
            new = _reduced(item, catalog, equipment, owned, cut, rungs)
        if new != item:
            pairs.append((item, new))
        updated.append(new)
    return state.model_copy(update={"exercises": tuple(updated)}), pairs


def _reduced(
    item: ExerciseState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    cut: float,
    rungs: Sequence[Rung],
) -> ExerciseState:
    exercise = catalog.exercise(item.exercise_id)
    if slot_spec(item.slot).ladder:
        index = rung_index(item, rungs)
        rung = rungs[max(0, index - max(1, round(cut * len(rungs))))]
        return item.model_copy(
            update={"sets": rung.sets, "reps": rung.reps, "hold_seconds": rung.hold_seconds}
        )
    new = item.model_copy(update={"bridging": False, "tempo": None})
    if item.load_kg > 0:
        options = load_options(exercise, equipment, owned, catalog)
        load = min(item.load_kg, load_at_most(options, item.load_kg * (1 - cut)))
        if load == 0 and exercise.loaded:
            easier = chain_regression(item.exercise_id, catalog)
            if easier is not None:
                return _to_variant(item, easier)
            load = min(item.load_kg, options[0]) if options else 0.0
        low = exercise.dose.rep_range[0] if exercise.dose.rep_range else item.reps
        return new.model_copy(update={"load_kg": load, "reps": low})
    easier = chain_regression(item.exercise_id, catalog)
    params = catalog.rules.time_off.params
    if easier is not None and cut >= params.easier_variant_from_cut:
        return _to_variant(item, easier)
    floor = exercise.dose.rep_range[0] if exercise.dose.rep_range else 1
    if item.reps is not None and item.reps > floor:
        reps = max(floor, math.floor(item.reps * (1 - cut)))
        return new.model_copy(update={"reps": reps})
    if item.sets > 1 and cut >= params.drop_set_from_cut:
        return new.model_copy(update={"sets": item.sets - 1})
    return new


def changes_of(pairs: list[tuple[ExerciseState, ExerciseState]]) -> tuple[Change, ...]:
    return tuple(describe_change(before, after) for before, after in pairs)
