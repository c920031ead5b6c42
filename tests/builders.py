"""Small builders for domain values used across tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from glutecoach.core.models import ScreeningAnswers

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
