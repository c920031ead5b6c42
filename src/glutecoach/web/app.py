"""The app factory: store, clock, catalog, auth, routes, error pages, static files."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.responses import Response

from glutecoach import __version__
from glutecoach.errors import GlutecoachError
from glutecoach.form_reviews import MAX_CLIP_BYTES, Analyse
from glutecoach.history_cache import freeze_long_lived
from glutecoach.inputs import DEFAULT_PERSON
from glutecoach.paths import database_url
from glutecoach.services import NotScreened
from glutecoach.web import api, desk_page, handout, live, pages, pwa, reviews
from glutecoach.web.assets import Assets, plotly_js
from glutecoach.web.deps import Clock, WebState
from glutecoach.web.guard import MAX_BODY_BYTES, GuardMiddleware
from glutecoach.web.render import CsrfError, precompile_templates, render
from glutecoach.web.security import FailureLimiter, HostPolicy, Signer, check_token
from glutecoach.web.signing_key import load_or_create_key
from glutecoach.web.store_errors import add_store_error_handlers


def create_app(
    store_url: str | None = None,
    *,
    clock: Clock = dt.date.today,
    auth_token: str | None = None,
    person: str = DEFAULT_PERSON,
    timer_speed: float = 1.0,
    bound_host: str = "127.0.0.1",
    allowed_hosts: Iterable[str] = (),
    max_body: int = MAX_BODY_BYTES,
    live_coach: live.LiveFactory | None = None,
    live_problem: str = "",
    signing_key: bytes | None = None,
    review_analyser: Analyse | None = None,
    review_upload: str = reviews.UPLOAD_PATH,
    max_clip: int = MAX_CLIP_BYTES,
) -> FastAPI:
    """A glutecoach web app over the database at ``store_url`` (default: the user's).

    ``clock`` gives "today"; ``auth_token`` turns on login (required off localhost);
    ``timer_speed`` > 1 runs the browser timers faster (demos and browser tests).
    Requests must name this computer, ``bound_host`` or one of ``allowed_hosts`` as their
    Host (DNS rebinding); bodies over ``max_body`` bytes are refused.
    ``live_coach`` makes the camera coach for one set (web/live.py; None: the camera extra is
    not installed, and ``live_problem`` or a default message says what it needs).
    ``signing_key`` signs forms and the sign-in cookie (default: the private key file that
    survives restarts, web/signing_key.py).
    ``review_analyser`` analyses a recorded set and draws its review video on the server's
    review thread (web/reviews.py; None: not installed); ``review_upload`` is where the live
    session sends a recorded set (the clinic's upload in clinic mode), streamed to disk up to
    ``max_clip`` bytes.
    """
    if auth_token is not None:
        auth_token = check_token(auth_token, "access token")
    app = FastAPI(
        title="glutecoach",
        version=__version__,
        description="A local-first coach for gluteal amnesia. It never diagnoses.",
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: keep it offline
        redoc_url=None,
        lifespan=_prepare_before_serving,
    )
    app.state.web = WebState(
        store_url=store_url or database_url(),
        clock=clock,
        person=person,
        signer=Signer(signing_key if signing_key is not None else load_or_create_key()),
        auth_token=auth_token,
        timer_speed=timer_speed,
        limiter=FailureLimiter(),
    )
    app.state.live = live.Live(live_coach, live_problem)
    app.include_router(api.router)
    app.include_router(live.router)
    app.include_router(pages.router)
    app.include_router(handout.router)
    app.include_router(pwa.router)
    app.include_router(desk_page.router)
    reviews.add_reviews(app, review_analyser, review_upload, max_clip)
    _add_assets(app)
    _add_error_handlers(app)
    app.add_middleware(
        GuardMiddleware,
        signer=app.state.web.signer,
        auth_token=auth_token,
        hosts=HostPolicy.create(bound_host, allowed_hosts),
        limiter=app.state.web.limiter,
        max_body=max_body,
        streamed={review_upload: max_clip},
    )
    return app


@asynccontextmanager
async def _prepare_before_serving(app: FastAPI) -> AsyncIterator[None]:
    """Open the store, read the catalog and compile the templates before the first request,
    so the first page does not wait for them (a broken database is still reported on every
    page, as ``WebState.store()`` does). What start-up built lives as long as the process: it is
    then kept out of the cyclic GC's scans (``freeze_long_lived``)."""
    await asyncio.to_thread(app.state.web.prepare)
    await asyncio.to_thread(precompile_templates)
    reviews.resume_reviews(app)
    freeze_long_lived()
    yield


def _add_assets(app: FastAPI) -> None:
    """Static files, gzipped and cached (see :mod:`glutecoach.web.assets`)."""
    assets = Assets()
    app.state.assets = assets
    for url in assets.by_url:
        app.add_api_route(url, assets.respond, methods=["GET", "HEAD"], include_in_schema=False)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", {"message": message, "status": status}, status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotScreened)
    async def not_screened(request: Request, exc: NotScreened) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": "no screening yet: POST /api/screening first"}, status_code=409
            )
        return Response(status_code=303, headers={"location": "/screening"})

    @app.exception_handler(CsrfError)
    async def csrf(request: Request, exc: CsrfError) -> Response:
        return _error(request, 403, str(exc))

    add_store_error_handlers(app, _wants_json)

    @app.exception_handler(GlutecoachError)
    async def user_error(request: Request, exc: GlutecoachError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            errors = [
                {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")}
                for e in exc.errors()
            ]
            return JSONResponse({"detail": errors}, status_code=422)
        return _error(request, 422, _describe(exc))


def _describe(exc: RequestValidationError) -> str:
    lines = []
    for error in exc.errors()[:8]:
        loc = ".".join(str(p) for p in error.get("loc", ()))
        lines.append(f"{loc}: {error.get('msg', 'invalid')}")
    return "; ".join(lines)


__all__ = ["create_app", "plotly_js"]
