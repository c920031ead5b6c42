"""Access token login and CSRF protection (signed double-submit), with constant-time checks.

Nothing secret travels in a URL: the token is posted once to ``/login`` (or sent as a bearer
header by API clients) and the browser then holds an HttpOnly cookie derived from it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

AUTH_COOKIE = "gc_auth"
CSRF_COOKIE = "gc_csrf"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = ("/login", "/static/app.css", "/favicon.ico")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Signer:
    """HMAC-SHA256 over short strings with a per-process random key."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def sign(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()

    def new_csrf_nonce(self) -> str:
        return secrets.token_urlsafe(24)

    def csrf_token(self, nonce: str) -> str:
        return f"{nonce}.{self.sign('csrf:' + nonce)}"

    def csrf_ok(self, cookie_nonce: str | None, token: str | None) -> bool:
        if not cookie_nonce or not token or "." not in token:
            return False
        nonce, _, mac = token.rpartition(".")
        same_nonce = hmac.compare_digest(nonce.encode(), cookie_nonce.encode())
        good_mac = hmac.compare_digest(mac.encode(), self.sign("csrf:" + nonce).encode())
        return same_nonce and good_mac

    def auth_cookie(self, token: str) -> str:
        return self.sign("auth:" + token)


def token_matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


async def _reply(send: Send, status: int, body: bytes, content_type: str, extra: list[Any]) -> None:
    headers = [(b"content-type", content_type.encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Pure ASGI guard: login when a token is set, and cross-site checks for the JSON API.

    - With ``auth_token``: every path except the login page needs the auth cookie or an
      ``Authorization: Bearer`` header; pages redirect to ``/login``, the API answers 401.
    - Unsafe ``/api`` requests must be ``application/json`` (a cross-site form cannot send it
      without a CORS preflight, which this app never grants) and, when the browser sends an
      ``Origin``, it must be this app's own.
    """

    def __init__(self, app: ASGIApp, signer: Signer, auth_token: str | None) -> None:
        self.app = app
        self.signer = signer
        self.auth_token = auth_token
        self.cookie_value = signer.auth_cookie(auth_token) if auth_token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = _headers(scope)
        if self.auth_token and not path.startswith(OPEN_PATHS) and not self._authed(headers):
            if path.startswith("/api"):
                body = b'{"detail":"log in first: send Authorization: Bearer <token>"}'
                await _reply(send, 401, body, "application/json", [])
            else:
                await _reply(send, 303, b"", "text/plain", [(b"location", b"/login")])
            return
        if path.startswith("/api") and scope["method"] in UNSAFE:
            problem = self._cross_site_problem(headers)
            if problem is not None:
                status, message = problem
                body = b'{"detail":"' + message.encode() + b'"}'
                await _reply(send, status, body, "application/json", [])
                return
        await self.app(scope, receive, send)

    def _authed(self, headers: dict[str, str]) -> bool:
        assert self.auth_token is not None and self.cookie_value is not None
        bearer = headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            return token_matches(self.auth_token, bearer[7:].strip())
        cookie = _cookies(headers).get(AUTH_COOKIE, "")
        return token_matches(self.cookie_value, cookie)

    @staticmethod
    def _cross_site_problem(headers: dict[str, str]) -> tuple[int, str] | None:
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return 415, "send the body as JSON (Content-Type: application/json)"
        origin = headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != headers.get("host", ""):
            return 403, "cross-site request refused"
        return None
