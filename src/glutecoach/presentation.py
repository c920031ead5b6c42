"""How values are shown to a person, the same at every door (the CLI, the web app, the hand-off
exports): loads in their units, doses, sides, body regions, decision and screening titles.

Presentation only: no rule and no I/O; every number comes from the core or the catalog. Loads
are stored in kg; ``units`` is the person's ``units`` setting ("kg" or "lb").
"""

from __future__ import annotations

import re

from glutecoach.core.models import (
    Decision,
    DecisionKind,
    Phase,
    Prescription,
    Region,
    ScreeningOutcome,
    Side,
)

LB_PER_KG = 2.20462
MAX_LOAD_KG = 500.0  # the highest load a set may log

REGION_LABELS = {
    Region.LOW_BACK: "Low back",
    Region.HIP: "Hip",
    Region.KNEE: "Knee",
    Region.ANKLE: "Ankle",
}
FELT_LABELS = {
    "glutes": "Glutes",
    "hamstrings": "Hamstrings",
    "lower_back": "Lower back",
    "other": "Somewhere else",
}
PHASE_NAMES = {
    Phase.REACTIVATE: "Phase 1 - reactivate the glutes",
    Phase.BUILD_STRENGTH: "Phase 2 - build strength",
}
DECISION_TITLES = {
    DecisionKind.ADVANCE: "Progress",
    DecisionKind.HOLD: "Hold steady",
    DecisionKind.REGRESS: "Ease off",
    DecisionKind.STOP_AND_REFER: "Stop: see a doctor or physiotherapist soon",
}
EMERGENCY_DECISION_TITLE = "Emergency: stop and get medical help today"
OUTCOME_TITLES = {
    ScreeningOutcome.START: "Your starting point",
    ScreeningOutcome.REFER_SOON: "Please see a clinician before you start",
    ScreeningOutcome.REFER_EMERGENCY: "Stop: get medical help today",
}


def show_load(load_kg: float, units: str) -> str:
    """A load in the person's units: ``8 kg`` or ``17.6 lb``."""
    if units == "lb":
        return f"{load_kg * LB_PER_KG:.1f} lb"
    return f"{load_kg:g} kg"


# The engine writes loads in its texts (reasons, what changes, a physio's dose) in kg, as
# "12 kg" or "10 -> 9 kg" (tests/test_presentation.py checks every text of the clinical
# scenarios against these forms); a person's own words (a physio's note) are quoted “...” and
# never rewritten.
_NUMBER = r"(?<![\w.,])(\d+(?:\.\d+)?)"
_LOAD_STEP = re.compile(_NUMBER + r"(\s*(?:->|-|–|to)\s*)(\d+(?:\.\d+)?) kg\b")
_LOAD = re.compile(_NUMBER + r" kg\b")
_QUOTED = re.compile(r"(“[^”]*”)")


def loads_in_units(text: str, units: str) -> str:
    """A coach text with its loads in the person's units ("10 -> 9 kg" -> "22.0 -> 19.8 lb";
    quoted words left as written)."""
    if units != "lb":
        return text
    parts = _QUOTED.split(text)
    return "".join(p if _QUOTED.fullmatch(p) else _lb_loads(p) for p in parts)


def _lb_loads(text: str) -> str:
    text = _LOAD_STEP.sub(
        lambda m: f"{float(m[1]) * LB_PER_KG:.1f}{m[2]}{show_load(float(m[3]), 'lb')}", text
    )
    return _LOAD.sub(lambda m: show_load(float(m[1]), "lb"), text)


def load_value(load_kg: float, units: str) -> float:
    """The number shown for a load in the person's units (one decimal in pounds)."""
    return round(load_kg * LB_PER_KG, 1) if units == "lb" else load_kg


def show_number(load_kg: float, units: str) -> str:
    """A load for an input field, in the person's units ("0" when there is none)."""
    if not load_kg:
        return "0"
    return f"{load_kg * LB_PER_KG:.1f}" if units == "lb" else f"{load_kg:g}"


def load_in_kg(value: float, units: str) -> float:
    """A load the person typed in their units, as stored (kg, two decimals)."""
    return round(value / LB_PER_KG if units == "lb" else value, 2)


def max_load(units: str) -> float:
    """The highest load a person may type, in their units."""
    return load_value(MAX_LOAD_KG, units)


def describe_dose(p: Prescription, units: str) -> str:
    """One prescription's dose in one line: sets and reps or hold, the rep range, a hold at the
    top, the load in the person's units, the band, tempo and rest, and the person's own cue
    (e.g. hold on to support, for older adults)."""
    parts = [f"{p.sets} × {p.reps} reps" if p.reps else f"{p.sets} × {p.hold_seconds} s hold"]
    if p.rep_range:
        parts.append(f"(range {p.rep_range[0]}–{p.rep_range[1]})")
    if p.reps and p.hold_seconds:
        parts.append(f"hold {p.hold_seconds} s at the top")
    if p.load_kg:
        parts.append(show_load(p.load_kg, units))
    if p.band:
        parts.append(f"{p.band.value.replace('_', ' ')} band")
    parts.append(f"tempo {p.tempo}, rest {p.rest_seconds} s")
    if p.cue:
        parts.append(p.cue)
    return ", ".join(parts)


def side_label(side: Side) -> str:
    """``left side`` / ``right side``; nothing when both sides work together."""
    return "" if side is Side.BOTH else f"{side.value} side"


def decision_title(decision: Decision) -> str:
    """The headline of a decision; an emergency referral says so first."""
    if decision.refer is ScreeningOutcome.REFER_EMERGENCY:
        return EMERGENCY_DECISION_TITLE
    return DECISION_TITLES[decision.kind]
