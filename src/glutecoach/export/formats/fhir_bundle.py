"""``export --format fhir``: the person's record as a FHIR R4 Bundle (type ``collection``).

- a pseudonymous Patient: no name, no birth date, a random id per export, security label
  PSEUDED;
- the plan as a CarePlan whose activities reference one ServiceRequest per exercise (the shapes
  of the HL7 Physical Activity Implementation Guide): timing on the session days, the dose,
  tempo, sides and cues as the patient instruction;
- pain from check-ins (per region) and sessions (worst set) as Observations coded LOINC 72514-3
  (pain severity 0-10, reported), stiffness as an Observation;
- each logged session as a Procedure (SNOMED CT 229065009, exercise therapy) with its sets;
- the latest screening as a QuestionnaireResponse;
- in clinic mode (export/clinic_parts.py): clinicians' overrides and notes as CarePlan notes,
  a Provenance per override, form-review results as Observations, record views as
  AuditEvents.

Plain JSON built here; the tests validate it with ``fhir.resources``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from glutecoach.core.models import CheckIn, SessionLog
from glutecoach.export import clinic_parts as clinic
from glutecoach.export import fhir_parts as parts
from glutecoach.export.fhir_screening import screening_response
from glutecoach.export.record import PersonRecord, gather
from glutecoach.export.writer import ExportRequest, Writer


def pain_observations(checkin: CheckIn, number: int, ids: parts.Ids) -> list[dict[str, Any]]:
    when = "morning" if checkin.morning else "evening"
    out = [
        parts.pain_observation(
            ids.new("checkin-pain", number, region.value),
            ids,
            checkin.day,
            score,
            body_site=region,
            note=f"{when} check-in",
        )
        for region, score in sorted(checkin.pain.items(), key=lambda i: i[0].value)
    ]
    out.append(
        parts.scored_observation(
            ids.new("checkin-stiffness", number),
            ids,
            checkin.day,
            checkin.stiffness,
            text="Stiffness (0-10, self-reported)",
            note=f"{when} check-in",
        )
    )
    return out


def session_resources(
    session: SessionLog, number: int, record: PersonRecord, ids: parts.Ids
) -> list[dict[str, Any]]:
    resources = [parts.session_procedure(ids.new("session", number), ids, session, record)]
    if session.sets:
        worst = max(s.pain for s in session.sets)
        resources.append(
            parts.pain_observation(
                ids.new("session-pain", number),
                ids,
                session.performed_on,
                worst,
                body_site=None,
                note="worst pain during the exercise session",
                part_of=ids.new("session", number),
            )
        )
    return resources


def bundle(record: PersonRecord, ids: parts.Ids, now_iso: str) -> dict[str, Any]:
    resources: list[dict[str, Any]] = [parts.patient(ids)]
    requests = parts.service_requests(record, ids)
    plan = parts.care_plan(record, ids, [r["id"] for r in requests])
    plan["note"] = [*plan["note"], *clinic.care_plan_notes(record.clinic)]
    resources.append(plan)
    resources += requests
    resources += clinic.provenances(record.clinic, plan["id"], ids.new, ids.ref)
    resources += clinic.review_observations(record.clinic, ids.patient, ids.new, ids.ref)
    resources += clinic.audit_events(record.clinic, ids.patient, ids.new, ids.ref)
    if record.screening is not None:
        resources.append(screening_response(record, ids))
    for number, checkin in enumerate(record.history.checkins, start=1):
        resources += pain_observations(checkin, number, ids)
    for number, session in enumerate(record.history.sessions, start=1):
        resources += session_resources(session, number, record, ids)
    return {
        "resourceType": "Bundle",
        "id": str(ids.new("bundle")),
        "type": "collection",
        "timestamp": now_iso,
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def write_fhir(request: ExportRequest) -> bytes:
    record = gather(request.coach, request.today)
    ids = parts.Ids(uuid.uuid4())
    now_iso = request.now.replace(microsecond=0).isoformat() + "Z"
    document = bundle(record, ids, now_iso)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


WRITER = Writer(
    name="fhir",
    suffix=".fhir.json",
    binary=False,
    summary="a FHIR R4 Bundle for a clinic system (pseudonymous patient)",
    write=write_fhir,
)
