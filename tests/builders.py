"""Small builders for domain values used across tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import History, ScreeningAnswers
from glutecoach.core.simulate import SimulationResult, SimulationScript, simulate

MONDAY = dt.date(2026, 1, 5)


def answers(**overrides: Any) -> ScreeningAnswers:
    data: dict[str, Any] = {
        "pain": {"low_back": {"score": 3}},
        "sitting_hours_per_day": 9,
        "longest_sitting_minutes": 120,
        "activity_level": "light",
        "equipment": ["band", "dumbbells", "step"],
        "red_flags": {},
        "age": 38,
        "self_tests": {
            "single_leg_bridge_reps_left": 14,
            "single_leg_bridge_reps_right": 15,
            "single_leg_stance_pelvic_drop": False,
            "single_leg_stance_pain": False,
        },
    }
    data.update(overrides)
    return ScreeningAnswers.model_validate(data)


def script(events: list[dict[str, Any]], **screening: Any) -> dict[str, Any]:
    return {
        "start": MONDAY.isoformat(),
        "screening": answers(**screening).model_dump(mode="json"),
        "events": events,
    }


def run_script(
    events: list[dict[str, Any]], initial_state: dict[str, Any] | None = None, **screening: Any
) -> SimulationResult:
    """Replay ``events`` (after a screening with ``screening`` overrides) through the engine."""
    data = script(events, **screening)
    if initial_state is not None:
        data["initial_state"] = initial_state
    return simulate(SimulationScript.model_validate(data), load_catalog())


def follow(day: dt.date, days: int, **kw: Any) -> dict[str, Any]:
    """Do the plan from ``day`` for ``days`` days (simulate's follow_plan event)."""
    return {"type": "follow_plan", "day": day.isoformat(), "days": days, **kw}


def phase2_state(day: dt.date = MONDAY, **screening: Any) -> dict[str, Any]:
    """A Phase 2 program state at the start loads, as simulate's ``initial_state``."""
    from glutecoach.catalog.loader import load_catalog
    from glutecoach.core.program import phase2_state as build

    given = answers(**screening)
    state = build(given, load_catalog(), tuple(given.equipment), day, given.owned)
    return state.model_dump(mode="json")


def with_slot(state: dict[str, Any], slot: str, **changes: Any) -> dict[str, Any]:
    """``state`` with one slot's fields changed."""
    exercises = [{**e, **changes} if e["slot"] == slot else e for e in state["exercises"]]
    return {**state, "exercises": exercises}


def history_as_of(history: History, day: dt.date) -> History:
    """The history as it stood at the end of ``day`` (the very same entry objects, as the
    history cache keeps them)."""
    return history.model_copy(
        update={
            "sessions": tuple(s for s in history.sessions if s.performed_on <= day),
            "checkins": tuple(c for c in history.checkins if c.day <= day),
            "clearances": tuple(c for c in history.clearances if c.day <= day),
            "decisions": tuple(d for d in history.decisions if d.day <= day),
        }
    )
