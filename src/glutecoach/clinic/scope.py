"""The one place a clinic request is tied to a person's record.

* A patient reaches only the record of their own account (:func:`own_person`).
* A clinician reaches a patient's record only when that patient is in their care, and every
  such access writes an audit row in the same transaction (:func:`patient_in_care`): no
  audit row, no access. Anything else is answered as if the record did not exist (404), so
  ids of other clinics' patients cannot be probed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.clinic.accounts import Account
from glutecoach.errors import InputError
from glutecoach.store.clinic_tables import PATIENT, ClinicAccountRow, ClinicAuditRow
from glutecoach.store.tables import PersonRow


class NotInCare(InputError):
    """The record is not this account's to see (told as "no such patient")."""

    def __init__(self, person_id: int) -> None:
        super().__init__(f"no patient {person_id} in your care")


@dataclass(frozen=True)
class Patient:
    person_id: int
    name: str
    email: str
    signed_up: bool


def own_person(db: Session, account: Account) -> str:
    """The name of the person record a patient account owns (patients only)."""
    if account.role != PATIENT or account.person_id is None:
        raise NotInCare(account.person_id or 0)
    name = db.scalar(select(PersonRow.name).where(PersonRow.id == account.person_id))
    if name is None:
        raise NotInCare(account.person_id)
    return name


def patient_in_care(
    db: Session, clinician: Account, person_id: int, action: str, now: dt.datetime
) -> Patient:
    """The patient ``person_id`` if in ``clinician``'s care; the access is audited."""
    row = db.execute(
        select(ClinicAccountRow, PersonRow.name)
        .join(PersonRow, PersonRow.id == ClinicAccountRow.person_id)
        .where(
            ClinicAccountRow.person_id == person_id,
            ClinicAccountRow.role == PATIENT,
            ClinicAccountRow.clinician_id == clinician.id,
        )
    ).first()
    if row is None or not clinician.is_clinician:
        raise NotInCare(person_id)
    account, name = row
    db.add(ClinicAuditRow(at=now, clinician_id=clinician.id, person_id=person_id, action=action))
    db.flush()  # the audit row is written before any of the record is read
    return Patient(person_id, name, account.email, account.password_hash is not None)


def patients_in_care(db: Session, clinician: Account) -> list[Patient]:
    """The clinician's patients (names and e-mails only: no record is read, nothing audited)."""
    rows = db.execute(
        select(ClinicAccountRow, PersonRow.name)
        .join(PersonRow, PersonRow.id == ClinicAccountRow.person_id)
        .where(ClinicAccountRow.role == PATIENT, ClinicAccountRow.clinician_id == clinician.id)
        .order_by(ClinicAccountRow.id)
    ).all()
    return [
        Patient(acc.person_id or 0, name, acc.email, acc.password_hash is not None)
        for acc, name in rows
    ]


def audit_log(db: Session, clinician: Account, limit: int = 200) -> list[dict[str, object]]:
    rows = db.scalars(
        select(ClinicAuditRow)
        .where(ClinicAuditRow.clinician_id == clinician.id)
        .order_by(ClinicAuditRow.id.desc())
        .limit(limit)
    ).all()
    return [{"at": r.at.isoformat(), "person_id": r.person_id, "action": r.action} for r in rows]
