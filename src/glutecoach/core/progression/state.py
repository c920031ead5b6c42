"""Where the program stands: the current state, the equipment, which sessions are new, and how
to describe a dose. Shared by every part of the engine."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    Change,
    Equipment,
    ExerciseState,
    FeltIn,
    History,
    OwnedEquipment,
    ProgramState,
    ScreeningOutcome,
    SessionLog,
    SetLog,
)
from glutecoach.core.program import phase1_state
from glutecoach.core.screening import screen


def initial_state(history: History, catalog: Catalog) -> ProgramState:
    """The Phase 1 start; stopped (nothing planned) when the screening itself refers."""
    state = phase1_state(history.screening, catalog, history.screened_on)
    outcome = screen(history.screening, catalog).outcome
    if outcome is ScreeningOutcome.START:
        return state
    return state.model_copy(update={"stopped": True, "refer": outcome})


def current_state(history: History, catalog: Catalog) -> ProgramState:
    if history.decisions:
        return history.decisions[-1].state
    return initial_state(history, catalog)


def equipment_of(history: History) -> tuple[Equipment, ...]:
    return history.equipment or tuple(history.screening.equipment)


def owned_of(history: History) -> OwnedEquipment | None:
    return history.owned if history.owned is not None else history.screening.owned


def trained_sessions(history: History, until: dt.date) -> list[SessionLog]:
    """Completed sessions with sets, up to ``until``, oldest first."""
    return sorted(
        (s for s in history.sessions if s.completed and s.sets and s.performed_on <= until),
        key=lambda s: s.performed_on,
    )


def unweighed_sessions(history: History, today: dt.date) -> list[SessionLog]:
    """Sessions up to ``today`` that no earlier decision has weighed yet."""
    weighed = Counter(day for d in history.decisions for day in d.weighed)
    out = []
    for session in history.sessions:
        if session.performed_on > today or not session.sets:
            continue
        if weighed[session.performed_on] > 0:
            weighed[session.performed_on] -= 1
            continue
        out.append(session)
    return out


def state_in_force(history: History, catalog: Catalog, session: SessionLog) -> ProgramState:
    """The program state that was prescribed when ``session`` was done."""
    for index, decision in enumerate(history.decisions):
        if session.performed_on in decision.weighed:
            if index == 0:
                return initial_state(history, catalog)
            return history.decisions[index - 1].state
    return current_state(history, catalog)


def felt_mainly_in_glutes(log: SetLog) -> bool | None:
    """Whether the set was felt mainly in the glutes (None when where was not said).

    The main area decides; a single ticked area is the main one; several areas ticked without
    a main one do not count as the glutes (the hamstrings or back may have done the work).
    """
    if log.felt_main is not None:
        return log.felt_main is FeltIn.GLUTES
    if not log.felt_in:
        return None
    return log.felt_in == (FeltIn.GLUTES,)


def glute_share(logs: list[SetLog]) -> float | None:
    """Share of sets felt mainly in the glutes, among sets where it was said."""
    said = [v for v in (felt_mainly_in_glutes(s) for s in logs) if v is not None]
    return sum(said) / len(said) if said else None


def describe(item: ExerciseState) -> str:
    parts = [item.exercise_id, f"{item.sets}x{item.reps}" if item.reps else f"{item.sets} sets"]
    if item.hold_seconds:
        parts.append(f"hold {item.hold_seconds}s")
    if item.load_kg:
        parts.append(f"{item.load_kg:g} kg")
    if item.band:
        parts.append(f"{item.band.value} band")
    if item.tempo:
        parts.append(f"tempo {item.tempo}")
    return " ".join(parts)


def describe_change(before: ExerciseState, after: ExerciseState, what: str = "dose") -> Change:
    return Change(slot=before.slot, what=what, before=describe(before), after=describe(after))


def change_size(before: ExerciseState, after: ExerciseState) -> str:
    """The real size of a reduction, in words: load, sets or reps, with the percentage."""
    if after.exercise_id != before.exercise_id:
        return f"easier variant ({after.exercise_id})"
    if before.load_kg and after.load_kg != before.load_kg:
        pct = 100 * (before.load_kg - after.load_kg) / before.load_kg
        return f"load {before.load_kg:g} -> {after.load_kg:g} kg ({pct:.0f} % less)"
    if after.sets != before.sets:
        pct = 100 * (before.sets - after.sets) / before.sets
        return f"sets {before.sets} -> {after.sets} ({pct:.0f} % less volume)"
    if before.reps and after.reps and after.reps != before.reps:
        pct = 100 * (before.reps - after.reps) / before.reps
        return f"reps {before.reps} -> {after.reps} ({pct:.0f} % fewer)"
    if before.hold_seconds and after.hold_seconds != before.hold_seconds:
        return f"hold {before.hold_seconds} -> {after.hold_seconds} s"
    return "dose eased"
