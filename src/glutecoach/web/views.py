"""View-model helpers: turn core values into what templates and the guided-mode script show.

Presentation only (wording, units, chart series); every decision comes from the core.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    Decision,
    DecisionKind,
    PlannedSession,
    Prescription,
    ScreeningOutcome,
    SetLog,
    Side,
)
from glutecoach.core.progress import ProgressSummary
from glutecoach.core.sedentary import PeriodMetrics

LB_PER_KG = 2.20462
GET_READY_SECONDS = 5
REGION_LABELS = {"low_back": "Low back", "hip": "Hip", "knee": "Knee", "ankle": "Ankle"}
FELT_LABELS = {
    "glutes": "Glutes",
    "hamstrings": "Hamstrings",
    "lower_back": "Lower back",
    "other": "Somewhere else",
}
DECISION_TITLES = {
    DecisionKind.ADVANCE: ("Progress", "advance"),
    DecisionKind.HOLD: ("Hold steady", "hold"),
    DecisionKind.REGRESS: ("Ease off", "regress"),
    DecisionKind.STOP_AND_REFER: ("Stop: see a doctor or physiotherapist soon", "stop"),
}
EMERGENCY_DECISION_TITLE = "Emergency: stop and get medical help today"
OUTCOME_TITLES = {
    ScreeningOutcome.START: "Your starting point",
    ScreeningOutcome.REFER_SOON: "Please see a clinician before you start",
    ScreeningOutcome.REFER_EMERGENCY: "Stop: get medical help today",
}


def show_load(load_kg: float, units: str) -> str:
    if units == "lb":
        return f"{load_kg * LB_PER_KG:.1f} lb"
    return f"{load_kg:g} kg"


def describe_dose(p: Prescription, units: str = "kg") -> str:
    parts = [f"{p.sets} × {p.reps} reps" if p.reps else f"{p.sets} × {p.hold_seconds} s hold"]
    if p.rep_range:
        parts.append(f"(range {p.rep_range[0]}–{p.rep_range[1]})")
    if p.reps and p.hold_seconds:
        parts.append(f"hold {p.hold_seconds} s at the top")
    if p.load_kg:
        parts.append(show_load(p.load_kg, units))
    parts.append(f"tempo {p.tempo}, rest {p.rest_seconds} s")
    return ", ".join(parts)


def side_label(side: Side) -> str:
    return "" if side is Side.BOTH else f"{side.value} side"


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
                    "cue": exercise.cues[0],
                    "done": (p.exercise_id, p.side, index) in done
                    or (p.exercise_id, p.side) in stopped,
                }
            )
    return steps


def stop_exercise(log: SetLog, catalog: Catalog) -> bool:
    """Pain above the acceptable zone during a set: stop this exercise for today."""
    return log.pain > catalog.rules.pain_model.params.during_acceptable_max


def decision_view(decision: Decision) -> dict[str, Any]:
    title, css = DECISION_TITLES[decision.kind]
    if decision.refer is ScreeningOutcome.REFER_EMERGENCY:
        title = EMERGENCY_DECISION_TITLE
    return {
        "title": title,
        "css": css,
        "day": decision.day,
        "reasons": [r.text for r in decision.reasons],
        "changes": [f"{c.slot}: {c.before} → {c.after}" for c in decision.changes],
    }


def _series(x: list[Any], y: list[Any], name: str, **extra: Any) -> dict[str, Any]:
    return {"x": x, "y": y, "name": name, **extra}


def pain_chart(summary: ProgressSummary) -> list[dict[str, Any]]:
    by_region: dict[str, tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
    for point in summary.pain:
        key = point.region.value if point.region is not None else "session"
        xs, ys = by_region[key]
        xs.append(point.day.isoformat())
        ys.append(point.score)
    names = {**REGION_LABELS, "session": "During sessions (worst set)"}
    return [
        _series(xs, ys, names.get(key, key), mode="lines+markers", type="scatter")
        for key, (xs, ys) in sorted(by_region.items())
    ]


def adherence_chart(summary: ProgressSummary) -> list[dict[str, Any]]:
    weeks = [w.week_start.isoformat() for w in summary.adherence]
    return [
        _series(weeks, [w.planned for w in summary.adherence], "Planned", type="bar"),
        _series(weeks, [w.done for w in summary.adherence], "Done", type="bar"),
    ]


def load_chart(summary: ProgressSummary, units: str) -> list[dict[str, Any]]:
    factor = LB_PER_KG if units == "lb" else 1.0
    by_exercise: dict[str, tuple[list[str], list[float], list[int]]] = defaultdict(
        lambda: ([], [], [])
    )
    for point in summary.loads:
        xs, loads, reps = by_exercise[point.exercise_id]
        xs.append(point.day.isoformat())
        loads.append(round(point.load_kg * factor, 1))
        reps.append(point.reps)
    traces = []
    for exercise_id, (xs, loads, reps) in sorted(by_exercise.items()):
        if any(loads):  # bodyweight-only exercises have no load line
            traces.append(
                _series(xs, loads, f"{exercise_id} load", type="scatter", mode="lines+markers")
            )
        traces.append(
            _series(
                xs, reps, f"{exercise_id} reps", type="scatter", mode="lines+markers", yaxis="y2"
            )
        )
    return traces


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timeline_chart(summary: ProgressSummary) -> list[dict[str, Any]]:
    by_kind: dict[str, tuple[list[str], list[int], list[str]]] = defaultdict(lambda: ([], [], []))
    for entry in summary.timeline:
        xs, ys, texts = by_kind[entry.kind.value]
        xs.append(entry.day.isoformat())
        ys.append(int(entry.phase))
        first = entry.reasons[0] if entry.reasons else ""
        texts.append(_short(entry.summary) + "<br>" + _short(first))
    return [
        _series(xs, ys, kind, type="scatter", mode="markers", text=texts, hoverinfo="x+text")
        for kind, (xs, ys, texts) in sorted(by_kind.items())
    ]


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


def progress_charts(summary: ProgressSummary, units: str) -> dict[str, list[dict[str, Any]]]:
    """Every chart's traces except the desk coach's (that data changes on its own clock)."""
    return {
        "pain": pain_chart(summary),
        "adherence": adherence_chart(summary),
        "load": load_chart(summary, units),
        "timeline": timeline_chart(summary),
    }
