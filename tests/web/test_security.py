"""The guard in front of every route: DNS rebinding (Host), cross-site writes, security
headers, the body-size limit. Login, tokens and the serve command: test_security_login.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocketDisconnect
from tests.web.conftest import Web, run_async

from glutecoach.web.app import create_app
from glutecoach.web.guard import CSP, MAX_BODY_BYTES, GuardMiddleware
from glutecoach.web.security import FailureLimiter, HostPolicy, Signer, split_host

FOREIGN_HOSTS = ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil"]
SAMPLE_PARAMS = {
    "session_id": "1",
    "review_id": "1",
    "exercise_id": "glute_bridge",
    "name": "units",
    "path": "app.css",
}


def route_table(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, concrete path) for every route the app serves, parameters filled in."""
    for route in routes:
        if hasattr(route, "original_router"):  # an included router (FastAPI >= 0.165)
            inner = route.include_context.prefix
            yield from route_table(route.original_router.routes, prefix + inner)
            continue
        if isinstance(route, Mount):
            yield "GET", f"{prefix}{route.path}/app.css"
            continue
        if isinstance(route, APIWebSocketRoute | WebSocketRoute):
            yield "WEBSOCKET", prefix + route.path
            continue
        assert isinstance(route, APIRoute | Route), route
        path = re.sub(r"{(\w+)(:\w+)?}", lambda m: SAMPLE_PARAMS[m.group(1)], route.path)
        for method in sorted(route.methods or {"GET"}):
            yield method, prefix + path


@pytest.fixture
def screened_api(screened: Web) -> Web:
    return screened


def test_every_route_refuses_a_foreign_host(screened_api: Web) -> None:
    app = screened_api.client.app
    routes = sorted(set(route_table(app.routes)))
    assert len(routes) >= 30, routes  # the whole table: pages, API, static, vendor, openapi
    for method, path in routes:
        if method == "WEBSOCKET":
            for host in FOREIGN_HOSTS:
                with (
                    pytest.raises(WebSocketDisconnect) as refused,
                    screened_api.client.websocket_connect(
                        f"ws://127.0.0.1{path}", headers={"Host": host}
                    ) as ws,
                ):
                    ws.receive_json()
                assert refused.value.code == 1008, (path, host)
            continue
        for host in FOREIGN_HOSTS:
            response = screened_api.client.request(
                method, path, headers={"Host": host}, json={}, follow_redirects=False
            )
            assert response.status_code == 400, (method, path, host, response.status_code)
            assert method == "HEAD" or "does not answer to that host name" in response.text
        ok = screened_api.client.request(method, path, json={}, follow_redirects=False)
        assert ok.status_code != 400 or "host name" not in ok.text, (method, path)


def test_dns_rebinding_cannot_read_or_change_anything(screened_api: Web) -> None:
    client = screened_api.client
    evil = {"Host": "attacker.example"}
    assert client.get("/api/screening", headers=evil).status_code == 400
    before = client.get("/api/settings").json()
    changed = client.put("/api/settings/units", json={"value": "lb"}, headers=evil)
    assert changed.status_code == 400
    assert client.get("/api/settings").json() == before


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "LOCALHOST.", "[::1]:8000", "127.0.0.2"],
)
def test_this_computers_names_are_served(host: str) -> None:
    assert HostPolicy.create().allows(host)


def test_host_policy_binding_and_configured_names() -> None:
    lan = HostPolicy.create("192.168.1.5", ["my-pc.local"])
    assert lan.allows("192.168.1.5:8000") and lan.allows("my-pc.local:8000")
    assert not lan.allows("192.168.1.6") and not lan.allows("other.local")
    everywhere = HostPolicy.create("0.0.0.0")
    assert everywhere.allows("10.0.0.7:8000") and everywhere.allows("[fe80::1]:8000")
    assert not everywhere.allows("evil.example") and not everywhere.allows(None)
    assert split_host("[::1]:80") == "::1" and split_host("Example.COM.:1") == "example.com"


def test_allowed_host_names_reach_the_app(store_path: str) -> None:
    app = create_app(store_path, allowed_hosts=["coach.home"])
    client = TestClient(app, base_url="http://coach.home:8000")
    assert client.get("/api/health").status_code == 200
    refused = client.get("/api/health", headers={"Host": "other.home"})
    assert refused.status_code == 400 and "127.0.0.1" in refused.text
    assert "coach.home" not in refused.text  # a rebinding page can read this answer


# --- cross-site writes --------------------------------------------------------------------


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_cross_site_api_writes_are_refused(screened_api: Web, site: str) -> None:
    client = screened_api.client
    before = client.get("/api/settings").json()
    headers = {"Sec-Fetch-Site": site}
    put = client.put("/api/settings/units", json={"value": "lb"}, headers=headers)
    assert put.status_code == 403 and site in put.json()["detail"]
    assert client.post("/api/sessions", json={}, headers=headers).status_code == 403
    assert client.get("/api/settings").json() == before
    same = client.put(
        "/api/settings/units", json={"value": "lb"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},  # another program on this computer
    ],
)
def test_cross_site_form_posts_are_refused_even_with_a_csrf_token(
    screened_api: Web, headers: dict[str, str]
) -> None:
    web = screened_api
    refused = web.post_form("/settings", {"units": "lb"}, headers=headers)
    assert refused.status_code == 403
    assert web.get("/api/settings").json()["units"] == "kg"


def test_same_origin_form_posts_work(screened_api: Web) -> None:
    web = screened_api
    # a browser's own form post under Referrer-Policy: no-referrer says Origin: null
    headers = {"Sec-Fetch-Site": "same-origin", "Origin": "null"}
    saved = web.post_form(
        "/settings", {"units": "lb", "session_days": ["0", "2", "4"]}, headers=headers
    )
    assert saved.status_code == 200, saved.text
    assert web.get("/api/settings").json()["units"] == "lb"


# --- headers ------------------------------------------------------------------------------

PAGES = [
    "/",
    "/today",
    "/checkin",
    "/progress",
    "/plan",
    "/catalog",
    "/catalog/glute_bridge",
    "/settings",
    "/screening",
    "/login",
]


def test_security_headers_on_pages_and_api(screened_api: Web) -> None:
    for path in [*PAGES, "/api/health", "/api/today", "/api/progress", "/api/screening"]:
        response = screened_api.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        script_src = re.search(r"script-src ([^;]*)", csp)
        assert script_src and script_src.group(1).strip() == "'self'", csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store", path
    static = screened_api.get("/static/app.css")
    assert static.headers["x-content-type-options"] == "nosniff"
    assert static.headers.get("cache-control") != "no-store"
    refused = screened_api.get("/api/health", headers={"Host": "evil.example"})
    assert refused.headers["content-security-policy"] == CSP


def test_pages_hold_no_inline_script(screened_api: Web) -> None:
    """The CSP allows no inline script, so the pages must not need any."""
    for path in PAGES:
        html = screened_api.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "javascript:" not in html, path


# --- body size ----------------------------------------------------------------------------


def test_a_large_body_is_refused_with_413(screened_api: Web) -> None:
    client = screened_api.client
    before = client.get("/api/settings").json()
    big = {"value": "x" * (MAX_BODY_BYTES + 10)}
    response = client.put("/api/settings/units", json=big)
    assert response.status_code == 413 and "kB" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"value": "'
        for _ in range(40):
            yield b"x" * 16_384
        yield b'"}'

    chunked = client.put(
        "/api/settings/units", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert chunked.status_code == 413
    assert client.get("/api/settings").json() == before


def test_the_body_is_not_read_past_the_limit() -> None:
    """A client streaming an endless body is cut off after ~the limit, not read to the end."""
    reached: list[str] = []
    read = {"chunks": 0}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["path"])

    async def endless() -> dict[str, Any]:
        read["chunks"] += 1
        return {"type": "http.request", "body": b"x" * 65_536, "more_body": True}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    guard = GuardMiddleware(
        app, signer=Signer(), auth_token=None, hosts=HostPolicy.create(), limiter=FailureLimiter()
    )
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/sessions",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
        ],
        "client": ("127.0.0.1", 5000),
    }
    run_async(lambda: guard(scope, endless, send))
    assert sent[0]["status"] == 413 and not reached
    assert read["chunks"] <= MAX_BODY_BYTES // 65_536 + 1
    declared_headers = [(b"host", b"localhost"), (b"content-length", b"99999999")]
    declared = {**scope, "method": "GET", "path": "/", "headers": declared_headers}
    read["chunks"] = 0
    run_async(lambda: guard(declared, endless, send))
    assert sent[-2]["status"] == 413 and read["chunks"] == 0


# --- unexpected errors ------------------------------------------------------------------------

PLANTED_NOTE = "my-hip-hurts-since-the-divorce"


def test_an_unexpected_error_is_a_500_logged_without_personal_data(
    screened_api: Web, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy.exc import IntegrityError

    from glutecoach.services import Coach

    def broken(*args: Any, **kw: Any) -> Any:
        cause = ValueError(f"note={PLANTED_NOTE} pain=9")
        raise IntegrityError(
            "INSERT INTO sets (pain, notes) VALUES (?, ?)", (9, PLANTED_NOTE), cause
        )

    monkeypatch.setattr(Coach, "settings", broken)
    with caplog.at_level("ERROR", logger="glutecoach.web"):
        response = screened_api.get("/api/settings")
        page = screened_api.get("/settings")
    assert response.status_code == 500 and page.status_code == 500
    assert "internal error" in response.json()["detail"]
    logged = caplog.text
    assert "IntegrityError" in logged and "/api/settings" in logged  # where, for a bug report
    for secret in (PLANTED_NOTE, "pain=9", "(9,"):
        assert secret not in logged and secret not in response.text and secret not in page.text
