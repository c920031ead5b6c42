"""A patient's clinic rows in and out of the JSON export (see glutecoach.backup_services), and
read for the hand-off formats (through glutecoach.clinic_services).

- ``notes``: each clinician's verdict on a decision (accept or override) with the note;
- ``reviews``: each form review's result (reps, holds, faults, the form summary): never the
  clip, its path or any video;
- ``views``: the audit of which clinician opened the record, what for and when.

Overrides themselves are decisions (``Decision.override``) and travel with the decisions.
On import, reviews always come back (a review that had not finished comes back ``failed``:
its clip was not exported); notes and views come back where the clinician has an account in
the target database (the same clinic), and are otherwise left out: they are the clinic's
record about the person, tied to the clinician's account.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.errors import InputError
from glutecoach.store.clinic_tables import (
    CLINICIAN,
    ClinicAccountRow,
    ClinicAuditRow,
    ClinicReviewRow,
    ClinicVerdictRow,
)
from glutecoach.store.rowcheck import check_row

FINISHED = frozenset({"done", "failed"})
NOT_EXPORTED_FROM_RESULTS = ("clip", "path", "video", "file")
NOTE_FIELDS = ("day", "verdict", "decision_kind", "override_kind", "note", "at")
REVIEW_FIELDS = ("exercise_id", "status", "progress", "result", "error", "created_at")
KEYS = ("notes", "reviews", "views")


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _result(result: dict[str, Any] | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        k: v
        for k, v in result.items()
        if not any(w in k.lower() for w in NOT_EXPORTED_FROM_RESULTS)
    }


def clinic_rows(db: Session, pid: int) -> dict[str, list[dict[str, Any]]]:
    """The person's clinic rows, oldest first, as JSON-ready dicts (clinicians by e-mail)."""
    emails = {
        row.id: row.email for row in db.execute(select(ClinicAccountRow.id, ClinicAccountRow.email))
    }
    verdicts = db.scalars(
        select(ClinicVerdictRow)
        .where(ClinicVerdictRow.person_id == pid)
        .order_by(ClinicVerdictRow.id)
    )
    reviews = db.scalars(
        select(ClinicReviewRow).where(ClinicReviewRow.person_id == pid).order_by(ClinicReviewRow.id)
    )
    views = db.scalars(
        select(ClinicAuditRow).where(ClinicAuditRow.person_id == pid).order_by(ClinicAuditRow.id)
    )
    return {
        "notes": [
            {
                **{f: _json(getattr(r, f)) for f in NOTE_FIELDS},
                "clinician": emails.get(r.clinician_id, ""),
            }
            for r in verdicts
        ],
        "reviews": [
            {
                **{f: _json(getattr(r, f)) for f in REVIEW_FIELDS},
                "result": _result(r.result),
                "finished_at": _json(r.finished_at),
            }
            for r in reviews
        ],
        "views": [
            {"at": _json(r.at), "clinician": emails.get(r.clinician_id, ""), "action": r.action}
            for r in views
        ],
    }


def export_rows(db: Session, pid: int) -> dict[str, Any]:
    """The person's clinic rows; empty (left out of the export) when there are none."""
    rows = clinic_rows(db, pid)
    return rows if any(rows.values()) else {}


def import_rows(db: Session, pid: int, data: dict[str, Any]) -> None:
    """Recreate the rows written by :func:`export_rows` (see the module's note on clinicians)."""
    unknown = set(data) - set(KEYS)
    if unknown:
        raise InputError(f"clinic: unknown part(s) {', '.join(sorted(unknown))}")
    for key in KEYS:
        if not isinstance(data.get(key, []), list):
            raise InputError(f"clinic.{key}: expected a list of rows")
    found = db.execute(
        select(ClinicAccountRow.email, ClinicAccountRow.id).where(
            ClinicAccountRow.role == CLINICIAN
        )
    )
    clinicians = {row.email: row.id for row in found}
    for index, row in enumerate(data.get("reviews", [])):
        values = check_row(
            ClinicReviewRow,
            {**_dict(row, f"clinic.reviews[{index}]"), "clip_path": ""},
            f"clinic.reviews[{index}]",
            _SKIP,
        )
        if values["status"] not in FINISHED:
            values.update(status="failed", error="imported without its clip: upload it again")
        db.add(ClinicReviewRow(person_id=pid, **values))
    for table, key in ((ClinicVerdictRow, "notes"), (ClinicAuditRow, "views")):
        for index, row in enumerate(data.get(key, [])):
            where = f"clinic.{key}[{index}]"
            fields = _dict(row, where)
            clinician = clinicians.get(str(fields.pop("clinician", "")).strip().lower())
            values = check_row(table, fields, where, _SKIP | {"clinician_id"})
            if clinician is not None:
                db.add(table(person_id=pid, clinician_id=clinician, **values))
    db.flush()


_SKIP = frozenset({"id", "person_id", "worker", "attempts"})


def _dict(row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected an object with fields, got {type(row).__name__}")
    return dict(row)
