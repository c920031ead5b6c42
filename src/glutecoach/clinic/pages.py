"""The clinic's pages: sign in, accept an invite, the clinician's dashboard and a patient's
record (decisions with reasons, accept/override, settings, handout). The forms post JSON to
``/api/clinic/...`` from ``/clinic/static/clinic.js`` (no inline script: the CSP forbids it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from glutecoach.clinic import accounts, api
from glutecoach.clinic.accounts import Account
from glutecoach.clinic.deps import coach_for_patient, current_clinician
from glutecoach.clinic.gate import CLINIC_COOKIE
from glutecoach.export.handout import handout_pdf
from glutecoach.export.record import gather
from glutecoach.web.deps import get_today, web_state
from glutecoach.web.render import NAV as HOME_NAV

HERE = Path(__file__).parent
WEB_TEMPLATES = HERE.parent / "web" / "templates"
templates = Jinja2Templates(directory=[HERE / "templates", WEB_TEMPLATES])
router = APIRouter(include_in_schema=False)
NAV = (("/clinic", "Patients"), ("/clinic/reviews", "Form reviews"), ("/clinic/audit", "Audit"))
PATIENT_NAV = (("/clinic/upload", "Send a clip"), ("/clinic/upload#clips", "My reviews"))
SIGN_OUT = "/clinic/logout"
TodayDep = Annotated[dt.date, Depends(get_today)]
ClinicianDep = Annotated[Account, Depends(current_clinician)]


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    ctx = {
        "nav": NAV,
        "sign_out": SIGN_OUT,
        "path": request.url.path,
        "csrf_token": "",
        "timer_speed": 1.0,
        "asset": request.app.state.assets.url,
        **context,
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/clinic/login")
def login_page(request: Request) -> Response:
    return page(request, "clinic_login.html", {"nav": (), "sign_out": ""})


@router.get("/clinic/invite")
def invite_page(request: Request) -> Response:
    return page(request, "clinic_invite.html", {"nav": (), "sign_out": ""})


@router.get("/clinic")
def dashboard_page(request: Request, clinician: ClinicianDep, today: TodayDep) -> Response:
    rows = api.dashboard(request, clinician, today)
    return page(request, "clinic_dashboard.html", {"rows": rows, "today": today})


@router.get("/clinic/patients/{person_id}")
def record_page(person_id: int, request: Request, today: TodayDep) -> Response:
    record = api.record(person_id, request, today)
    return page(request, "clinic_record.html", {"record": record})


@router.get("/clinic/patients/{person_id}/handout.pdf")
def handout(
    person_id: int, request: Request, today: TodayDep, paper: Literal["a4", "letter"] = "a4"
) -> Response:
    """The patient's handout to print (audited as ``handout``)."""
    _, coach = coach_for_patient(request, person_id, "handout")
    return Response(
        handout_pdf(gather(coach, today), paper),
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="glutecoach-handout.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/clinic/reviews")
def reviews_page(request: Request, clinician: ClinicianDep) -> Response:
    from glutecoach.clinic.uploads import list_reviews

    return page(request, "clinic_reviews.html", {"reviews": list_reviews(request, clinician)})


@router.get("/clinic/audit")
def audit_page(request: Request, clinician: ClinicianDep) -> Response:
    return page(request, "clinic_audit.html", {"rows": api.audit(request, clinician)})


@router.get("/clinic/upload")
def upload_page(request: Request) -> Response:
    """A patient's form reviews: send a clip of a set, see the results as they come."""
    from glutecoach.clinic.deps import current_account
    from glutecoach.clinic.uploads import list_reviews
    from glutecoach.web.deps import web_state

    account = current_account(request)
    if account.is_clinician:
        return page(request, "error.html", {"message": "patients send clips", "status": 403}, 403)
    exercises = sorted(web_state(request).catalog().exercises)
    context = {
        "nav": (*HOME_NAV, *PATIENT_NAV),
        "reviews": list_reviews(request, account),
        "exercises": exercises,
    }
    return page(request, "clinic_upload.html", context)


@router.post("/clinic/logout")
def sign_out(request: Request) -> Response:
    """The header's "Sign out" button (patients and clinicians): ends this sign-in and goes
    back to the sign-in page. A form post, so it works without script; the guard refuses it
    from another site, and signing out is all it can do."""
    cookie = request.cookies.get(CLINIC_COOKIE)
    if cookie:
        with web_state(request).store().transaction() as db:
            accounts.end_login(db, cookie)
    response = Response(status_code=303, headers={"location": "/clinic/login"})
    response.delete_cookie(CLINIC_COOKIE)
    return response
