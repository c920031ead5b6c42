"""Turn submitted HTML forms into validated domain values (errors name the field)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.datastructures import FormData

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import CheckIn, Region, ScreeningAnswers
from glutecoach.errors import InputError
from glutecoach.fileio import validate
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


def screening(form: FormData, catalog: Catalog) -> ScreeningAnswers:
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
    return validate(ScreeningAnswers, data, "screening")


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
