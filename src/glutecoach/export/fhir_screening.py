"""The latest screening as a FHIR R4 QuestionnaireResponse: every answer, as given."""

from __future__ import annotations

from typing import Any

from glutecoach.core.models import ScreeningAnswers, ScreeningResult
from glutecoach.export.fhir_parts import REGION_NAMES, Ids
from glutecoach.export.record import PersonRecord

SELF_TEST_TEXT = {
    "single_leg_bridge_reps_left": "Single-leg bridge, left: reps",
    "single_leg_bridge_reps_right": "Single-leg bridge, right: reps",
    "single_leg_stance_pelvic_drop": "30 s single-leg stance: pelvis dropped",
    "single_leg_stance_pain": "30 s single-leg stance: painful",
    "thomas_test_tight": "Modified Thomas self-check: hip flexors tight",
}


def _answer(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


def _item(link_id: str, text: str, *values: Any) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "answer": [_answer(v) for v in values]}


def _pain_items(answers: ScreeningAnswers) -> list[dict[str, Any]]:
    return [
        _item(
            f"pain.{region.value}",
            f"{REGION_NAMES[region]} pain now (0-10), side: {pain.side.value}",
            pain.score,
        )
        for region, pain in sorted(answers.pain.items(), key=lambda i: i[0].value)
    ]


def _red_flag_items(answers: ScreeningAnswers, record: PersonRecord) -> list[dict[str, Any]]:
    questions = {f.id: f.question for f in record.catalog.rules.red_flags.flags}
    return [
        _item(f"red_flag.{flag}", questions.get(flag, flag), value)
        for flag, value in sorted(answers.red_flags.items())
    ]


def _other_items(answers: ScreeningAnswers) -> list[dict[str, Any]]:
    items = [
        _item("sitting_hours", "Hours sitting per day", float(answers.sitting_hours_per_day)),
        _item("longest_sitting", "Longest sitting bout (minutes)", answers.longest_sitting_minutes),
        _item("activity_level", "Activity level", answers.activity_level.value),
        _item("equipment", "Equipment at hand", *(e.value for e in answers.equipment)),
    ]
    if answers.age is not None:
        items.append(_item("age", "Age (years)", answers.age))
    for name, value in answers.self_tests.model_dump().items():
        if value is not None:
            items.append(_item(f"self_test.{name}", SELF_TEST_TEXT.get(name, name), value))
    for n, entry in enumerate(answers.psfs, start=1):
        items.append(
            _item(
                f"psfs.{n}",
                f"Patient-Specific Functional Scale (0-10): {entry.activity}",
                entry.score,
            )
        )
    return items


def _result_item(result: ScreeningResult) -> dict[str, Any]:
    words = [f"outcome: {result.outcome.value}"]
    if result.phase is not None:
        words.append(f"starting phase: {int(result.phase)}")
    words += [r.text for r in result.reasons]
    return _item("result", "glutecoach's screening result (not a diagnosis)", "; ".join(words))


def screening_response(record: PersonRecord, ids: Ids) -> dict[str, Any]:
    assert record.screening is not None
    answers, result = record.screening
    history = record.history
    taken_on = history.latest_screening_on or history.screened_on
    items = _pain_items(answers)
    flags = _red_flag_items(answers, record)
    if flags:
        items.append({"linkId": "red_flags", "text": "Red-flag questions", "item": flags})
    items += _other_items(answers)
    items.append(_result_item(result))
    return {
        "resourceType": "QuestionnaireResponse",
        "id": ids.new("screening"),
        "status": "completed",
        "subject": ids.ref(ids.patient),
        "authored": taken_on.isoformat(),
        "item": items,
    }
