"""The clinic's JSON routes: sign-in, invites, the clinician's patients, audit, verdicts.

A patient's own record is served by the home app's routes (``/api/...``) with the coach
bound to the signed-in patient (:func:`glutecoach.clinic.deps.patient_coach`). A clinician
reaches a patient's record only here, through :func:`glutecoach.clinic.deps.coach_for_patient`
(in care or 404; audited).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from glutecoach.clinic import accounts, verdicts
from glutecoach.clinic.accounts import Account
from glutecoach.clinic.attention import attention
from glutecoach.clinic.deps import (
    clinic_now,
    coach_for_patient,
    current_account,
    current_clinician,
)
from glutecoach.clinic.gate import CLINIC_COOKIE
from glutecoach.clinic.scope import audit_log, patients_in_care
from glutecoach.core.models import Decision, OverrideKind
from glutecoach.core.override import OverrideRequest, OverrideTarget
from glutecoach.services import Coach, NotScreened
from glutecoach.web.deps import get_today, web_state

router = APIRouter(prefix="/api/clinic", tags=["clinic"])
ClinicianDep = Annotated[Account, Depends(current_clinician)]
AccountDep = Annotated[Account, Depends(current_account)]
NowDep = Annotated[dt.datetime, Depends(clinic_now)]
TodayDep = Annotated[dt.date, Depends(get_today)]
PersonId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Login(Body):
    email: str = Field(max_length=254)
    password: str = Field(max_length=accounts.MAX_PASSWORD_CHARS)


class AcceptInvite(Body):
    token: str = Field(min_length=1, max_length=200)
    password: str = Field(max_length=accounts.MAX_PASSWORD_CHARS)


class NewPatient(Body):
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)


class Verdict(OverrideTarget):
    """Accept the latest decision, or override it: ``override_kind`` hold (default), regress
    or progress (one step; ``slot`` or every main exercise), dose (``slot`` and any of sets,
    reps, hold_seconds, load_kg), swap (``slot`` to the variant ``exercise_id``), end."""

    day: dt.date
    verdict: Literal["accept", "override"]
    override_kind: OverrideKind = OverrideKind.HOLD
    note: str = Field(default="", max_length=2000)

    def request(self) -> OverrideRequest:
        return OverrideRequest(kind=self.override_kind, note=self.note or "-", **self.target())


class SettingValue(Body):
    value: Any


def _signed_in(response: Response, request: Request, account: Account, now: dt.datetime) -> None:
    with web_state(request).store().transaction() as db:
        cookie = accounts.start_login(db, account, now)
    response.set_cookie(
        CLINIC_COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=accounts.LOGIN_HOURS * 3600,
    )


def _refuse_while_guessing(request: Request) -> str:
    """The client's address; 429 while it has failed too often (per device, like /login)."""
    client = request.client.host if request.client else "unknown"
    wait = web_state(request).limiter.wait_seconds(client)
    if wait > 0:
        raise HTTPException(
            429,
            f"too many failed attempts: wait {math.ceil(wait)} s, then try again",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    return client


@router.post("/login", responses={401: {}, 429: {}})
def login(body: Login, request: Request, response: Response, now: NowDep) -> dict[str, str]:
    client = _refuse_while_guessing(request)
    with web_state(request).store().transaction() as db:
        account = accounts.verify_password(db, body.email, body.password)
    if account is None:
        web_state(request).limiter.failed(client)
        response.status_code = 401
        return {"detail": "that e-mail and password do not match an account"}
    _signed_in(response, request, account, now)
    return {"role": account.role}


@router.post("/logout")
def logout(request: Request, response: Response) -> dict[str, str]:
    cookie = request.cookies.get(CLINIC_COOKIE)
    if cookie:
        with web_state(request).store().transaction() as db:
            accounts.end_login(db, cookie)
    response.delete_cookie(CLINIC_COOKIE)
    return {"detail": "signed out"}


@router.post("/invites/accept", responses={400: {}, 429: {}})
def accept_invite(
    body: AcceptInvite, request: Request, response: Response, now: NowDep
) -> dict[str, str]:
    client = _refuse_while_guessing(request)
    try:
        with web_state(request).store().transaction() as db:
            account = accounts.accept_invite(db, body.token, body.password, now)
    except accounts.InvalidInvite:
        web_state(request).limiter.failed(client)
        raise
    _signed_in(response, request, account, now)
    return {"role": account.role}


@router.get("/me")
def me(account: AccountDep) -> dict[str, Any]:
    return {"email": account.email, "role": account.role}


@router.post("/patients", status_code=201, responses={400: {}})
def invite(
    body: NewPatient, request: Request, clinician: ClinicianDep, now: NowDep
) -> dict[str, Any]:
    """Add a patient to your care; the one-time link (valid 7 days) is shown once."""
    with web_state(request).store().transaction() as db:
        patient, token = accounts.invite_patient(db, clinician.id, body.email, body.name, now)
    # The token travels in the fragment: browsers never send it to a server or a log.
    return {"person_id": patient.person_id, "invite_link": f"/clinic/invite#{token}"}


def _progress(coach: Coach, today: dt.date) -> Any:
    try:
        return coach.progress(today)
    except NotScreened:
        return None


@router.get("/patients")
def dashboard(request: Request, clinician: ClinicianDep, today: TodayDep) -> list[dict[str, Any]]:
    """Your patients, those who need attention first (each listed patient's record is read,
    so each is audited as ``dashboard``)."""
    with web_state(request).store().transaction() as db:
        patients = patients_in_care(db, clinician)
    rows = []
    for listed in patients:
        patient, coach = coach_for_patient(request, listed.person_id, "dashboard")
        summary = _progress(coach, today)
        decisions = coach.decisions() if summary is not None else []
        need = attention(decisions, summary, today)
        rows.append(
            {
                "person_id": patient.person_id,
                "name": patient.name,
                "signed_up": patient.signed_up,
                "rank": need.rank,
                "findings": list(need.findings),
                "adherence": None if summary is None else summary.adherence_share,
                "pain_trend": {} if summary is None else dict(summary.pain_trend),
                "latest": None if not decisions else _decision_view(decisions[-1]),
            }
        )
    rows.sort(key=lambda r: (r["rank"], r["name"]))
    return rows


def _decision_view(decision: Decision) -> dict[str, Any]:
    return {
        "day": decision.day.isoformat(),
        "kind": decision.kind.value,
        "reasons": [
            {"rule": r.rule, "text": r.text, "sources": list(r.sources)} for r in decision.reasons
        ],
        "changes": [c.model_dump(mode="json") for c in decision.changes],
        "override": None
        if decision.override is None
        else decision.override.model_dump(mode="json"),
    }


@router.get("/patients/{person_id}", responses={404: {}})
def record(person_id: PersonId, request: Request, today: TodayDep) -> dict[str, Any]:
    """One patient's record: progress, the engine's decisions with reasons, your verdicts."""
    patient, coach = coach_for_patient(request, person_id, "view record")
    summary = _progress(coach, today)
    decisions = coach.decisions() if summary is not None else []
    return {
        "person_id": patient.person_id,
        "name": patient.name,
        "progress": None if summary is None else summary.model_dump(mode="json"),
        "decisions": [_decision_view(d) for d in decisions],
        "plan": []
        if not decisions
        else [
            {"slot": e.slot, "exercise_id": e.exercise_id} for e in decisions[-1].state.exercises
        ],
        "verdicts": verdicts.list_verdicts(coach.store, person_id),
        "settings": coach.settings(),
    }


@router.post("/patients/{person_id}/verdicts", status_code=201, responses={400: {}, 404: {}})
def post_verdict(
    person_id: PersonId,
    body: Verdict,
    request: Request,
    clinician: ClinicianDep,
    now: NowDep,
    today: TodayDep,
) -> dict[str, Any]:
    """Accept or override the engine's decision of ``day`` with a note (recorded)."""
    _, coach = coach_for_patient(request, person_id, f"{body.verdict} decision")
    return verdicts.record_verdict(
        coach, clinician, body.day, body.verdict, body.request(), body.note, now, today
    )


@router.put("/patients/{person_id}/settings/{name}", responses={400: {}, 404: {}})
def put_setting(
    person_id: PersonId, name: str, body: SettingValue, request: Request
) -> dict[str, Any]:
    """Adjust a patient's equipment or doses (the same settings the patient has at home)."""
    _, coach = coach_for_patient(request, person_id, f"set {name[:40]}")
    coach.set_setting(name, body.value)
    return coach.settings()


@router.get("/audit")
def audit(request: Request, clinician: ClinicianDep) -> list[dict[str, object]]:
    """Your accesses to patients' records, newest first."""
    with web_state(request).store().transaction() as db:
        return audit_log(db, clinician)
