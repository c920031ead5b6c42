"""Turn submitted HTML forms into validated domain values (errors name the field)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import CheckIn, Region, ScreeningAnswers, SetLog
from glutecoach.errors import InputError
from glutecoach.fileio import validate
from glutecoach.presentation import load_in_kg
from glutecoach.settings import SETTINGS, parse_setting

MULTI_SETTINGS = ("equipment", "session_days")
PSFS_ROWS = 5


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _optional(form: FormData, name: str) -> str | None:
    return _text(form, name) or None


def _yes_no(form: FormData, name: str) -> bool | None:
    value = _text(form, name)
    if value in {"", "skip"}:
        return None
    if value in {"yes", "no"}:
        return value == "yes"
    raise InputError(f"{name}: expected yes, no or skip (got {value!r})")


def red_flags(form: FormData, catalog: Catalog) -> dict[str, bool]:
    """Every red-flag question of the catalog: ticked means yes."""
    return {f.id: _text(form, f"flag_{f.id}") == "yes" for f in catalog.rules.red_flags.flags}


def _region_pain(form: FormData) -> dict[str, dict[str, str]]:
    pain = {}
    for region in Region:
        score = _text(form, f"pain_{region.value}") or "0"
        if score != "0":
            pain[region.value] = {"score": score, "side": _text(form, f"side_{region.value}")}
            if not pain[region.value]["side"]:
                pain[region.value]["side"] = "both"
            onset = _text(form, f"onset_{region.value}")
            if onset:
                pain[region.value]["onset_weeks"] = onset
    return pain


def _psfs(form: FormData) -> list[dict[str, str]]:
    items = []
    for row in range(1, PSFS_ROWS + 1):
        activity = _text(form, f"psfs_activity_{row}")
        score = _text(form, f"psfs_score_{row}")
        if activity or score:
            items.append({"activity": activity, "score": score})
    return items


def self_tests(form: FormData) -> dict[str, Any]:
    """The optional self-tests (same fields on the screening and the check-in)."""
    return {
        "single_leg_bridge_reps_left": _optional(form, "slb_left"),
        "single_leg_bridge_reps_right": _optional(form, "slb_right"),
        "single_leg_stance_pelvic_drop": _yes_no(form, "stance_drop"),
        "single_leg_stance_pain": _yes_no(form, "stance_pain"),
        "thomas_test_tight": _yes_no(form, "thomas_tight"),
    }


class FieldErrors(InputError):
    """The form's answers that can't be used, each in plain words, by the form field's name."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        super().__init__("; ".join(f"{name}: {text}" for name, text in fields.items()))


# what each screening field holds, for messages in plain words: (label, low, high)
SCREENING_FIELDS: dict[str, tuple[str, float, float]] = {
    **{f"pain_{r.value}": (f"{r.value.replace('_', ' ')} pain", 0, 10) for r in Region},
    "age": ("Age", 10, 120),
    "sitting_hours_per_day": ("Hours sitting", 0, 24),
    "longest_sitting_minutes": ("Longest sitting", 0, 1440),
    "slb_left": ("Single-leg bridge reps, left", 0, 200),
    "slb_right": ("Single-leg bridge reps, right", 0, 200),
    **{f"psfs_score_{i}": (f"Activity {i} score", 0, 10) for i in range(1, PSFS_ROWS + 1)},
}
SELF_TEST_FIELDS = {
    "single_leg_bridge_reps_left": "slb_left",
    "single_leg_bridge_reps_right": "slb_right",
}


def _field_of(loc: tuple[Any, ...], psfs_rows: list[int]) -> str:
    """The HTML field behind a validation error's location in ScreeningAnswers."""
    if len(loc) >= 2 and loc[0] == "pain":
        return f"pain_{loc[1]}"
    if len(loc) >= 2 and loc[0] == "self_tests":
        return SELF_TEST_FIELDS.get(str(loc[1]), str(loc[1]))
    if len(loc) >= 3 and loc[0] == "psfs" and isinstance(loc[1], int) and loc[1] < len(psfs_rows):
        return f"psfs_{'activity' if loc[2] == 'activity' else 'score'}_{psfs_rows[loc[1]]}"
    if not loc or loc[0] == "psfs":
        return "psfs_activity_1"
    return str(loc[0])


def _plain(field: str, kind: str) -> str:
    label, low, high = SCREENING_FIELDS.get(field, (field.replace("_", " ").capitalize(), 0, 0))
    label = label[0].upper() + label[1:]
    if field.startswith("psfs_activity"):
        return "Name 3 to 5 activities, each with a score from 0 to 10, or leave them all empty."
    if kind in {"int_parsing", "float_parsing", "int_from_float"}:
        return f"{label}: enter a whole number from {low:g} to {high:g}."
    if high:
        return f"{label}: enter a number from {low:g} to {high:g}."
    return f"{label}: please check this answer."


def screening(form: FormData, catalog: Catalog) -> ScreeningAnswers:
    """The screening form's answers; every unusable answer is named, next to its field."""
    psfs_rows = [
        row
        for row in range(1, PSFS_ROWS + 1)
        if _text(form, f"psfs_activity_{row}") or _text(form, f"psfs_score_{row}")
    ]
    data = _screening_data(form, catalog)
    try:
        return ScreeningAnswers.model_validate(data)
    except ValidationError as exc:
        fields: dict[str, str] = {}
        for error in exc.errors():
            field = _field_of(tuple(error.get("loc", ())), psfs_rows)
            fields.setdefault(field, _plain(field, str(error.get("type", ""))))
        raise FieldErrors(fields) from None


def _screening_data(form: FormData, catalog: Catalog) -> dict[str, Any]:
    data: dict[str, Any] = {
        "red_flags": red_flags(form, catalog),
        "pain": _region_pain(form),
        "age": _optional(form, "age"),
        "sitting_hours_per_day": _optional(form, "sitting_hours_per_day"),
        "longest_sitting_minutes": _optional(form, "longest_sitting_minutes"),
        "activity_level": _optional(form, "activity_level"),
        "equipment": [str(e) for e in form.getlist("equipment")] or ["none"],
        "self_tests": self_tests(form),
        "psfs": _psfs(form),
    }
    return data


def checkin_pain(form: FormData) -> dict[str, str]:
    return {r.value: _text(form, f"pain_{r.value}") or "0" for r in Region}


def checkin(form: FormData, day: dt.date, flags: dict[str, bool]) -> CheckIn:
    tests = self_tests(form)
    data = {
        "day": day,
        "pain": checkin_pain(form),
        "stiffness": _text(form, "stiffness") or "0",
        "morning": _text(form, "when") != "evening",
        "red_flags": flags,
        "self_tests": tests if any(v is not None for v in tests.values()) else None,
    }
    return validate(CheckIn, data, "check-in")


def settings(form: FormData) -> dict[str, Any]:
    """Every setting on the form, each parsed by ``parse_setting`` (all or nothing)."""
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in MULTI_SETTINGS:
            raw: Any = [str(v) for v in form.getlist(setting.name)]
            if setting.name == "equipment" and not raw:
                raw = ["none"]
        elif isinstance(setting.default, bool):
            raw = _text(form, setting.name) == "yes"
        elif setting.name in form:
            raw = _text(form, setting.name)
        else:
            continue
        values[setting.name] = parse_setting(setting.name, raw)
    return values


def _number(form: FormData, name: str, label: str, low: float, high: float) -> float | None:
    """A number between ``low`` and ``high``, None when left empty; plain words otherwise."""
    raw = _text(form, name)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name}: {label} must be a number (got {raw!r})") from None
    if not low <= value <= high:
        raise InputError(f"{name}: {label} must be between {low:g} and {high:g} (got {raw})")
    return value


def _required(value: float | None, name: str, question: str) -> float:
    if value is None:
        raise InputError(f"{name}: {question}")
    return value


def set_log(form: FormData, units: str = "kg") -> SetLog:
    """One guided set posted as a plain form (the page without JavaScript).

    Nothing is assumed: effort, pain and the reps (or the seconds held) must be answered;
    a hold of 0 seconds is not a set.
    """
    is_hold = _text(form, "kind") == "hold"
    if is_hold:
        held = _number(form, "hold_seconds", "seconds held", 0, 3600)
        held = _required(held, "hold_seconds", "how many seconds did you hold? Enter a number.")
        if held < 1:
            raise InputError("hold_seconds: a hold under 1 second is not a set; hold, then save")
        reps = 0.0
    else:
        held = _number(form, "hold_seconds", "hold at the top", 0, 3600)
        found = _number(form, "reps", "reps done", 0, 200)
        reps = _required(found, "reps", "how many reps did you do? Enter a number.")
    load = _number(form, "load", "load", 0, 1100) or 0.0
    rpe = _number(form, "rpe", "effort (RPE)", 0, 10)
    rpe = _required(rpe, "rpe", "how hard was it? Choose an effort from 0 to 10.")
    pain = _number(form, "pain", "pain", 0, 10)
    pain = _required(pain, "pain", "any pain during the set? Choose 0 (none) to 10.")
    data = {
        "exercise_id": _text(form, "exercise_id"),
        "side": _text(form, "side") or "both",
        "set_index": _text(form, "set_index"),
        "reps": int(reps),
        "hold_seconds": held,
        "load_kg": load_in_kg(load, units),
        "rpe": rpe,
        "felt_in": [str(v) for v in form.getlist("felt") if v],
        "pain": int(pain),
    }
    return validate(SetLog, data, "set")
