"""A clinician's verdict on the engine's latest decision: accept it, or override it.

An override (hold, regress, progress, dose, swap, or end: back to the engine) is made by
:func:`glutecoach.core.override.make_override`, shared with ``simulate``: a new decision the
engine then respects until it ends (the pain model and red flags still win). A red flag is
never overridden: it is cleared with a clinician's clearance (``/api/clearance``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from glutecoach.clinic.accounts import Account
from glutecoach.core.models import Decision, OverrideKind
from glutecoach.core.override import OverrideRefused, OverrideRequest, make_override
from glutecoach.errors import InputError
from glutecoach.inputs import check_note
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.clinic_tables import ClinicVerdictRow
from glutecoach.store.db import Store


def record_verdict(
    coach: Coach,
    clinician: Account,
    day: dt.date,
    verdict: str,
    request: OverrideRequest | None,
    note: str,
    now: dt.datetime,
    today: dt.date,
) -> dict[str, Any]:
    """Record the verdict on the latest decision (on ``day``); an override acts on the plan
    from ``today`` (the decision it makes carries that day)."""
    note = check_note(note, "note", 2000)
    decisions = coach.decisions()
    if not decisions:
        raise InputError("day: this patient has no decision yet (nothing to accept or override)")
    latest = decisions[-1]
    if latest.day != day:
        raise InputError(
            f"day: the latest decision is of {latest.day}; only the latest can be accepted or "
            "overridden (GET the record for it)"
        )
    override: Decision | None = None
    if verdict == "override":
        if not note.strip():
            raise InputError("note: say why the decision is overridden (it is kept on record)")
        asked = (request or OverrideRequest(note=note)).model_copy(
            update={"note": note, "by": clinician.email}
        )
        try:
            override = make_override(coach.history(), coach.catalog, today, asked)
        except OverrideRefused as exc:
            if "red flag" in str(exc):
                raise InputError(
                    f"{exc} (the patient records it: POST /api/clearance, or glutecoach resume)"
                ) from None
            raise InputError(str(exc)) from None
    with coach.store.transaction() as db:
        person_id = repo.person_id(db, coach.person)
        assert person_id is not None
        if override is not None:
            repo.add_decision(db, person_id, override)
        db.add(
            ClinicVerdictRow(
                person_id=person_id,
                clinician_id=clinician.id,
                day=day,
                decision_kind=latest.kind.value,
                verdict=verdict,
                override_kind=override.override.kind.value
                if override is not None and override.override is not None
                else (OverrideKind.END.value if override is not None else None),
                note=note,
                at=now,
            )
        )
    answer: dict[str, Any] = {
        "day": day.isoformat(),
        "verdict": verdict,
        "decision_kind": latest.kind.value,
    }
    if override is not None:
        answer["override"] = {
            "kind": override.kind.value,
            "reasons": [r.text for r in override.reasons],
            "changes": [c.model_dump(mode="json") for c in override.changes],
        }
    return answer


def list_verdicts(store: Store, person_id: int) -> list[dict[str, Any]]:
    with store.transaction() as db:
        rows = db.scalars(
            select(ClinicVerdictRow)
            .where(ClinicVerdictRow.person_id == person_id)
            .order_by(ClinicVerdictRow.id)
        ).all()
        return [
            {
                "day": r.day.isoformat(),
                "decision_kind": r.decision_kind,
                "verdict": r.verdict,
                "note": r.note,
                "at": r.at.isoformat(),
            }
            for r in rows
        ]
