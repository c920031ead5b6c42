"""The clinic's sign-in gate: every request but the sign-in and invite doors needs a signed-in
account; clinicians stay on the clinic's routes (a patient's record is reached only through
:mod:`glutecoach.clinic.scope`). It sits inside the home app's guard (hosts, cross-site
writes, body size, headers), so those rules apply first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from glutecoach.clinic.accounts import Account, signed_in
from glutecoach.store.db import Store

CLINIC_COOKIE = "gc_clinic"
OPEN_PATHS = (
    "/api/clinic/login",
    "/api/clinic/invites/accept",
    "/clinic/login",
    "/clinic/invite",
    "/clinic/static/",
    "/api/health",
    "/static/",
    "/favicon.ico",
)
CLINICIAN_PATHS = ("/api/clinic/", "/clinic", "/static/", "/vendor/")


def _cookie(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, _, val = part.strip().partition("=")
                if name == CLINIC_COOKIE and val:
                    return val
    return None


async def _reply(send: Send, status: int, message: str, path: str) -> None:
    if path.startswith("/api"):
        body = json.dumps({"detail": message}).encode()
        headers = [(b"content-type", b"application/json")]
    elif status == 401:
        body, headers = b"", [(b"location", b"/clinic/login")]
        status = 303
    else:
        body = message.encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ClinicGate:
    """ASGI middleware: resolves the sign-in cookie to an :class:`Account` for the routes."""

    def __init__(
        self, app: ASGIApp, store: Callable[[], Store], now: Callable[[], dt.datetime]
    ) -> None:
        self.app = app
        self.store = store
        self.now = now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        account = await anyio.to_thread.run_sync(self._account, _cookie(scope))
        scope.setdefault("state", {})["clinic_account"] = account
        if not path.startswith(OPEN_PATHS):
            if account is None:
                await _reply(send, 401, "sign in first (POST /api/clinic/login)", path)
                return
            if account.is_clinician and not path.startswith(CLINICIAN_PATHS):
                await _reply(
                    send,
                    403,
                    "clinicians open a patient's record from the clinic dashboard (/clinic)",
                    path,
                )
                return
        await self.app(scope, receive, send)

    def _account(self, cookie: str | None) -> Account | None:
        if cookie is None:
            return None
        with self.store().transaction() as db:
            return signed_in(db, cookie, self.now())
