"""HTML pages. Each route: read the form, call the coach, render. No rules here."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.responses import Response

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import CheckIn, Decision, DecisionKind, ScreeningOutcome
from glutecoach.errors import InputError
from glutecoach.presentation import OUTCOME_TITLES
from glutecoach.services import Coach
from glutecoach.settings import SETTINGS
from glutecoach.web import forms, snapshot, summary
from glutecoach.web.deps import get_catalog, get_coach, get_today, web_state
from glutecoach.web.render import check_csrf, posted_form, render
from glutecoach.web.views import decision_view

router = APIRouter(include_in_schema=False)
CoachDep = Annotated[Coach, Depends(get_coach)]
TodayDep = Annotated[dt.date, Depends(get_today)]
PostedForm = Annotated[FormData, Depends(posted_form)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
Csrf = Depends(check_csrf)
LOGIN_FAILURE_DELAY_S = 0.5
MAX_PLANNED_SETS = 200
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(request: Request, coach: CoachDep, today: TodayDep) -> Response:
    if not coach.screened():
        return _see_other("/screening")
    snap = snapshot.dashboard(coach, today)
    return _then_read_history(coach, render(request, "home.html", {"snap": snap, "today": today}))


@router.get("/screening")
def screening_form(request: Request, coach: CoachDep) -> Response:
    return render(
        request,
        "screening.html",
        {"flags": coach.catalog.rules.red_flags.flags, "again": coach.latest_screening()},
    )


@router.post("/screening", dependencies=[Csrf])
def screening_submit(
    request: Request, coach: CoachDep, today: TodayDep, form: PostedForm
) -> Response:
    try:
        answers = forms.screening(form, coach.catalog)
    except forms.FieldErrors as exc:  # the form again, each problem next to its field
        context: dict[str, Any] = {
            "flags": coach.catalog.rules.red_flags.flags,
            "again": coach.latest_screening(),
            "errors": exc.fields,
            "values": {k: str(v) for k, v in form.multi_items()},
            "equipment": [str(v) for v in form.getlist("equipment")],
        }
        return render(request, "screening.html", context, 400)
    result = coach.screen(answers, today)
    context = {
        "result": result,
        "title": OUTCOME_TITLES[result.outcome],
        "start": result.outcome is ScreeningOutcome.START,
    }
    return render(request, "screening_result.html", context)


@router.get("/plan")
def plan_page(request: Request, coach: CoachDep, today: TodayDep) -> Response:
    plan = coach.plan(today)
    page = render(
        request, "plan.html", {"plan": plan, "today": today, "units": snapshot.units(coach)}
    )
    return _then_read_history(coach, page)


def _decision_page(request: Request, coach: Coach, decision: Decision) -> Response:
    view = decision_view(decision, snapshot.units(coach))
    return render(request, "decision.html", {"decision": view})


def _then_read_history(coach: Coach, page: Response) -> Response:
    """Once the page is sent, the whole history is read in the background (the dashboard and
    the plan are worked out without it; the session and progress pages need it)."""
    page.background = BackgroundTask(coach.read_history_later)
    return page


@router.get("/today")
def today_page(request: Request, coach: CoachDep, today: TodayDep) -> Response:
    if not coach.screened():
        return _see_other("/screening")
    view = snapshot.today(coach, today)
    stopped = request.query_params.get("stopped") == "1"
    return render(request, "today.html", {"view": view, "today": today, "pain_stop": stopped})


@router.post("/today/start", dependencies=[Csrf])
def today_start(coach: CoachDep, today: TodayDep) -> Response:
    snapshot.start_session(coach, today)
    return _see_other("/today#guide")


@router.post("/today/safety", dependencies=[Csrf])
def today_safety(request: Request, coach: CoachDep, today: TodayDep, form: PostedForm) -> Response:
    """The weekly red-flag questions before training; a yes stops the program."""
    flags = forms.red_flags(form, coach.catalog)
    decision = coach.checkin(CheckIn(day=today, red_flags=flags), today)
    if decision.kind is DecisionKind.STOP_AND_REFER:
        return _decision_page(request, coach, decision)
    return _see_other("/today")


@router.post("/today/set", dependencies=[Csrf])
def today_set(request: Request, coach: CoachDep, today: TodayDep, form: PostedForm) -> Response:
    """Log one guided set as a plain form post (the page without JavaScript)."""
    session_id = snapshot.open_session_id(coach, str(form.get("session_id", "")))
    log = forms.set_log(form, snapshot.units(coach))
    stopped = snapshot.log_guided_set(coach, session_id, log)
    return _see_other("/today?stopped=1#pain-stop" if stopped else "/today#guide")


@router.post("/today/finish", dependencies=[Csrf])
def today_finish(request: Request, coach: CoachDep, today: TodayDep, form: PostedForm) -> Response:
    """Finish (after confirming when sets are left), then show the summary at its own address,
    so reloading it shows the summary again instead of finishing twice."""
    raw_id = str(form.get("session_id", ""))
    finished = snapshot.finished_session_id(coach, raw_id)
    if finished is not None:
        return _see_other(f"/summary/{finished}")
    session_id = snapshot.open_session_id(coach, raw_id)
    done, planned = snapshot.sets_progress(coach, today, session_id)
    if done < planned and form.get("early") != "yes":
        context = {"session_id": session_id, "done": done, "planned": planned}
        return render(request, "finish_early.html", context)
    coach.finish_session(session_id, today)
    return _see_other(f"/summary/{session_id}?planned={planned}")


@router.get("/summary/{session_id}")
def summary_page(
    request: Request, session_id: int, coach: CoachDep, today: TodayDep, planned: int = 0
) -> Response:
    """The plain-words summary of a finished session; the engine's reasons one tap away."""
    planned_sets = planned if 0 < planned <= MAX_PLANNED_SETS else None
    view = summary.session_summary(coach, session_id, today, planned_sets)
    return render(request, "summary.html", {"view": view})


@router.get("/safety")
def safety_form(request: Request, coach: CoachDep) -> Response:
    """The red-flag questions only: answering them never changes the screening."""
    if not coach.screened():
        return _see_other("/screening")
    return render(request, "safety.html", {"flags": coach.catalog.rules.red_flags.flags})


@router.post("/safety", dependencies=[Csrf])
def safety_submit(request: Request, coach: CoachDep, today: TodayDep, form: PostedForm) -> Response:
    flags = forms.red_flags(form, coach.catalog)
    decision = coach.checkin(CheckIn(day=today, red_flags=flags), today)
    return _decision_page(request, coach, decision)


@router.get("/checkin")
def checkin_form(request: Request, coach: CoachDep, today: TodayDep) -> Response:
    if not coach.screened():
        return _see_other("/screening")
    why = coach.red_flags_why(today)
    flags = coach.catalog.rules.red_flags.flags if why else None
    return render(request, "checkin.html", {"values": {}, "flags": flags, "why": why})


@router.post("/checkin", dependencies=[Csrf])
def checkin_submit(
    request: Request, coach: CoachDep, today: TodayDep, form: PostedForm
) -> Response:
    rechecked = form.get("recheck") == "1"
    flags = forms.red_flags(form, coach.catalog) if rechecked else {}
    entry = forms.checkin(form, today, flags)
    if not rechecked and coach.pain_spiked(dict(entry.pain)):
        values = {k: str(v) for k, v in form.items()}
        why = "your pain is up since last time, so a few safety questions again"
        context = {"values": values, "flags": coach.catalog.rules.red_flags.flags, "why": why}
        return render(request, "checkin.html", context)
    decision = coach.checkin(entry, today)
    return _decision_page(request, coach, decision)


@router.post("/resume", dependencies=[Csrf])
def resume(request: Request, coach: CoachDep, today: TodayDep, form: PostedForm) -> Response:
    if form.get("cleared") != "yes":
        raise InputError("cleared: tick the box to confirm a clinician has cleared you")
    note = str(form.get("note", ""))[:500]
    if "\x00" in note:
        raise InputError("note: must not contain NUL characters")
    decision = coach.clear(today, note)
    return _decision_page(request, coach, decision)


@router.get("/progress")
def progress_page(request: Request, coach: CoachDep, today: TodayDep) -> Response:
    if not coach.screened():
        return _see_other("/screening")
    view = snapshot.progress(coach, today)
    return render(request, "progress.html", {"view": view, "today": today})


@router.get("/catalog")
def catalog_page(request: Request, catalog: CatalogDep) -> Response:
    exercises = sorted(catalog.exercises.values(), key=lambda e: (e.phase, e.id))
    return render(request, "catalog.html", {"exercises": exercises, "catalog": catalog})


@router.get("/catalog/{exercise_id}")
def exercise_page(request: Request, exercise_id: str, catalog: CatalogDep) -> Response:
    exercise = catalog.exercises.get(exercise_id)
    if exercise is None:
        return render(
            request, "error.html", {"message": f"No exercise called {exercise_id!r}."}, 404
        )
    return render(request, "exercise.html", {"e": exercise, "catalog": catalog})


@router.get("/settings")
def settings_page(request: Request, coach: CoachDep) -> Response:
    context = {"values": coach.settings(), "settings": SETTINGS, "weekdays": WEEKDAYS}
    return render(request, "settings.html", context)


@router.post("/settings", dependencies=[Csrf])
def settings_submit(request: Request, coach: CoachDep, form: PostedForm) -> Response:
    values = forms.settings(form)
    for name, value in values.items():
        coach.set_setting(name, value)
    context = {"values": coach.settings(), "settings": SETTINGS, "weekdays": WEEKDAYS}
    return render(request, "settings.html", {**context, "saved": True})


@router.get("/login")
def login_form(request: Request) -> Response:
    return render(request, "login.html", {"error": None})


@router.post("/login", dependencies=[Csrf])
async def login_submit(request: Request) -> Response:
    from glutecoach.web.security import AUTH_COOKIE, client_key, token_matches

    state = web_state(request)
    given = str((await request.form()).get("token", ""))
    if state.auth_token is None:
        return _see_other("/")
    client = client_key(request.client.host if request.client else None)
    wait = state.limiter.wait_seconds(client)
    if wait > 0:  # per device, so guessing in parallel is no faster
        error = f"Too many wrong access tokens: wait {math.ceil(wait)} s, then try again."
        response = render(request, "login.html", {"error": error}, 429)
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    if not token_matches(state.auth_token, given):
        state.limiter.failed(client)
        await asyncio.sleep(LOGIN_FAILURE_DELAY_S)
        return render(request, "login.html", {"error": "That access token is not right."}, 401)
    response = _see_other("/")
    response.set_cookie(
        AUTH_COOKIE, state.signer.auth_cookie(state.auth_token), httponly=True, samesite="strict"
    )
    return response
