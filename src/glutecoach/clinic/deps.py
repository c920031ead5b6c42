"""What clinic routes receive: the signed-in account, the clock, and a patient's coach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request

from glutecoach.clinic.accounts import Account
from glutecoach.clinic.scope import Patient, own_person, patient_in_care
from glutecoach.services import Coach
from glutecoach.web.deps import web_state


@dataclass
class ClinicState:
    now: Callable[[], dt.datetime]


def clinic_now(request: Request) -> dt.datetime:
    state: ClinicState = request.app.state.clinic
    return state.now()


def current_account(request: Request) -> Account:
    account: Account | None = request.state.clinic_account
    if account is None:
        raise HTTPException(401, "sign in first (POST /api/clinic/login)")
    return account


def current_clinician(request: Request) -> Account:
    account = current_account(request)
    if not account.is_clinician:
        raise HTTPException(403, "only a clinician can do this")
    return account


def patient_coach(request: Request) -> Coach:
    """The home app's coach, for the signed-in patient's own record (and nobody else's)."""
    account = current_account(request)
    if account.is_clinician:
        raise HTTPException(403, "clinicians open a patient's record from the clinic dashboard")
    state = web_state(request)
    store = state.store()
    with store.transaction() as db:
        name = own_person(db, account)
    return Coach(store, state.catalog(), name, cache=state.history_cache)


def coach_for_patient(request: Request, person_id: int, action: str) -> tuple[Patient, Coach]:
    """A clinician's view of one patient in their care (audited), as that patient's coach."""
    clinician = current_clinician(request)
    state = web_state(request)
    store = state.store()
    with store.transaction() as db:
        patient = patient_in_care(db, clinician, person_id, action, clinic_now(request))
    return patient, Coach(store, state.catalog(), patient.name)
