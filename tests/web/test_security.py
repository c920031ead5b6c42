"""Login with an access token, bearer auth for the API, and the serve command's binding rules."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from tests.web.conftest import Web

from glutecoach.web import cli as web_cli
from glutecoach.web.app import create_app
from glutecoach.web.security import Signer, token_matches

TOKEN = "correct horse battery staple"
CHECK_FREE = web_cli._check_free


@pytest.fixture
def locked(store_path: str) -> TestClient:
    return TestClient(create_app(store_path, auth_token=TOKEN))


def test_pages_need_login(locked: TestClient) -> None:
    response = locked.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert locked.get("/api/settings").status_code == 401
    assert locked.get("/login").status_code == 200
    assert locked.get("/static/app.css").status_code == 200


def test_login_with_the_token(locked: TestClient) -> None:
    web = Web(locked, {})
    token = web.token("/login")
    wrong = locked.post("/login", data={"csrf_token": token, "token": "guess"})
    assert wrong.status_code == 401
    assert "gc_auth" not in locked.cookies
    right = locked.post(
        "/login", data={"csrf_token": token, "token": TOKEN}, follow_redirects=False
    )
    assert right.status_code == 303
    assert TOKEN not in right.headers.get("set-cookie", "")
    assert locked.get("/catalog").status_code == 200
    assert locked.get("/api/settings").status_code == 200


def test_bearer_token_for_api_clients(locked: TestClient) -> None:
    ok = locked.get("/api/settings", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    bad = locked.get("/api/settings", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_forged_cookie_is_refused(locked: TestClient) -> None:
    locked.cookies.set("gc_auth", Signer().auth_cookie(TOKEN))  # signed with another key
    assert locked.get("/api/settings").status_code == 401


def test_signer() -> None:
    signer = Signer(b"k" * 32)
    nonce = signer.new_csrf_nonce()
    token = signer.csrf_token(nonce)
    assert signer.csrf_ok(nonce, token)
    assert not signer.csrf_ok("other", token)
    assert not signer.csrf_ok(nonce, token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert not signer.csrf_ok(None, token)
    assert not signer.csrf_ok(nonce, "no-dot")
    assert token_matches("a", "a") and not token_matches("a", "b")


def test_is_local() -> None:
    assert web_cli.is_local("127.0.0.1") and web_cli.is_local("::1")
    assert web_cli.is_local("localhost")
    assert not web_cli.is_local("0.0.0.0") and not web_cli.is_local("192.168.1.2")


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kw: Any) -> None:
        seen.update(kw, app=app)

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setattr(web_cli, "_check_free", lambda host, port: None)  # 8000 may be in use
    return seen


def test_serve_defaults_to_localhost(captured: dict[str, Any]) -> None:
    from glutecoach.cli import cli

    result = CliRunner().invoke(cli, ["serve"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "glutecoach is running at http://127.0.0.1:8000" in result.output
    assert captured["host"] == "127.0.0.1" and captured["port"] == 8000
    assert captured["access_log"] is False


def test_start_runs_the_web_app(captured: dict[str, Any]) -> None:
    from glutecoach.cli import cli

    result = CliRunner().invoke(cli, ["start"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "is running at http://127.0.0.1:8000" in result.output
    assert "press Ctrl-C to stop" in result.output


def test_remote_binding_needs_flag_and_token(
    captured: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from glutecoach.cli import main

    def run(*args: str) -> int:
        with pytest.raises(SystemExit) as exit_info:
            main(["serve", *args])
        return int(exit_info.value.code or 0)

    monkeypatch.delenv(web_cli.TOKEN_ENV, raising=False)
    assert run("--host", "0.0.0.0") == 2
    assert run("--host", "0.0.0.0", "--allow-remote") == 2
    assert "app" not in captured
    monkeypatch.setenv(web_cli.TOKEN_ENV, TOKEN)
    assert run("--host", "0.0.0.0", "--allow-remote", "--port", "8123") == 0
    assert captured["host"] == "0.0.0.0" and captured["port"] == 8123
    assert captured["app"].state.web.auth_token == TOKEN


def test_serve_uses_a_fixed_today_when_given(captured: dict[str, Any]) -> None:
    from glutecoach.cli import cli

    result = CliRunner().invoke(cli, ["--today", "2026-03-02", "serve"], catch_exceptions=False)
    assert result.exit_code == 0
    assert str(captured["app"].state.web.clock()) == "2026-03-02"


def test_serve_says_when_the_port_is_taken() -> None:
    import socket

    from glutecoach.errors import InputError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match="already running"):
            CHECK_FREE("127.0.0.1", port)
    CHECK_FREE("127.0.0.1", port)  # free again
