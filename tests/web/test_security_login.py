"""Remote access: token strength, where the token comes from, login, bearer auth, the
per-client limit on wrong tokens, and the serve command's binding rules."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from tests.web.conftest import LOCAL, Web, run_async

from glutecoach.errors import InputError
from glutecoach.web import cli as web_cli
from glutecoach.web.app import create_app
from glutecoach.web.security import (
    MIN_TOKEN_BITS,
    FailureLimiter,
    Signer,
    check_token,
    generate_token,
    token_bits,
    token_matches,
)

TOKEN = "Kq3v_9ZxT2mLp8RwYb4NcE"  # 22 characters, mixed classes: > 128 bits
CHECK_FREE = web_cli._check_free


@pytest.fixture
def locked(store_path: str) -> TestClient:
    return TestClient(create_app(store_path, auth_token=TOKEN), base_url=LOCAL)


# --- token strength -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weak",
    [
        "a",
        "password",
        "correct horse battery staple",
        "a" * 64,
        "ab" * 40,
        "0123456789abcdef",
        "deadbeef" * 2,
        "",
    ],
)
def test_weak_tokens_are_refused(weak: str) -> None:
    with pytest.raises(InputError, match="where"):
        check_token(weak, "where")


def test_generated_and_strong_tokens_pass() -> None:
    made = {generate_token() for _ in range(20)}
    assert len(made) == 20
    for token in [*made, TOKEN, "f" * 0 + "9c1e4b7a2d8f3065e1b9c7d4a2f8e6b3"]:
        assert token_bits(token) >= MIN_TOKEN_BITS
        assert check_token(f" {token}\n", "x") == token


def test_the_app_refuses_a_weak_token(store_path: str) -> None:
    with pytest.raises(InputError, match="too easy to guess"):
        create_app(store_path, auth_token="a")


# --- login and bearer -----------------------------------------------------------------------


def test_pages_need_login(locked: TestClient) -> None:
    response = locked.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert locked.get("/api/settings").status_code == 401
    assert locked.get("/login").status_code == 200
    assert locked.get("/static/app.css").status_code == 200
    assert locked.get("/static/login.js").status_code == 200
    assert locked.get("/static/guide.js", follow_redirects=False).status_code == 303


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


# --- rate limit on wrong tokens --------------------------------------------------------------


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_wrong_tokens_are_limited_per_client_even_the_right_one_then(store_path: str) -> None:
    app = create_app(store_path, auth_token=TOKEN)
    limit = app.state.web.limiter.max_failures
    guesser = TestClient(app, base_url=LOCAL, client=("10.0.0.9", 4000))
    for _ in range(limit):
        assert guesser.get("/api/settings", headers=_bearer(generate_token())).status_code == 401
    blocked = guesser.get("/api/settings", headers=_bearer(TOKEN))
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    form = Web(guesser, {})
    login = guesser.post("/login", data={"csrf_token": form.token("/login"), "token": TOKEN})
    assert login.status_code == 429 and "wait" in login.text
    other = TestClient(app, base_url=LOCAL, client=("10.0.0.10", 4000))
    assert other.get("/api/settings", headers=_bearer(TOKEN)).status_code == 200


def test_parallel_guessing_is_no_faster(store_path: str) -> None:
    """Many guesses at once from one client: only the first few are even checked."""
    app = create_app(store_path, auth_token=TOKEN)
    limit = app.state.web.limiter.max_failures

    async def guess_all() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=("10.0.0.11", 4000))
        async with httpx.AsyncClient(transport=transport, base_url=LOCAL) as client:
            replies = await asyncio.gather(
                *(client.get("/api/settings", headers=_bearer(generate_token())) for _ in range(60))
            )
        return [r.status_code for r in replies]

    statuses = run_async(guess_all)
    assert statuses.count(401) == limit and statuses.count(429) == 60 - limit


def test_the_limit_lifts_after_the_window() -> None:
    now = {"t": 0.0}
    limiter = FailureLimiter(max_failures=3, window_s=60, clock=lambda: now["t"])
    for _ in range(3):
        assert limiter.wait_seconds("a") == 0
        limiter.failed("a")
    assert limiter.wait_seconds("a") == pytest.approx(60)
    assert limiter.wait_seconds("b") == 0
    now["t"] = 30
    assert limiter.wait_seconds("a") == pytest.approx(30)
    now["t"] = 60.5
    assert limiter.wait_seconds("a") == 0


def test_the_limiter_forgets_the_oldest_clients_first() -> None:
    limiter = FailureLimiter(max_failures=1, max_clients=3, clock=lambda: 0.0)
    for client in "abcd":
        limiter.failed(client)
    assert limiter.wait_seconds("a") == 0 and limiter.wait_seconds("d") > 0


# --- the serve command -------------------------------------------------------------------------


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kw: Any) -> None:
        seen.update(kw, app=app)

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setattr(web_cli, "_check_free", lambda host, port: None)  # 8000 may be in use
    monkeypatch.delenv(web_cli.TOKEN_ENV, raising=False)
    monkeypatch.delenv(web_cli.TOKEN_FILE_ENV, raising=False)
    return seen


def serve(*args: str) -> Any:
    from glutecoach.cli import cli

    return CliRunner().invoke(cli, ["serve", *args])


def test_is_local() -> None:
    assert web_cli.is_local("127.0.0.1") and web_cli.is_local("::1")
    assert web_cli.is_local("localhost")
    assert not web_cli.is_local("0.0.0.0") and not web_cli.is_local("192.168.1.2")


def test_serve_defaults_to_localhost(captured: dict[str, Any]) -> None:
    result = serve()
    assert result.exit_code == 0, result.output
    assert "glutecoach is running at http://127.0.0.1:8000" in result.output
    assert captured["host"] == "127.0.0.1" and captured["port"] == 8000
    assert captured["access_log"] is False
    assert captured["app"].state.web.auth_token is None


def test_start_runs_the_web_app(captured: dict[str, Any]) -> None:
    from glutecoach.cli import cli

    result = CliRunner().invoke(cli, ["start"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "is running at http://127.0.0.1:8000" in result.output
    assert "press Ctrl-C to stop" in result.output


def test_remote_binding_needs_the_flag(captured: dict[str, Any]) -> None:
    result = serve("--host", "0.0.0.0")
    assert result.exit_code == 2 and "--allow-remote" in result.output
    assert "app" not in captured


def test_remote_without_a_token_makes_one_and_shows_a_qr_code(captured: dict[str, Any]) -> None:
    result = serve("--host", "0.0.0.0", "--allow-remote", "--port", "8123")
    assert result.exit_code == 0, result.output
    token = captured["app"].state.web.auth_token
    assert token and token_bits(token) >= MIN_TOKEN_BITS
    assert f"Access token (made for this run; set $GLUTECOACH_WEB_TOKEN to keep one): {token}" in (
        result.output
    )
    assert "scan this" in result.output and "█" in result.output  # the QR code
    assert captured["host"] == "0.0.0.0" and captured["port"] == 8123
    again = serve("--host", "0.0.0.0", "--allow-remote")
    assert again.exit_code == 0 and captured["app"].state.web.auth_token != token


def test_a_token_on_the_command_line_is_refused(captured: dict[str, Any]) -> None:
    result = serve("--host", "0.0.0.0", "--allow-remote", "--token", generate_token())
    assert result.exit_code == 2
    assert "ps" in result.output and "--token-file" in result.output
    assert "app" not in captured


def test_token_from_the_environment(
    captured: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(web_cli.TOKEN_ENV, "short")
    weak = serve("--host", "0.0.0.0", "--allow-remote")
    assert weak.exit_code == 2 and "$GLUTECOACH_WEB_TOKEN" in weak.output
    assert "Traceback" not in weak.output
    monkeypatch.setenv(web_cli.TOKEN_ENV, TOKEN)
    result = serve("--host", "0.0.0.0", "--allow-remote")
    assert result.exit_code == 0, result.output
    assert captured["app"].state.web.auth_token == TOKEN
    assert TOKEN not in result.output  # a token the user gave is never echoed


def test_token_from_a_file(captured: dict[str, Any], tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text(TOKEN + "\n")
    os.chmod(secret, 0o600)
    result = serve("--host", "0.0.0.0", "--allow-remote", "--token-file", str(secret))
    assert result.exit_code == 0, result.output
    assert captured["app"].state.web.auth_token == TOKEN and "Warning" not in result.output
    os.chmod(secret, 0o644)
    loose = serve("--host", "0.0.0.0", "--allow-remote", "--token-file", str(secret))
    assert loose.exit_code == 0 and "chmod 600" in loose.output
    missing = serve("--allow-remote", "--host", "0.0.0.0", "--token-file", str(tmp_path / "no"))
    assert missing.exit_code == 2 and "no such file" in missing.output
    (tmp_path / "weak").write_text("abc\n")
    weak = serve("--allow-remote", "--host", "0.0.0.0", "--token-file", str(tmp_path / "weak"))
    assert weak.exit_code == 2 and "too easy to guess" in weak.output


def test_allowed_host_names(captured: dict[str, Any]) -> None:
    alone = serve("--allow-host", "my-pc.local")
    assert alone.exit_code == 2 and "--allow-remote" in alone.output
    result = serve("--host", "0.0.0.0", "--allow-remote", "--allow-host", "my-pc.local")
    assert result.exit_code == 0, result.output
    client = TestClient(captured["app"], base_url="http://my-pc.local:8000")
    assert client.get("/login").status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400


def test_serve_uses_a_fixed_today_when_given(captured: dict[str, Any]) -> None:
    from glutecoach.cli import cli

    result = CliRunner().invoke(cli, ["--today", "2026-03-02", "serve"], catch_exceptions=False)
    assert result.exit_code == 0
    assert str(captured["app"].state.web.clock()) == "2026-03-02"


def test_serve_help_explains_the_token() -> None:
    result = serve("--help")
    assert result.exit_code == 0
    assert re.search(r"--token-file", result.output) and "128 bits" in result.output
    assert "--token " not in result.output  # hidden: only there to refuse it clearly


def test_serve_says_when_the_port_is_taken() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match="already running"):
            CHECK_FREE("127.0.0.1", port)
    CHECK_FREE("127.0.0.1", port)  # free again


def test_a_stale_cookie_after_a_restart_never_locks_its_owner_out(store_path: str) -> None:
    old_server = create_app(store_path, auth_token=TOKEN)
    stale = old_server.state.web.signer.auth_cookie(TOKEN)
    kept = create_app(store_path, auth_token=TOKEN)  # a restart keeps the key file's key
    assert kept.state.web.signer.auth_cookie(TOKEN) == stale
    app = create_app(store_path, auth_token=TOKEN, signing_key=b"r" * 32)  # a rotated key
    browser = TestClient(app, base_url=LOCAL, client=("10.0.0.12", 4000))
    browser.cookies.set("gc_auth", stale)
    for _ in range(3 * app.state.web.limiter.max_failures):
        assert browser.get("/", follow_redirects=False).status_code == 303
        assert browser.get("/api/settings").status_code == 401
    form = Web(browser, {})
    login = browser.post(
        "/login", data={"csrf_token": form.token("/login"), "token": TOKEN}, follow_redirects=False
    )
    assert login.status_code == 303
    assert browser.get("/api/settings").status_code == 200


def test_an_ipv6_device_cannot_dodge_the_limit_by_changing_address(store_path: str) -> None:
    from glutecoach.web.security import client_key

    assert client_key("2001:db8:1:2::5") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::5") != client_key("2001:db8:1:3::5")
    assert client_key("::ffff:10.0.0.1") == "10.0.0.1" and client_key(None) == "unknown"
    app = create_app(store_path, auth_token=TOKEN)
    for n in range(app.state.web.limiter.max_failures):
        guesser = TestClient(app, base_url=LOCAL, client=(f"2001:db8:1:2::{n + 1:x}", 4000))
        assert guesser.get("/api/settings", headers=_bearer(generate_token())).status_code == 401
    fresh_address = TestClient(app, base_url=LOCAL, client=("2001:db8:1:2::ff", 4000))
    assert fresh_address.get("/api/settings", headers=_bearer(TOKEN)).status_code == 429
