"""4. Phase 2: double progression per loaded slot, within the equipment the person owns.

Reps climb to the top of the rep range; then the harder variant along the chain (if the
equipment allows it), else the next load the person owns (a jump over ``max_increase_pct`` is
first bridged with extra reps). At the heaviest owned load the other levers take over (slower
tempo, then a pause) and the coach says what to get next.
"""

from __future__ import annotations

from dataclasses import dataclass

from glutecoach.core.catalog import Catalog, Exercise
from glutecoach.core.equipment import (
    load_options,
    next_load,
    ownership_known,
    suggest_next,
)
from glutecoach.core.models import (
    Equipment,
    ExerciseState,
    OwnedEquipment,
    ProgramState,
    SessionLog,
    SetLog,
)
from glutecoach.core.program import slot_spec, starting_load, usable
from glutecoach.core.progression.state import glute_share


@dataclass(frozen=True)
class SlotOutcome:
    new: ExerciseState
    note: str  # what happened to this slot and why, in words true of the case


def double_progression(
    state: ProgramState,
    catalog: Catalog,
    session: SessionLog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
) -> tuple[ProgramState, list[tuple[ExerciseState, ExerciseState]], list[str], list[str]]:
    """The new state, the changed slots, what moved (notes) and what held (notes)."""
    pairs = []
    moved: list[str] = []
    held: list[str] = []
    updated = []
    for item in state.exercises:
        new = item
        if slot_spec(item.slot).double_progression:
            logs = [s for s in session.sets if s.exercise_id == item.exercise_id]
            outcome = progress_slot(item, logs, catalog, equipment, owned)
            new = outcome.new
            if outcome.note:
                (moved if new != item else held).append(outcome.note)
        if new != item:
            pairs.append((item, new))
        updated.append(new)
    return state.model_copy(update={"exercises": tuple(updated)}), pairs, moved, held


def _blockers(logs: list[SetLog], catalog: Catalog) -> list[str]:
    params = catalog.rules.double_progression.params
    max_pain = catalog.rules.phase_gate.params.max_pain_during
    share = glute_share(logs)
    forms = [s.form for s in logs if s.form is not None and s.form.reps_observed]
    checks = (
        (
            all(s.rpe is None or s.rpe <= params.max_rpe_to_progress for s in logs),
            f"effort above RPE {params.max_rpe_to_progress:g}",
        ),
        (all(s.pain <= max_pain for s in logs), f"pain above {max_pain}/10"),
        (share is None or share >= params.min_glute_feel_share, "not felt mainly in the glutes"),
        (
            not forms
            or sum(f.good_form_reps for f in forms) / sum(f.reps_observed for f in forms)
            >= params.min_good_form_share,
            "form below target",
        ),
    )
    return [why for ok, why in checks if not ok]


def progress_slot(
    item: ExerciseState,
    logs: list[SetLog],
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
) -> SlotOutcome:
    params = catalog.rules.double_progression.params
    exercise = catalog.exercise(item.exercise_id)
    if not logs:
        return SlotOutcome(item, "")
    low, high = exercise.dose.rep_range or (item.reps or 1, item.reps or 1)
    top = high + (params.bridge_extra_reps if item.bridging else 0)
    blockers = _blockers(logs, catalog)
    if blockers:
        return SlotOutcome(item, f"{exercise.name}: holding the dose ({', '.join(blockers)}).")
    done = min_reps_per_side(logs, item.sets)
    current = item.reps or low
    if done < top:
        target = min(top, max(current, done + 1))
        if target > current:
            return SlotOutcome(
                item.model_copy(update={"reps": target}),
                f"{exercise.name}: {done} reps in every set at the target effort: {target} next "
                f"time (working up to {top}).",
            )
        return SlotOutcome(
            item, f"{exercise.name}: keep {current} reps until every set reaches them."
        )
    return add_load(item, catalog, equipment, owned, low, high)


def min_reps_per_side(logs: list[SetLog], sets: int) -> int:
    by_side: dict[object, list[int]] = {}
    for s in logs:
        by_side.setdefault(s.side, []).append(s.reps)
    worst = []
    for reps in by_side.values():
        if len(reps) < sets:
            return 0
        worst.append(min(sorted(reps, reverse=True)[:sets]))
    return min(worst, default=0)


def chain_progression(
    exercise_id: str,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
) -> Exercise | None:
    """The harder variant one step on along the same chain that the equipment allows."""
    for candidate in catalog.exercise(exercise_id).progressions:
        harder = catalog.exercise(candidate)
        if exercise_id in harder.regressions and usable(harder, equipment, catalog, owned):
            return harder
    return None


def add_load(
    item: ExerciseState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    low: int,
    high: int,
) -> SlotOutcome:
    params = catalog.rules.double_progression.params
    ex = catalog.exercise(item.exercise_id)
    top_note = f"{ex.name}: top of the rep range ({high}) reached in every set"
    harder = chain_progression(item.exercise_id, catalog, equipment, owned)
    if harder is not None:
        reps = harder.dose.rep_range[0] if harder.dose.rep_range else harder.dose.reps
        new = item.model_copy(
            update={
                "exercise_id": harder.id,
                "reps": reps,
                "load_kg": starting_load(harder, equipment, catalog, owned),
                "bridging": False,
                "tempo": None,
            }
        )
        return SlotOutcome(new, f"{top_note}: on to {harder.name}.")
    options = load_options(ex, equipment, owned, catalog)
    heavier = next_load(options, item.load_kg)
    if heavier is None:
        return _ceiling(item, ex, catalog, equipment, owned, options, top_note)
    jump_pct = 100 * (heavier - item.load_kg) / item.load_kg if item.load_kg else 0.0
    if item.load_kg == 0 or jump_pct <= params.max_increase_pct or item.bridging:
        new = item.model_copy(
            update={"load_kg": heavier, "reps": low, "bridging": False, "tempo": None}
        )
        return SlotOutcome(new, f"{top_note}: {heavier:g} kg next, back to {low} reps.")
    new = item.model_copy(update={"bridging": True, "reps": high + params.bridge_extra_reps})
    return SlotOutcome(
        new,
        f"{top_note}; the next load you have ({heavier:g} kg) is a {jump_pct:.0f} % jump, more "
        f"than {params.max_increase_pct:g} %: first bridge it with {params.bridge_extra_reps} "
        "extra reps.",
    )


def _ceiling(
    item: ExerciseState,
    ex: Exercise,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    options: tuple[float, ...],
    top_note: str,
) -> SlotOutcome:
    """At the top of the equipment: a slower tempo, then a pause; then say what to get next."""
    tempos = catalog.rules.double_progression.params.ceiling_tempos
    limit, get = _what_limits(ex, catalog, equipment, owned, options)
    position = tempos.index(item.tempo) + 1 if item.tempo in tempos else 0
    if position < len(tempos):
        tempo = tempos[position]
        low = ex.dose.rep_range[0] if ex.dose.rep_range else item.reps
        new = item.model_copy(update={"tempo": tempo, "reps": low, "bridging": False})
        return SlotOutcome(
            new,
            f"{top_note} {limit}: harder with tempo {tempo} (slower lowering / a pause), back "
            f"to {low} reps. To progress further, get {get}.",
        )
    return SlotOutcome(
        item,
        f"{top_note} {limit}, at the slowest tempo: keep this dose; to progress further, "
        f"get {get}.",
    )


def _what_limits(
    ex: Exercise,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    options: tuple[float, ...],
) -> tuple[str, str]:
    """What stops further progression (in words), and what to get next."""
    if options:
        known = ownership_known(owned)
        own = "you own" if known else "assumed (say what you own in the screening)"
        return (
            f"at {options[-1]:g} kg, the heaviest {own}",
            suggest_next(ex, equipment, catalog, options[-1]),
        )
    blocked = [catalog.exercise(p) for p in ex.progressions]
    needs_step = [p for p in blocked if Equipment.STEP in p.equipment]
    if needs_step and owned is not None and owned.step_height_cm is not None:
        high = catalog.rules.double_progression.params.high_step_min_cm
        return (
            f"on your {owned.step_height_cm} cm step",
            f"a step of {high} cm or more for full step-ups",
        )
    if ex.load_equipment or any(p.load_equipment for p in blocked):
        return (
            "with no weights for it",
            "dumbbells or a kettlebell (then `glutecoach settings set equipment ...`)",
        )
    if not blocked:
        return "at the hardest variant in this program", "a clinician's advice on what comes next"
    return "with what you have", "the equipment its harder variant needs"
