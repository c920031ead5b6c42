"""Screening: red flags stop and refer in plain words; otherwise a start with emphasis."""

from __future__ import annotations

import pytest

from builders import answers
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import Phase, ScreeningOutcome
from glutecoach.core.screening import screen

DIAGNOSIS_WORDS = ("cauda equina", "cancer", "fracture", "infection", "you have ")


def test_no_red_flags_starts_phase_1_with_reasons(catalog: Catalog) -> None:
    result = screen(answers(), catalog)
    assert result.outcome is ScreeningOutcome.START
    assert result.phase is Phase.REACTIVATE
    assert result.explanation and result.reasons
    assert all(r.sources for r in result.reasons)


@pytest.mark.parametrize(
    "flag",
    ["saddle_numbness", "bladder_bowel_change", "both_legs_weak_or_numb", "new_sexual_dysfunction"],
)
def test_emergency_flag_refers_today_without_diagnosing(catalog: Catalog, flag: str) -> None:
    result = screen(answers(red_flags={flag: True}), catalog)
    assert result.outcome is ScreeningOutcome.REFER_EMERGENCY
    assert result.phase is None
    text = " ".join(result.explanation).lower()
    assert "today" in text
    assert not any(word in text for word in DIAGNOSIS_WORDS)


def test_soon_flag_refers_soon(catalog: Catalog) -> None:
    result = screen(answers(red_flags={"constant_or_night_pain": True}), catalog)
    assert result.outcome is ScreeningOutcome.REFER_SOON
    assert any("Finucane" in s for r in result.reasons for s in r.sources)


def test_emergency_wins_over_soon(catalog: Catalog) -> None:
    result = screen(answers(red_flags={"cancer_history": True, "saddle_numbness": True}), catalog)
    assert result.outcome is ScreeningOutcome.REFER_EMERGENCY


def test_new_pain_over_fifty_is_referred_soon(catalog: Catalog) -> None:
    assert screen(answers(age=63), catalog).outcome is ScreeningOutcome.REFER_SOON
    assert screen(answers(age=63, pain={}), catalog).outcome is ScreeningOutcome.START


def test_emphasis_follows_the_answers(catalog: Catalog) -> None:
    result = screen(
        answers(
            sitting_hours_per_day=10,
            self_tests={
                "single_leg_bridge_reps_left": 6,
                "single_leg_bridge_reps_right": 12,
                "single_leg_stance_pelvic_drop": True,
            },
            pain={"low_back": {"score": 6}},
        ),
        catalog,
    )
    assert {"gluteus medius", "hip flexor mobility", "asymmetry", "core control"} <= set(
        result.emphasis
    )
    calm = screen(answers(sitting_hours_per_day=2, longest_sitting_minutes=20, pain={}), catalog)
    assert calm.emphasis == ("gluteus maximus activation",)
