"""The sitting-break coach seen from the web app: is it running, how long you have been seated,
when the next reminder comes, today's sitting and breaks; pause it for an hour or until
tomorrow, or resume.

The desk coach is a separate process; its public control surface is
:mod:`glutecoach.desk.control` (a status file it writes and a pause file it reads on every
wake-up, both in the data folder), so nothing here talks to X11 or D-Bus.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from glutecoach.desk import control
from glutecoach.errors import InputError
from glutecoach.services import Coach
from glutecoach.web.deps import get_coach, get_today
from glutecoach.web.render import check_csrf, render
from glutecoach.web.snapshot import desk_metrics

router = APIRouter(include_in_schema=False)
CoachDep = Annotated[Coach, Depends(get_coach)]
TodayDep = Annotated[dt.date, Depends(get_today)]
PAUSES = {"hour": "for an hour", "tomorrow": "until tomorrow morning"}


def _minutes(seconds: Any) -> str | None:
    if not isinstance(seconds, int | float):
        return None
    return f"{round(seconds / 60)} min"


def desk_view(coach: Coach, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    """What the page shows: the coach's last status, the pause, and today's sitting."""
    status = control.coach_status()
    running = bool(status.get("running") and status.get("alive"))
    paused = status.get("paused_until")
    metrics = desk_metrics(coach, today) or []
    today_metrics = next((m for m in metrics if m.start == today and m.days == 1), None)
    return {
        "running": running,
        "status": status,
        "seated": _minutes(status.get("bout_seconds")) if running else None,
        "next_reminder": _minutes(status.get("next_reminder_in_s")) if running else None,
        "paused_until": dt.datetime.fromisoformat(paused).astimezone() if paused else None,
        "today": today_metrics,
        "now": now,
    }


@router.get("/desk")
def desk_page(request: Request, coach: CoachDep, today: TodayDep) -> Response:
    view = desk_view(coach, today, dt.datetime.now().astimezone())
    return render(request, "desk.html", {"view": view, "pauses": PAUSES})


@router.post("/desk/pause", dependencies=[Depends(check_csrf)])
async def desk_pause(request: Request) -> Response:
    how = str((await request.form()).get("how", ""))
    now = dt.datetime.now().astimezone()
    if how == "hour":
        until = now + dt.timedelta(hours=1)
    elif how == "tomorrow":
        until = control.tomorrow_morning(now)
    else:
        raise InputError(f"how: expected one of {', '.join(PAUSES)} (got {how!r})")
    control.pause(until)
    return RedirectResponse("/desk", status_code=303)


@router.post("/desk/resume", dependencies=[Depends(check_csrf)])
def desk_resume() -> Response:
    control.resume()
    return RedirectResponse("/desk", status_code=303)
