"""The FHIR R4 resources of the hand-off Bundle, one builder each (plain JSON dicts)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from glutecoach.core.models import Region, SessionLog, Side
from glutecoach.export.record import PersonRecord
from glutecoach.export.wording import (
    PHASE_NAMES,
    dose_text,
    has_tempo,
    load_value,
    sides_text,
    tempo_text,
)

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
PAIN_CODE = {
    "coding": [
        {
            "system": LOINC,
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
    ],
    "text": "Pain (0-10)",
}
EXERCISE_THERAPY = {
    "coding": [{"system": SNOMED, "code": "229065009", "display": "Exercise therapy"}],
    "text": "Home exercise program (glute reactivation and strength)",
}
SURVEY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey",
                "display": "Survey",
            }
        ]
    }
]
PSEUDONYMIZED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "PSEUDED",
    "display": "pseudonymized",
}
FHIR_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REGION_NAMES = {
    Region.LOW_BACK: "Low back",
    Region.HIP: "Hip",
    Region.KNEE: "Knee",
    Region.ANKLE: "Ankle",
}


class Ids:
    """Resource ids for one export: random per export, stable within it."""

    def __init__(self, seed: uuid.UUID) -> None:
        self.seed = seed

    def new(self, *key: object) -> str:
        return str(uuid.uuid5(self.seed, "/".join(str(k) for k in key)))

    @property
    def patient(self) -> str:
        return self.new("patient")

    def ref(self, resource_id: str) -> dict[str, str]:
        return {"reference": f"urn:uuid:{resource_id}"}


def patient(ids: Ids) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": ids.patient,
        "meta": {"security": [PSEUDONYMIZED]},
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{ids.patient}"}],
    }


def _grouped(record: PersonRecord) -> list[tuple[str, list[Any], list[int]]]:
    """(exercise id, its prescriptions, the weekdays it is planned) across the week."""
    found: dict[str, tuple[list[Any], set[int]]] = {}
    for session in record.plan.sessions:
        for p in session.prescriptions:
            prescriptions, days = found.setdefault(p.exercise_id, ([], set()))
            days.add(session.day.weekday())
            if p.side not in {q.side for q in prescriptions}:
                prescriptions.append(p)
    return [(k, v[0], sorted(v[1])) for k, v in found.items()]


def service_requests(record: PersonRecord, ids: Ids) -> list[dict[str, Any]]:
    out = []
    for exercise_id, prescriptions, days in _grouped(record):
        exercise = record.catalog.exercise(exercise_id)
        first = prescriptions[0]
        sides = [p.side for p in prescriptions]
        instruction = (
            f"{exercise.setup} Dose: {dose_text(first, record.units)}, rest "
            f"{first.rest_seconds} s. "
            + (
                f"Tempo {first.tempo} ({tempo_text(first.tempo)}). "
                if has_tempo(first.tempo)
                else ""
            )
            + f"Sides: {sides_text(sides)}. Cues: {' '.join(exercise.cues)}"
        )
        request: dict[str, Any] = {
            "resourceType": "ServiceRequest",
            "id": ids.new("request", exercise_id),
            "status": "active",
            "intent": "plan",
            "category": [EXERCISE_THERAPY],
            "code": {"text": exercise.name},
            "subject": ids.ref(ids.patient),
            "basedOn": [ids.ref(ids.new("careplan"))],
            "occurrenceTiming": {
                "repeat": {
                    "frequency": 1,
                    "period": 1,
                    "periodUnit": "d",
                    "dayOfWeek": [FHIR_DAYS[d] for d in days],
                }
            },
            "patientInstruction": instruction,
            "note": [{"text": "Common faults: " + " ".join(exercise.faults)}],
        }
        if Side.BOTH not in sides:
            request["bodySite"] = [{"text": f"{s.value} side"} for s in sides]
        out.append(request)
    return out


def care_plan(record: PersonRecord, ids: Ids, request_ids: list[str]) -> dict[str, Any]:
    state = record.state
    notes = [
        f"{d.day.isoformat()} {d.kind.value}: " + " ".join(r.text for r in d.reasons)
        for d in record.history.decisions[-10:]
    ]
    return {
        "resourceType": "CarePlan",
        "id": ids.new("careplan"),
        "status": "on-hold" if state.stopped else "active",
        "intent": "plan",
        "category": [EXERCISE_THERAPY],
        "title": f"Home exercise program: {PHASE_NAMES[state.phase]}",
        "description": (
            "Screening with red flags, then Phase 1 glute reactivation and Phase 2 strength, "
            "with sitting breaks. Made by glutecoach, a self-guided coach that does not "
            "diagnose."
            + (
                " Paused after a red flag until a clinician clears the person."
                if state.stopped
                else ""
            )
        ),
        "subject": ids.ref(ids.patient),
        "period": {"start": record.history.screened_on.isoformat()},
        "created": record.today.isoformat(),
        "activity": [{"reference": ids.ref(rid)} for rid in request_ids],
        "note": [{"text": text} for text in notes],
    }


def scored_observation(
    resource_id: str,
    ids: Ids,
    day: dt.date,
    score: int,
    *,
    text: str,
    note: str,
    code: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": SURVEY,
        "code": code or {"text": text},
        "subject": ids.ref(ids.patient),
        "effectiveDateTime": day.isoformat(),
        "valueInteger": score,
        "note": [{"text": note}],
    }


def pain_observation(
    resource_id: str,
    ids: Ids,
    day: dt.date,
    score: int,
    *,
    body_site: Region | None,
    note: str,
    part_of: str | None = None,
) -> dict[str, Any]:
    observation = scored_observation(
        resource_id, ids, day, score, text="Pain (0-10)", note=note, code=PAIN_CODE
    )
    if body_site is not None:
        observation["bodySite"] = {"text": REGION_NAMES[body_site]}
    if part_of is not None:
        observation["partOf"] = [ids.ref(part_of)]
    return observation


def _set_line(session: SessionLog, exercise_id: str, record: PersonRecord) -> str:
    sets = [s for s in session.sets if s.exercise_id == exercise_id]
    name = (
        record.catalog.exercises[exercise_id].name
        if exercise_id in record.catalog.exercises
        else exercise_id
    )
    detail = ", ".join(
        f"{s.side.value} {s.reps} reps"
        + (f" {s.hold_seconds:g} s" if s.hold_seconds else "")
        + (f" {load_value(s.load_kg, record.units):g} {record.units}" if s.load_kg else "")
        + (f" RPE {s.rpe:g}" if s.rpe is not None else "")
        + f" pain {s.pain}"
        for s in sets
    )
    return f"{name}: {detail}"


def session_procedure(
    resource_id: str, ids: Ids, session: SessionLog, record: PersonRecord
) -> dict[str, Any]:
    exercise_ids = list(dict.fromkeys(s.exercise_id for s in session.sets))
    notes = [{"text": _set_line(session, e, record)} for e in exercise_ids]
    if session.notes:
        notes.append({"text": session.notes})
    return {
        "resourceType": "Procedure",
        "id": resource_id,
        "status": "completed" if session.completed else "stopped",
        "basedOn": [ids.ref(ids.new("careplan"))],
        "category": {"text": f"Phase {int(session.phase)} session"},
        "code": EXERCISE_THERAPY,
        "subject": ids.ref(ids.patient),
        "performedDateTime": session.performed_on.isoformat(),
        "note": notes,
    }
