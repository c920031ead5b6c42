"""The web's answers when the database is busy, unreachable or unusable: 503, never a 500.

``StoreBusy`` (another program held the write lock too long) and a raw "database is locked"
from the driver mean nothing was saved and a retry will likely work: ``503`` with
``Retry-After``. ``StoreUnreachable`` (server down, folder not writable) is ``503`` too, with a
longer ``Retry-After``. Any other ``StoreError`` (corrupt or newer database) is ``503`` with
what to do. Messages never include SQL or its parameters (they can hold health data).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.responses import Response

from glutecoach.errors import StoreBusy, StoreError, StoreUnreachable
from glutecoach.web.render import render

BUSY_RETRY_AFTER_S = 2
UNREACHABLE_RETRY_AFTER_S = 30
BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001"})  # lock timeout, deadlock, serialization
BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")
SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
SQLITE_UNREACHABLE = (
    "SQLITE_READONLY",
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_FULL",
    "SQLITE_PERM",
)
# connection exception, operator intervention (shutdown), insufficient resources (disk full)
UNREACHABLE_SQLSTATE_CLASSES = ("08", "57", "53")


def classify(exc: DBAPIError) -> StoreError:
    """The truthful store error for a driver error: busy, unreachable, or unusable."""
    original = exc.orig
    lines = str(original).strip().splitlines()
    text = lines[0] if lines else type(original).__name__
    sqlstate: str | None = getattr(original, "sqlstate", None)
    sqlite_name: str = getattr(original, "sqlite_errorname", "") or ""
    if (
        sqlstate in BUSY_SQLSTATES
        or sqlite_name.startswith(SQLITE_BUSY)
        or any(word in text.lower() for word in BUSY_WORDS)
    ):
        return StoreBusy(
            "the database is busy (another glutecoach program is writing): nothing was "
            "saved, try again in a few seconds"
        )
    if (
        exc.connection_invalidated
        or sqlite_name.startswith(SQLITE_UNREACHABLE)
        or (sqlstate or "").startswith(UNREACHABLE_SQLSTATE_CLASSES)
        or (sqlstate is None and not sqlite_name)  # a connection that never opened
    ):
        return StoreUnreachable(
            f"the database cannot be reached or written ({text}): nothing was saved. Check "
            "that the database server is running and the data folder is writable, then try again"
        )
    return StoreError(f"the database cannot be used right now ({text}): nothing was saved")


def retry_after(exc: StoreError) -> int | None:
    if isinstance(exc, StoreBusy):
        return BUSY_RETRY_AFTER_S
    if isinstance(exc, StoreUnreachable):
        return UNREACHABLE_RETRY_AFTER_S
    return None


def add_store_error_handlers(app: FastAPI, wants_json: Callable[[Request], bool]) -> None:
    def answer(request: Request, exc: StoreError) -> Response:
        seconds = retry_after(exc)
        headers = {"Retry-After": str(seconds)} if seconds is not None else {}
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=503, headers=headers)
        context = {"message": str(exc), "transient": seconds is not None}
        response = render(request, "store_error.html", context, 503)
        response.headers.update(headers)
        return response

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return answer(request, exc)

    @app.exception_handler(OperationalError)
    async def driver_error(request: Request, exc: OperationalError) -> Response:
        return answer(request, classify(exc))
