"""Rendering pages: the Jinja environment, the CSRF cookie, and shared page context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.responses import Response

from glutecoach.errors import InputError
from glutecoach.presentation import (
    FELT_LABELS,
    REGION_LABELS,
    loads_in_units,
    show_load,
    show_number,
)
from glutecoach.web.deps import web_state
from glutecoach.web.figures import stick_figure
from glutecoach.web.security import CSRF_COOKIE, CSRF_FIELD
from glutecoach.web.views import step_title

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["in_units"] = loads_in_units  # a coach text's loads in the person's units
templates.env.globals.update(
    stick_figure=stick_figure,
    show_load=show_load,
    show_number=show_number,
    step_title=step_title,
    REGION_LABELS=REGION_LABELS,
    FELT_LABELS=FELT_LABELS,
    DECISION_WORDS={
        "advance": "progressed",
        "hold": "held steady",
        "regress": "eased off",
        "stop_and_refer": "stopped: see a clinician",
    },
    CSRF_FIELD=CSRF_FIELD,
)


def precompile_templates() -> None:
    """Compile every page template now (Jinja keeps them), not on its first request."""
    for name in templates.env.list_templates(extensions=["html"]):
        templates.env.get_template(name)


NAV = (
    ("/", "Home"),
    ("/today", "Today"),
    ("/checkin", "Check-in"),
    ("/progress", "Progress"),
    ("/plan", "Plan"),
    ("/desk", "Breaks"),
    ("/catalog", "Exercises"),
    ("/settings", "Settings"),
)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """A page with the CSRF token for its forms; sets the CSRF cookie on first visit."""
    state = web_state(request)
    nonce = request.cookies.get(CSRF_COOKIE)
    fresh = not nonce
    if not nonce:
        nonce = state.signer.new_csrf_nonce()
    ctx = {
        "nav": (*NAV, *state.nav_extra),
        "sign_out": state.sign_out,
        "path": request.url.path,
        "csrf_token": state.signer.csrf_token(nonce),
        "timer_speed": state.timer_speed,
        "asset": request.app.state.assets.url,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    if fresh:
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict")
    return response


async def posted_form(request: Request) -> FormData:
    """A page's posted form, read before the handler runs: the handlers are then plain
    functions, run off the event loop (their database work and decisions never stall it:
    the live camera's socket shares it)."""
    return await request.form()


async def check_csrf(request: Request) -> None:
    """Dependency for HTML form posts: the signed token must match the cookie."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    if not web_state(request).signer.csrf_ok(cookie, token if isinstance(token, str) else None):
        raise CsrfError()


class CsrfError(InputError):
    def __init__(self) -> None:
        super().__init__(
            "this form has expired or came from another site: reload the page and try again"
        )
