"""The clinic web app: the home app, bound to the signed-in patient, plus the clinic routes.

Patients use the same pages and API as at home; the coach every home route receives is the
signed-in patient's own (one dependency, :func:`glutecoach.clinic.deps.patient_coach`), so no
route can reach another person's record. Clinicians use ``/api/clinic/...`` only.
PostgreSQL is required: several people and a worker pool share one database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware

from glutecoach.clinic import api, pages, review_pages, uploads
from glutecoach.clinic.deps import ClinicState, patient_coach
from glutecoach.clinic.gate import ClinicGate
from glutecoach.clinic.scope import NotInCare
from glutecoach.errors import InputError
from glutecoach.paths import DATABASE_URL_ENV
from glutecoach.store.db import parse_url
from glutecoach.web.app import create_app
from glutecoach.web.deps import Clock, get_coach

CLINIC_STATIC = Path(__file__).parent / "static"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def require_postgresql(url: str) -> str:
    """``url`` when it names PostgreSQL; SQLite (one person, one computer) is refused."""
    if parse_url(url).get_backend_name() != "postgresql":
        raise InputError(
            "clinic mode needs PostgreSQL (many people and workers share one database); "
            f"SQLite is for one person on one computer. Set {DATABASE_URL_ENV}="
            "postgresql+psycopg://USER@HOST/DBNAME (see docs/clinic.md), or use "
            "`glutecoach serve` for yourself"
        )
    return url


def create_clinic_app(
    store_url: str,
    *,
    clock: Clock = dt.date.today,
    now: Callable[[], dt.datetime] = _utc_now,
    bound_host: str = "127.0.0.1",
    allowed_hosts: Iterable[str] = (),
) -> FastAPI:
    """The clinic app over the PostgreSQL database at ``store_url``."""
    require_postgresql(store_url)
    app = create_app(
        store_url,
        clock=clock,
        auth_token=None,
        person="(nobody)",
        bound_host=bound_host,
        allowed_hosts=allowed_hosts,
        review_upload=uploads.UPLOAD_PATH,  # clips are streamed there (200 MB), the rest 256 kB
    )
    app.state.clinic = ClinicState(now=now)
    # a patient's home pages: links to form review and their reviews, and a sign-out
    app.state.web.nav_extra = pages.PATIENT_NAV
    app.state.web.sign_out = pages.SIGN_OUT
    app.dependency_overrides[get_coach] = patient_coach
    app.include_router(api.router)
    app.include_router(uploads.router)
    app.include_router(pages.router)
    app.include_router(review_pages.router)
    app.mount("/clinic/static", StaticFiles(directory=CLINIC_STATIC), name="clinic-static")

    @app.exception_handler(NotInCare)
    async def not_in_care(request: Request, exc: NotInCare) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    # Innermost: the home app's guard (hosts, cross-site writes, body size) answers first.
    app.user_middleware.append(Middleware(ClinicGate, store=app.state.web.store, now=now))
    return app
