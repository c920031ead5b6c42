"""A clinician's verdict on the engine's latest decision: accept it, or override it.

An override keeps the plan the patient had before the decision
(:func:`glutecoach.core.override.override_decision`, shared with ``simulate``): a new decision
the engine then carries on from. A red flag is never overridden: it is cleared with a
clinician's clearance (``/api/clearance``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from glutecoach.clinic.accounts import Account
from glutecoach.core.models import Decision, DecisionKind
from glutecoach.core.override import OverrideRefused, override_decision
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
    override_kind: DecisionKind | None,
    note: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """Record the verdict on the latest decision (on ``day``); an override acts on the plan."""
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
        if override_kind not in (None, DecisionKind.HOLD):
            raise InputError(
                "override_kind: an override keeps the previous plan (hold); change doses or "
                "equipment through the patient's settings instead"
            )
        if not note.strip():
            raise InputError("note: say why the decision is overridden (it is kept on record)")
        try:
            override = override_decision(coach.history(), coach.catalog, latest.day, note)
        except OverrideRefused as exc:
            raise InputError(
                f"{exc} (the patient records it: POST /api/clearance, or glutecoach resume)"
            ) from None
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
                override_kind=DecisionKind.HOLD.value if verdict == "override" else None,
                note=note,
                at=now,
            )
        )
    return {"day": day.isoformat(), "verdict": verdict, "decision_kind": latest.kind.value}


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
