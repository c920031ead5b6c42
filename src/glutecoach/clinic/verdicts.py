"""A clinician's verdict on the engine's latest decision: accept it, or override it.

An override keeps the plan the patient had before the decision: it is recorded as a new
decision (kind ``hold``, the rule ``clinician_override`` with the clinician's note as its
reason) whose program state is the one before the overridden decision. The engine reads the
latest decision's state as its starting point, so it carries on from the clinician's choice;
the core is untouched (the override is an input value, a decision in the history). A red flag
is never overridden: it is cleared with a clinician's clearance (``/api/clearance``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from glutecoach.clinic.accounts import Account
from glutecoach.core.models import Decision, DecisionKind, Reason
from glutecoach.core.program import phase1_state
from glutecoach.errors import InputError
from glutecoach.inputs import check_note
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.clinic_tables import ClinicVerdictRow
from glutecoach.store.db import Store

OVERRIDE_RULE = "clinician_override"


def _restored(coach: Coach, decisions: list[Decision], overridden: Decision, note: str) -> Decision:
    if len(decisions) >= 2:
        state = decisions[-2].state
    else:
        history = coach.history()
        state = phase1_state(history.screening, coach.catalog, history.screened_on)
    text = f"A clinician kept the previous plan instead of '{overridden.kind.value}'"
    return Decision(
        day=overridden.day,
        kind=DecisionKind.HOLD,
        reasons=(Reason(rule=OVERRIDE_RULE, text=f"{text}: {note}" if note else text),),
        state=state,
    )


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
    if verdict == "override":
        if override_kind not in (None, DecisionKind.HOLD):
            raise InputError(
                "override_kind: an override keeps the previous plan (hold); change doses or "
                "equipment through the patient's settings instead"
            )
        if latest.kind == DecisionKind.STOP_AND_REFER:
            raise InputError(
                "a red flag is not overridden: record the patient's clearance after "
                "examining them (POST /api/clearance as the patient, or glutecoach resume)"
            )
        if not note.strip():
            raise InputError("note: say why the decision is overridden (it is kept on record)")
    with coach.store.transaction() as db:
        person_id = repo.person_id(db, coach.person)
        assert person_id is not None
        if verdict == "override":
            repo.add_decision(db, person_id, _restored(coach, decisions, latest, note))
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
