"""A clinician's override of the engine, as a decision the engine then respects.

Kinds (:class:`OverrideKind`): hold at the current level, regress one step, progress one step
(never while pain or a red flag says stop), set one exercise's dose (within the catalog's
ranges and the equipment the person has), swap an exercise for one of its catalog variants,
and end the override (return to the engine). Each is a new decision carrying the new program
state and the override (``Decision.override``); the engine starts from the latest decision's
state and keeps the override's slots as the clinician set them until it ends or is changed
(core/progression/overrides.py). A red flag is never overridden (a clearance lifts it), and a
red flag or a step back by the pain model sets an override aside.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    ClinicianOverride,
    Decision,
    DecisionKind,
    ExerciseState,
    Frozen,
    History,
    OverrideKind,
    ProgramState,
    Reason,
)
from glutecoach.core.override_dose import (
    OverrideRefused,
    dose_changes,
    progress_one_step,
    set_dose,
    swap_exercise,
)
from glutecoach.core.pain import checkin_level
from glutecoach.core.progression.overrides import (
    OVERRIDE_RULE,
    active_override,
    override_line,
)
from glutecoach.core.progression.regress import changes_of, regress
from glutecoach.core.progression.state import current_state, equipment_of, owned_of
from glutecoach.core.progression.time_off import latest_checkin

__all__ = [
    "OVERRIDE_RULE",
    "OverrideRefused",
    "OverrideRequest",
    "make_override",
    "override_decision",
    "pain_says_stop",
]


class OverrideTarget(Frozen):
    """Which exercise an override is about and the dose it sets: ``slot`` names the exercise's
    place in the session (None: every main exercise); the rest only for a dose or a swap. One
    definition for the clinic's API, the simulate script and the request below."""

    slot: str | None = Field(default=None, max_length=40)
    exercise_id: str | None = Field(default=None, max_length=80, description="swap: the variant")
    sets: int | None = Field(default=None, ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=0, le=600)
    load_kg: float | None = Field(default=None, ge=0, le=500)

    def target(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in OverrideTarget.model_fields}


class OverrideRequest(OverrideTarget):
    """What the clinician asks for."""

    kind: OverrideKind = OverrideKind.HOLD
    note: str = Field(min_length=1, max_length=2000)
    by: str = Field(default="", max_length=320)


def pain_says_stop(history: History, catalog: Catalog, today: dt.date) -> str:
    """Why the pain model (or a red flag) says stop on ``today`` ('' when it does not): the
    engine's latest decision (the clinician's own decisions are skipped, so a hold cannot
    launder a pain step back) stopped or regressed for pain, or the latest check-in is in the
    pain model's high-risk zone."""
    engine = [d for d in history.decisions if not d.reasons or d.reasons[0].rule != OVERRIDE_RULE]
    latest = engine[-1] if engine else None
    if latest is not None and latest.kind == DecisionKind.STOP_AND_REFER:
        return "a red flag stopped the program"
    if (
        latest is not None
        and latest.kind == DecisionKind.REGRESS
        and any(r.rule.startswith("pain_model") for r in latest.reasons)
    ):
        return f"the pain model stepped the plan back on {latest.day.isoformat()}"
    checkin = latest_checkin(history, today)
    limit = catalog.rules.pain_model.params.after_max
    if checkin is not None and checkin_level(checkin) > limit:
        return f"pain was {checkin_level(checkin)}/10 on {checkin.day.isoformat()} (above {limit})"
    return ""


def make_override(
    history: History, catalog: Catalog, day: dt.date, request: OverrideRequest
) -> Decision:
    """The decision carrying the clinician's override (refused with what to do instead)."""
    if not history.decisions:
        raise OverrideRefused("there is no decision yet (nothing to override)")
    latest = history.decisions[-1]
    if latest.kind == DecisionKind.STOP_AND_REFER:
        raise OverrideRefused(
            "a red flag is not overridden: record the person's clearance after examining them"
        )
    state = current_state(history, catalog)
    if request.kind == OverrideKind.END:
        return _end(history, day, request, state)
    if request.slot is not None and state.slot(request.slot) is None:
        slots = ", ".join(e.slot for e in state.exercises)
        raise OverrideRefused(f"slot: '{request.slot}' is not in the current plan (one of {slots})")
    new_state, pairs = _new_state(history, catalog, request, state)
    rising = [b for b, a in pairs if _higher(b, a, catalog)]
    stop = pain_says_stop(history, catalog, day)
    if rising and stop:
        raise OverrideRefused(
            f"{request.kind.value}: not while the pain model says stop ({stop}); hold or "
            "regress instead, and progress once the pain has settled"
        )
    override = ClinicianOverride(
        kind=request.kind,
        day=day,
        note=request.note,
        by=request.by,
        slots=_slots(request),
        summary=_summary(request, pairs, catalog),
    )
    kinds = {
        OverrideKind.HOLD: DecisionKind.HOLD,
        OverrideKind.REGRESS: DecisionKind.REGRESS,
        OverrideKind.PROGRESS: DecisionKind.ADVANCE,
    }
    kind = kinds.get(request.kind, DecisionKind.ADVANCE if rising else DecisionKind.HOLD)
    return Decision(
        day=day,
        kind=kind,
        reasons=(Reason(rule=OVERRIDE_RULE, text=override_line(override)),),
        changes=changes_of(pairs),
        state=new_state,
        override=override,
    )


def override_decision(history: History, catalog: Catalog, day: dt.date, note: str) -> Decision:
    """Hold at the current level (the override the clinic offered first)."""
    return make_override(history, catalog, day, OverrideRequest(note=note or "held"))


def _end(history: History, day: dt.date, request: OverrideRequest, state: ProgramState) -> Decision:
    ended = active_override(history)
    if ended is None:
        raise OverrideRefused("end: no override is in force (the engine already decides)")
    who = f" ({request.by})" if request.by else ""
    text = (
        f"Your physio{who} returned the plan to the engine on {day.isoformat()} (the override "
        f"of {ended.day.isoformat()} has ended). Note: {request.note}"
    )
    reason = Reason(rule=OVERRIDE_RULE, text=text)
    return Decision(day=day, kind=DecisionKind.HOLD, reasons=(reason,), state=state)


Pairs = list[tuple[ExerciseState, ExerciseState]]


def _new_state(
    history: History, catalog: Catalog, request: OverrideRequest, state: ProgramState
) -> tuple[ProgramState, Pairs]:
    equipment, owned = equipment_of(history), owned_of(history)
    target = state.slot(request.slot) if request.slot else None
    if request.kind == OverrideKind.HOLD:
        return state, []
    if request.kind == OverrideKind.REGRESS:
        targets = frozenset({target.exercise_id}) if target else None
        new_state, pairs = regress(state, catalog, equipment, owned, targets, deload_only=False)
        if not pairs:
            raise OverrideRefused("regress: already at the gentlest step (nothing to step back)")
        return new_state, pairs
    if request.kind == OverrideKind.PROGRESS:
        return progress_one_step(state, catalog, equipment, owned, target)
    if target is None:
        raise OverrideRefused(f"slot: {request.kind.value} needs the exercise's slot")
    if request.kind == OverrideKind.DOSE:
        after = set_dose(target, catalog, equipment, owned, dose_changes(request))
    else:
        if not request.exercise_id:
            raise OverrideRefused("exercise_id: name the variant to swap to")
        after = swap_exercise(target, catalog, equipment, owned, request.exercise_id)
    exercises = tuple(after if e.slot == target.slot else e for e in state.exercises)
    return state.model_copy(update={"exercises": exercises}), [(target, after)]


def _higher(before: ExerciseState, after: ExerciseState, catalog: Catalog) -> bool:
    """Whether the dose went up in any way (load, volume, hold, band, a harder variant)."""
    if after.exercise_id != before.exercise_id:
        return after.exercise_id in catalog.exercise(before.exercise_id).progressions
    return (
        after.load_kg > before.load_kg
        or after.sets > before.sets
        or (after.reps or 0) > (before.reps or 0)
        or (after.hold_seconds or 0) > (before.hold_seconds or 0)
        or (after.band is not None and after.band != before.band)
    )


def _slots(request: OverrideRequest) -> tuple[str, ...]:
    return (request.slot,) if request.slot else ()


def _summary(request: OverrideRequest, pairs: Pairs, catalog: Catalog) -> str:
    if request.kind == OverrideKind.HOLD:
        what = f"{request.slot} " if request.slot else "the plan "
        return f"hold {what}at the current level"
    if not pairs:
        return request.kind.value
    steps = "; ".join(_step_words(b, a, catalog) for b, a in pairs)
    verb = {
        OverrideKind.REGRESS: "one step back",
        OverrideKind.PROGRESS: "one step on",
        OverrideKind.DOSE: "dose set",
        OverrideKind.SWAP: "swapped",
    }[request.kind]
    return f"{verb}: {steps}"[:500]


def _step_words(before: ExerciseState, after: ExerciseState, catalog: Catalog) -> str:
    """ "Glute bridge: 2 sets, 8 reps (was 3 sets, 12 reps)", or "A -> B: dose"."""
    name = catalog.exercise(before.exercise_id).name
    if after.exercise_id != before.exercise_id:
        return f"{name} -> {catalog.exercise(after.exercise_id).name}: {_dose_words(after)}"
    return f"{name}: {_dose_words(after)} (was {_dose_words(before)})"


def _dose_words(item: ExerciseState) -> str:
    parts = [f"{item.sets} sets"]
    if item.reps:
        parts.append(f"{item.reps} reps")
    if item.hold_seconds:
        parts.append(f"{item.hold_seconds} s hold")
    if item.load_kg:
        parts.append(f"{item.load_kg:g} kg")
    if item.band:
        parts.append(f"{item.band.value} band")
    return ", ".join(parts)
