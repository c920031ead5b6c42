"""Every red flag of the clinical reference, at every door simulate has (screening, a weekly
safety check, a pain-spike check-in), with the urgency CLINICAL.md gives it.

The grouping below is copied from /work/shared/CLINICAL.md ("Red flags"), not read from the
catalog, so a flag moved to the wrong group in rules.yaml fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest

from builders import MONDAY, follow, run_script
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import DecisionKind, ScreeningOutcome

CATALOG = load_catalog()
DAY = dt.timedelta(days=1)

# NICE CKS / BMJ Best Practice: possible cauda equina -> same day.
EMERGENCY = {
    "bladder_bowel_change": "bladder",
    "saddle_numbness": "saddle",
    "both_legs_weak_or_numb": "both legs",
    "new_sexual_dysfunction": "sexual",
}
# IFOMPT framework (Finucane 2020) + hip-specific items -> see a clinician soon.
SOON = {
    "cancer_history": "cancer",
    "unexplained_weight_loss": "weight",
    "fever_or_unwell": "fever",
    "immunosuppressed_or_iv_drugs": "immune",
    "long_term_steroids": "steroid",
    "trauma_or_osteoporosis": "osteoporosis",
    "constant_or_night_pain": "night",
    "thoracic_pain": "between the shoulder blades",
    "progressive_neuro_deficit": "getting worse",
    "hot_swollen_joint": "hot, red and swollen",
    "cannot_bear_weight": "weight on a leg",
    "suspected_fracture": "groin or hip pain",
    "groin_pulsation": "pulsing lump",
}
SAME_DAY_WORDS = ("emergency", "today", "emergency department", "do not wait")
SOON_WORDS = ("doctor or physiotherapist", "within the next few days")


def test_the_catalog_holds_exactly_the_clinical_reference_flags() -> None:
    assert {f.id: f.group for f in CATALOG.rules.red_flags.flags} == {
        **dict.fromkeys(EMERGENCY, "emergency"),
        **dict.fromkeys(SOON, "soon"),
    }


def _door_events(door: str, flag: str) -> list[dict[str, object]]:
    day = (MONDAY + 9 * DAY).isoformat()
    if door == "safety":
        return [follow(MONDAY, 9, rpe=5, pain=1), {"type": "safety", "day": day, "yes": [flag]}]
    # a pain spike (3 -> 7) re-asks the questions; the answers come with the check-in
    checkin = {"day": day, "pain": {"low_back": 7}, "red_flags": {flag: True}}
    return [follow(MONDAY, 9, rpe=5, pain=1), {"type": "checkin", "day": day, "checkin": checkin}]


def _check_urgency(decision, flag: str) -> None:  # type: ignore[no-untyped-def]
    emergency = flag in EMERGENCY
    assert decision.kind is DecisionKind.STOP_AND_REFER
    want = ScreeningOutcome.REFER_EMERGENCY if emergency else ScreeningOutcome.REFER_SOON
    assert decision.refer is want and decision.state.stopped
    advice = decision.reasons[0].text.lower()
    for word in SAME_DAY_WORDS if emergency else SOON_WORDS:
        assert word in advice, (flag, advice)
    if not emergency:
        assert "emergency" not in advice
    assert f"red_flags.{flag}" in {r.rule for r in decision.reasons}
    question = (EMERGENCY | SOON)[flag]
    assert any(question in r.text for r in decision.reasons[1:]), decision.reasons


@pytest.mark.parametrize("flag", sorted(EMERGENCY | SOON))
@pytest.mark.parametrize("door", ["screening", "safety", "checkin"])
def test_each_flag_stops_with_its_urgency_at_each_door(flag: str, door: str) -> None:
    if door == "screening":
        result = run_script([follow(MONDAY, 7, rpe=5, pain=1)], red_flags={flag: True})
        assert result.screening.outcome.value == (
            "refer_emergency" if flag in EMERGENCY else "refer_soon"
        )
        decisions = [s.decision for s in result.steps]
        assert not result.history.sessions  # nothing to train while stopped
    else:
        result = run_script(_door_events(door, flag))
        decisions = [s.decision for s in result.steps if s.day >= MONDAY + 9 * DAY]
    assert decisions
    for decision in decisions:
        _check_urgency(decision, flag)


def test_an_emergency_among_soon_flags_is_an_emergency() -> None:
    day = (MONDAY + 4 * DAY).isoformat()
    result = run_script(
        [{"type": "safety", "day": day, "yes": ["fever_or_unwell", "saddle_numbness"]}]
    )
    assert result.steps[-1].decision.refer is ScreeningOutcome.REFER_EMERGENCY


@pytest.mark.parametrize(
    ("age", "onset_weeks", "refer"),
    [
        (19, 4, True),  # new pain under 20
        (19, None, True),  # start not given: treated as new
        (19, 200, False),  # long-standing: age alone is not a flag
        (20, 4, False),  # 20 is not under 20
        (50, 4, False),  # 50 is not over 50
        (51, 11, True),  # began within 12 weeks: new
        (51, 12, False),  # 12 weeks and more: not new
        (85, 520, False),  # ten years of back pain at 85: not a flag
    ],
)
def test_age_is_a_flag_only_with_new_pain(age: int, onset_weeks: int | None, refer: bool) -> None:
    pain = {"low_back": {"score": 4, "onset_weeks": onset_weeks}}
    result = run_script([follow(MONDAY, 1, rpe=5, pain=1)], age=age, pain=pain)
    rules = {r.rule for r in result.screening.reasons}
    assert ("red_flags.age_rule" in rules) is refer
    assert (result.screening.outcome is ScreeningOutcome.REFER_SOON) is refer
    if refer:
        assert result.steps[-1].decision.refer is ScreeningOutcome.REFER_SOON
