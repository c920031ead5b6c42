"""The clinic record in the hand-off formats (only when there is one: clinic mode).

CSV: ``overrides.csv``, ``clinician_notes.csv``, ``form_reviews.csv``, ``record_views.csv``.
FHIR: each override as a CarePlan note plus a Provenance (who, when, why) targeting the
CarePlan; each form review's result as an Observation (reps, hold times, faults, form share:
never the clip); each access to the record as an AuditEvent; each clinician's note on a
decision as a CarePlan note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from glutecoach.clinic_services import ClinicRecord

Table = tuple[Sequence[str], list[list[Any]]]
REVIEW_HEADER = (
    *("sent_utc", "finished_utc", "exercise", "status", "reps", "holds_s", "faults"),
    *("good_form_share", "view_ok", "advice", "error"),
)
PROVENANCE_AUTHOR = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
            "code": "author",
            "display": "Author",
        }
    ]
}
AUDIT_READ = {
    "system": "http://terminology.hl7.org/CodeSystem/audit-event-type",
    "code": "rest",
    "display": "RESTful Operation",
}
EXERCISE_CATEGORY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "exam",
                "display": "Exam",
            }
        ]
    }
]


def csv_tables(clinic: ClinicRecord) -> dict[str, Table]:
    """The clinic's CSV files (header, rows) by name; none outside clinic mode."""
    if clinic.empty:
        return {}
    return {
        "overrides.csv": (
            ["date", "kind", "by", "what", "note"],
            [[o.day.isoformat(), o.kind, o.by, o.summary, o.note] for o in clinic.overrides],
        ),
        "clinician_notes.csv": (
            ["date", "decision", "verdict", "override", "note", "clinician", "at_utc"],
            [
                [
                    n["day"],
                    n["decision_kind"],
                    n["verdict"],
                    n["override_kind"],
                    n["note"],
                    n["clinician"],
                    n["at"],
                ]
                for n in clinic.notes
            ],
        ),
        "form_reviews.csv": (
            REVIEW_HEADER,
            [_review_row(r) for r in clinic.reviews],
        ),
        "record_views.csv": (
            ["at_utc", "clinician", "what"],
            [[v["at"], v["clinician"], v["action"]] for v in clinic.views],
        ),
    }


def _review_row(review: dict[str, Any]) -> list[Any]:
    result = review.get("result") or {}
    summary = result.get("summary") or {}
    return [
        review["created_at"],
        review.get("finished_at"),
        review["exercise_id"],
        review["status"],
        result.get("reps"),
        " ".join(f"{h:g}" for h in result.get("holds_s") or []),
        " ".join(result.get("faults") or []),
        summary.get("good_form_share"),
        result.get("view_ok"),
        result.get("advice"),
        review.get("error"),
    ]


def care_plan_notes(clinic: ClinicRecord) -> list[dict[str, Any]]:
    """Each override and each clinician's note as a CarePlan note (author, time, text)."""
    notes = [
        {
            "authorString": o.by or "clinician",
            "time": f"{o.day.isoformat()}T00:00:00Z",
            "text": f"Clinician's override ({o.kind}): {o.summary}. Note: {o.note}",
        }
        for o in clinic.overrides
    ]
    notes += [
        {
            "authorString": n["clinician"] or "clinician",
            "time": _instant(n["at"]),
            "text": f"Clinician {n['verdict']} of the {n['day']} decision "
            f"({n['decision_kind']}): {n['note'] or '(no note)'}",
        }
        for n in clinic.notes
    ]
    return notes


def _instant(value: str) -> str:
    return dt.datetime.fromisoformat(value).replace(microsecond=0).isoformat() + "Z"


def provenances(
    clinic: ClinicRecord, care_plan: str, new_id: Any, ref: Any
) -> list[dict[str, Any]]:
    """Who changed the plan and why: one Provenance per override, targeting the CarePlan."""
    return [
        {
            "resourceType": "Provenance",
            "id": new_id("override-provenance", number),
            "target": [ref(care_plan)],
            "recorded": f"{o.day.isoformat()}T00:00:00Z",
            "reason": [{"text": o.note}],
            "activity": {"text": f"clinician's override: {o.kind} ({o.summary})"},
            "agent": [{"type": PROVENANCE_AUTHOR, "who": {"display": o.by or "clinician"}}],
        }
        for number, o in enumerate(clinic.overrides, start=1)
    ]


def review_observations(clinic: ClinicRecord, patient: str, new_id: Any, ref: Any) -> list[Any]:
    """Each finished form review's result as an Observation (the counts, never the clip)."""
    out = []
    for number, review in enumerate(clinic.reviews, start=1):
        result = review.get("result")
        if review["status"] != "done" or not result:
            continue
        summary = result.get("summary") or {}
        components = [
            _component("Repetitions observed", {"valueInteger": int(result.get("reps") or 0)}),
            *(
                _component("Hold (s)", {"valueQuantity": {"value": h, "unit": "s"}})
                for h in result.get("holds_s") or []
            ),
            *(_component("Fault", {"valueString": f}) for f in result.get("faults") or []),
        ]
        if summary.get("good_form_share") is not None:
            share = round(float(summary["good_form_share"]) * 100, 1)
            components.append(
                _component("Good-form share", {"valueQuantity": {"value": share, "unit": "%"}})
            )
        out.append(
            {
                "resourceType": "Observation",
                "id": new_id("form-review", number),
                "status": "final",
                "category": EXERCISE_CATEGORY,
                "code": {"text": f"Form review from a video clip: {review['exercise_id']}"},
                "subject": ref(patient),
                "effectiveDateTime": _instant(review.get("finished_at") or review["created_at"]),
                "note": [{"text": str(result.get("advice") or "analysed on the clinic's workers")}],
                "component": components,
            }
        )
    return out


def _component(text: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"code": {"text": text}, **value}


def audit_events(clinic: ClinicRecord, patient: str, new_id: Any, ref: Any) -> list[Any]:
    """Each clinician access to the record as an AuditEvent (who, what, when)."""
    return [
        {
            "resourceType": "AuditEvent",
            "id": new_id("record-view", number),
            "type": AUDIT_READ,
            "action": "R" if view["action"].startswith("view") else "U",
            "recorded": _instant(view["at"]),
            "agent": [{"who": {"display": view["clinician"] or "clinician"}, "requestor": True}],
            "source": {"observer": {"display": "glutecoach clinic"}},
            "entity": [{"what": ref(patient), "description": view["action"]}],
        }
        for number, view in enumerate(clinic.views, start=1)
    ]
