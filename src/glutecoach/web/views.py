"""View-model helpers: turn core values into what templates and the guided-mode script show.

Presentation only (guided steps, decision views, chart series); every decision comes from the
core, and loads, doses, labels and titles are worded by :mod:`glutecoach.presentation`.
"""

from __future__ import annotations

from typing import Any

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    Decision,
    DecisionKind,
    PlannedSession,
    Prescription,
    SetLog,
)
from glutecoach.core.sedentary import PeriodMetrics
from glutecoach.presentation import decision_title, loads_in_units

GET_READY_SECONDS = 5
DECISION_CSS = {
    DecisionKind.ADVANCE: "advance",
    DecisionKind.HOLD: "hold",
    DecisionKind.REGRESS: "regress",
    DecisionKind.STOP_AND_REFER: "stop",
}


def guided_steps(
    planned: PlannedSession, catalog: Catalog, logged: list[SetLog]
) -> list[dict[str, Any]]:
    """One step per set to do, in order, marked done when already logged (resume on reload)
    or when pain stopped that exercise (and side) for today."""
    done = {(s.exercise_id, s.side, s.set_index) for s in logged}
    stopped = {(s.exercise_id, s.side) for s in logged if stop_exercise(s, catalog)}
    steps = []
    for p in planned.prescriptions:
        exercise = catalog.exercise(p.exercise_id)
        for index in range(1, p.sets + 1):
            steps.append(
                {
                    "exercise_id": p.exercise_id,
                    "name": exercise.name,
                    "side": p.side.value,
                    "set_index": index,
                    "sets": p.sets,
                    "reps": p.reps,
                    "hold_seconds": p.hold_seconds,
                    "load_kg": p.load_kg,
                    "rest_seconds": p.rest_seconds if index < p.sets else 0,
                    "get_ready_seconds": GET_READY_SECONDS,
                    "cue": exercise.cues[(index - 1) % len(exercise.cues)],
                    "cues": list(exercise.cues),
                    "tempo": tempo_seconds(p),
                    "done": (p.exercise_id, p.side, index) in done
                    or (p.exercise_id, p.side) in stopped,
                }
            )
    return steps


def tempo_seconds(p: Prescription) -> list[int] | None:
    """Lift, hold and lower seconds of one rep ("2-1-2"), the hold being the prescribed one;
    None for timed holds ("hold") or a tempo that is not three numbers."""
    parts = p.tempo.split("-")
    if p.reps is None or len(parts) != 3 or not all(x.isdigit() for x in parts):
        return None
    lift, hold, lower = (int(x) for x in parts)
    return [lift, p.hold_seconds if p.hold_seconds is not None else hold, lower]


def current_step(steps: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first set not done yet (what the page shows without JavaScript)."""
    return next((s for s in steps if not s["done"]), None)


def step_title(step: dict[str, Any]) -> str:
    side = "" if step["side"] == "both" else f" · {step['side']} side"
    return f"{step['name']}{side} · set {step['set_index']} of {step['sets']}"


def stop_exercise(log: SetLog, catalog: Catalog) -> bool:
    """Pain above the acceptable zone during a set: stop this exercise for today."""
    return log.pain > catalog.rules.pain_model.params.during_acceptable_max


def decision_view(decision: Decision, units: str = "kg") -> dict[str, Any]:
    """A decision as pages show it, its loads in the person's ``units``."""

    def shown(text: str) -> str:
        return loads_in_units(text, units)

    return {
        "title": decision_title(decision),
        "css": DECISION_CSS[decision.kind],
        "day": decision.day,
        "reasons": [shown(r.text) for r in decision.reasons],
        "why": [
            {"text": shown(r.text), "rule": r.rule, "sources": list(r.sources)}
            for r in decision.reasons
        ],
        "changes": [f"{c.slot}: {shown(c.before)} → {shown(c.after)}" for c in decision.changes],
    }


def _series(x: list[Any], y: list[Any], name: str, **extra: Any) -> dict[str, Any]:
    return {"x": x, "y": y, "name": name, **extra}


def desk_chart(metrics: list[PeriodMetrics] | None) -> list[dict[str, Any]]:
    if not metrics:
        return []
    days = [m.start.isoformat() for m in metrics]
    return [
        _series(days, [round(m.sitting_s / 3600, 2) for m in metrics], "Sitting (h)", type="bar"),
        _series(days, [m.breaks for m in metrics], "Breaks", type="scatter", yaxis="y2"),
        _series(
            days,
            [round(m.longest_bout_s / 60, 1) for m in metrics],
            "Longest bout (min)",
            type="scatter",
            yaxis="y2",
        ),
    ]
