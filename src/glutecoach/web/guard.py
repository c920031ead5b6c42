"""The ASGI guard in front of every route: hosts, login, cross-site writes, body size, headers.

In order, for each HTTP request:

1. **Host** must be one this server answers to (:class:`~glutecoach.web.security.HostPolicy`):
   a page on another website that rebinds its name to 127.0.0.1 gets ``400``.
2. **Login** when an access token is set: the auth cookie or ``Authorization: Bearer``; pages
   redirect to ``/login``, the API answers ``401``; too many wrong bearer tokens (or login
   form posts, see ``pages.login_submit``) from one client → ``429`` with ``Retry-After``.
3. **Cross-site writes** (POST/PUT/PATCH/DELETE, pages and API): a browser's
   ``Sec-Fetch-Site`` must be ``same-origin`` and its ``Origin``, when it names one, this
   server's own → else ``403``. API writes must also be ``application/json`` (``415``).
4. **Body size**: more than ``max_body`` bytes → ``413``, whether announced by
   ``Content-Length`` or streamed in chunks; the body is never read past the limit. A clip
   upload (a POST to one of the ``streamed`` paths) has its own, larger limit: it must be sent
   as a video (``video/*`` or ``application/octet-stream``: no other site's form can send
   that), a larger announced length is refused here (``413``) and the route streams the body
   to disk, counting, and refuses it (``413``) at the limit.
5. **Headers** on every answer: a Content-Security-Policy without inline script,
   ``nosniff``, no framing, no referrer, and ``Cache-Control: no-store`` (health data) on
   everything but the static files.
"""

from __future__ import annotations

import json
import logging
import math
import traceback
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from glutecoach.form_reviews import describe_size
from glutecoach.web.security import (
    AUTH_COOKIE,
    FailureLimiter,
    HostPolicy,
    Signer,
    client_key,
    token_matches,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("glutecoach.web")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = ("/login", "/static/app.css", "/static/login.js", "/favicon.ico")
CACHEABLE_PATHS = ("/static/", "/vendor/")
MAX_BODY_BYTES = 256 * 1024
SAME_ORIGIN_FETCH = frozenset({"same-origin", "none"})
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # plotly sets inline styles on its own elements
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return client_key(str(client[0]) if client else None)


async def _reply(
    send: Send,
    status: int,
    message: str,
    path: str,
    extra: tuple[tuple[bytes, bytes], ...] = (),
    as_json: bool = False,
) -> None:
    """A short answer from the guard itself: JSON under /api (or ``as_json``), plain text
    elsewhere."""
    if as_json or path.startswith("/api"):
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body, kind = (message + "\n").encode(), b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def log_without_data(exc: BaseException, method: str, path: str) -> None:
    """Where it failed (exception types and frames), never what the exception says."""
    chain: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 5:
        frames = "".join(traceback.format_tb(current.__traceback__))
        chain.append(f"{type(current).__module__}.{type(current).__qualname__}\n{frames}")
        current = current.__cause__ or current.__context__
    log.error("internal error on %s %s (messages left out):\n%s", method, path, "".join(chain))


def with_security_headers(send: Send, path: str) -> Send:
    """``send`` with the security headers (and no-store unless static) added to the answer."""
    cacheable = path.startswith(CACHEABLE_PATHS)

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            if not cacheable and b"cache-control" not in names:
                headers.append((b"cache-control", b"no-store"))
            message = {**message, "headers": headers}
        await send(message)

    return sending


def cross_site_problem(headers: dict[str, str], *, api: bool) -> tuple[int, str] | None:
    """Why a state-changing request looks cross-site (status, message), or None."""
    fetch_site = headers.get("sec-fetch-site", "").strip().lower()
    if fetch_site and fetch_site not in SAME_ORIGIN_FETCH:
        return 403, f"cross-site request refused (Sec-Fetch-Site: {fetch_site})"
    origin = headers.get("origin", "").strip()
    # "null" is what a browser sends for its own form posts under Referrer-Policy: no-referrer;
    # such posts still need the page's CSRF token (forms) or a JSON body (API).
    if (
        origin
        and origin != "null"
        and urlsplit(origin).netloc.lower() != headers.get("host", "").lower()
    ):
        return 403, "cross-site request refused (Origin is another site)"
    if api:
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return 415, "send the body as JSON (Content-Type: application/json)"
    return None


def upload_problem(headers: dict[str, str], limit: int) -> tuple[int, str] | None:
    """Why a clip upload is refused before its body is read (status, message), or None."""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if not (content_type.startswith("video/") or content_type == "application/octet-stream"):
        return 415, "send the clip itself as the body (Content-Type: video/webm, video/mp4, ...)"
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        return 413, f"clip: the upload is larger than {describe_size(limit)}; record a shorter set"
    return None


async def read_body(receive: Receive, headers: dict[str, str], limit: int) -> bytes | None:
    """The whole request body, or None when it is larger than ``limit`` (reading stops there)."""
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ConnectionAbortedError("the client went away while sending its request")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the already-read body once, then defers to the real one."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receiving() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return receiving


class GuardMiddleware:
    """Pure ASGI middleware applying the rules in this module's docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        signer: Signer,
        auth_token: str | None,
        hosts: HostPolicy,
        limiter: FailureLimiter,
        max_body: int = MAX_BODY_BYTES,
        streamed: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.auth_token = auth_token
        self.cookie_value = signer.auth_cookie(auth_token) if auth_token else None
        self.hosts = hosts
        self.limiter = limiter
        self.max_body = max_body
        self.streamed = dict(streamed or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and not self.hosts.allows(_headers(scope).get("host")):
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        send = with_security_headers(send, path)
        headers = _headers(scope)
        if not self.hosts.allows(headers.get("host")):
            message = (
                "this glutecoach server does not answer to that host name; open it as "
                f"one of {self.hosts.describe()} on this computer, or by a name given to "
                "glutecoach serve --allow-host NAME"
            )
            await _reply(send, 400, message, path)
            return
        needs_login = self.auth_token is not None and not path.startswith(OPEN_PATHS)
        if needs_login and not await self._logged_in(scope, headers, send):
            return
        if scope["method"] in UNSAFE:
            api = path.startswith("/api") and path not in self.streamed  # a clip is no JSON
            problem = cross_site_problem(headers, api=api)
            if problem is not None:
                await _reply(send, problem[0], problem[1], path)
                return
        upload_limit = self.streamed.get(path) if scope["method"] == "POST" else None
        if upload_limit is not None:
            refused = upload_problem(headers, upload_limit)
            if refused is not None:
                await _reply(send, refused[0], refused[1], path, as_json=True)  # read by scripts
                return
        elif (
            scope["method"] in UNSAFE
            or "content-length" in headers
            or ("transfer-encoding" in headers)
        ):
            try:
                body = await read_body(receive, headers, self.max_body)
            except ConnectionAbortedError:
                return
            if body is None:
                limit_kb = self.max_body // 1024
                await _reply(send, 413, f"the request body is larger than {limit_kb} kB", path)
                return
            receive = replaying(body, receive)
        await self._run_app(scope, receive, send)

    async def _run_app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app; an unexpected error is logged without its message (it may hold SQL
        parameters, notes or pain scores) and answered with a plain 500."""
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            log_without_data(exc, scope["method"], scope["path"])
            if not started:
                message = (
                    "internal error in glutecoach (logged on the server without your data); "
                    "reload to see what was saved, and report it if it happens again"
                )
                await _reply(send, 500, message, scope["path"])

    async def _logged_in(self, scope: Scope, headers: dict[str, str], send: Send) -> bool:
        """Whether the request carries a valid credential; answers for it when not.

        Only wrong bearer tokens count as guesses (and are refused unchecked while the
        client waits): the cookie is a 256-bit HMAC, and a stale one (after a restart, which
        makes a new key) must not lock its owner out.
        """
        path: str = scope["path"]
        client = _client(scope)
        credential = self._credential(headers)
        if credential is not None and credential[0] == "bearer":
            wait = self.limiter.wait_seconds(client)
            if wait > 0:
                retry = str(math.ceil(wait)).encode()
                message = "too many wrong access tokens from this device: wait, then try again"
                await _reply(send, 429, message, path, ((b"retry-after", retry),))
                return False
        if credential is not None and self._valid(credential):
            return True
        if credential is not None and credential[0] == "bearer":
            self.limiter.failed(client)
        if path.startswith("/api"):
            await _reply(send, 401, "log in first: send Authorization: Bearer <token>", path)
        else:
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [(b"location", b"/login"), (b"content-length", b"0")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
        return False

    @staticmethod
    def _credential(headers: dict[str, str]) -> tuple[str, str] | None:
        bearer = headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            return "bearer", bearer[7:].strip()
        cookie = _cookies(headers).get(AUTH_COOKIE)
        return ("cookie", cookie) if cookie else None

    def _valid(self, credential: tuple[str, str]) -> bool:
        assert self.auth_token is not None and self.cookie_value is not None
        kind, value = credential
        expected = self.auth_token if kind == "bearer" else self.cookie_value
        return token_matches(expected, value)
