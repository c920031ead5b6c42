"""Plain words for the hand-off exports: doses, tempo, loads in the person's units, pain rules
and red flags. Presentation only; every number comes from the core or the catalog. Loads and
phase names are :mod:`glutecoach.presentation`'s, the same as the CLI and the web app show."""

from __future__ import annotations

from glutecoach.core.catalog import Catalog, RedFlag
from glutecoach.core.models import DecisionKind, Prescription, Side
from glutecoach.presentation import PHASE_NAMES as PHASE_NAMES
from glutecoach.presentation import load_value as load_value
from glutecoach.presentation import loads_in_units as loads_in_units
from glutecoach.presentation import show_load as show_load

DECISION_WORDS = {
    DecisionKind.ADVANCE: "progress",
    DecisionKind.HOLD: "hold steady",
    DecisionKind.REGRESS: "ease off",
    DecisionKind.STOP_AND_REFER: "stop and see a clinician",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EMERGENCY_ADVICE = (
    "Stop and get medical help today (emergency department or your local urgent care number) "
    "if the answer to any of these becomes yes:"
)
SOON_ADVICE = (
    "Stop the exercises and see your GP or physiotherapist within a few days if the answer to "
    "any of these becomes yes:"
)


def has_tempo(tempo: str) -> bool:
    """Whether ``tempo`` is an up-pause-down rhythm in seconds (holds have none)."""
    parts = tempo.split("-")
    return len(parts) == 3 and all(p.isdigit() for p in parts)


def tempo_text(tempo: str) -> str:
    """``2-1-2`` -> ``2 s up, 1 s pause, 2 s down``; other notations are shown as written."""
    if has_tempo(tempo):
        up, pause, down = tempo.split("-")
        return f"{up} s up, {pause} s pause, {down} s down"
    return tempo


def dose_text(p: Prescription, units: str) -> str:
    """Sets, reps or hold, range and load of one prescription, in one line."""
    if p.reps:
        parts = [f"{p.sets} {'set' if p.sets == 1 else 'sets'} × {p.reps} reps"]
        if p.rep_range and p.reps < p.rep_range[1]:
            parts.append(f"(work up to {p.rep_range[1]})")
        if p.hold_seconds:
            parts.append(f"with a {p.hold_seconds} s hold")
    else:
        parts = [f"{p.sets} × {p.hold_seconds} s hold"]
    if p.load_kg:
        parts.append(f"at {show_load(p.load_kg, units)}")
    return " ".join(parts)


def sides_text(sides: list[Side]) -> str:
    """How the sides are done: both at once, or each side in the order given."""
    if not sides or sides == [Side.BOTH]:
        return "both sides together"
    order = " then ".join(s.value for s in sides)
    return f"each side ({order}); the dose is per side"


def days_text(days: tuple[int, ...]) -> str:
    return ", ".join(WEEKDAYS[d] for d in sorted(days))


def pain_rules(catalog: Catalog) -> list[str]:
    """Silbernagel's pain-monitoring model as the catalog parameterises it, in plain words."""
    p = catalog.rules.pain_model.params
    return [
        f"During exercise, pain of 0-{p.during_safe_max} out of 10 is safe and "
        f"up to {p.during_acceptable_max}/10 is acceptable.",
        f"If pain goes above {p.during_acceptable_max}/10 during an exercise, stop that "
        "exercise for today and note it.",
        f"After exercise, pain up to {p.after_max}/10 is allowed, but it must have settled by "
        f"the next morning (not {p.morning_flare_margin} or more points above how it was "
        "before the session).",
        "Pain and stiffness should not rise from one week to the next. If they do, the coach "
        "eases the program off.",
    ]


def red_flags(catalog: Catalog) -> tuple[list[RedFlag], list[RedFlag]]:
    """The red-flag questions that mean stop: (emergency, see a clinician soon)."""
    flags = catalog.rules.red_flags.flags
    return (
        [f for f in flags if f.group == "emergency"],
        [f for f in flags if f.group == "soon"],
    )
