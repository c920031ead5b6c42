"""Real browser (Debian's Chromium): the Content-Security-Policy breaks nothing — every page,
the guided session's first set and the plotly charts run with no policy violation — and the
QR-code login link fills the token in from the URL fragment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.web.browser_support import answer
from tests.web.conftest import MONDAY, glutecoach_serving
from tests.web.test_browser import FAST_TIMERS, open_progress, screen_new_user

from glutecoach.web.security import generate_token

pytestmark = pytest.mark.browser
COLLECT_VIOLATIONS = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def violations(page: Page) -> list[str]:
    return list(page.evaluate("() => window.__csp || []"))


def test_no_page_breaks_the_content_security_policy(
    page: Page, live_server: str, artifacts: Path
) -> None:
    base = live_server
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.add_init_script(COLLECT_VIOLATIONS + FAST_TIMERS)
    page.set_default_timeout(30_000)
    screen_new_user(page, base, artifacts, prefix="csp-")
    seen: dict[str, list[str]] = {}
    open_progress(page, base)  # plotly draws the charts under the policy
    assert page.locator("#chart-pain .main-svg").count() >= 1
    seen["/progress"] = violations(page)
    page.goto(f"{base}/today")
    page.get_by_role("button", name="Start guided session").click()
    expect(page.locator("#guide")).to_be_visible()
    page.locator("#g-reps").fill("10")  # nothing is assumed: reps, effort and pain are asked
    answer(page)
    page.get_by_role("button", name="Set done").click()
    expect(page.locator("body")).to_have_attribute("data-saved-sets", "1")
    seen["/today"] = violations(page)
    for path in ("/", "/checkin", "/plan", "/catalog", "/catalog/glute_bridge", "/settings"):
        page.goto(base + path)
        seen[path] = violations(page)
    assert {p: v for p, v in seen.items() if v} == {}
    assert not [m for m in console if "Content Security Policy" in m], console


@pytest.fixture
def token_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`glutecoach serve` with an access token from the environment."""
    token = generate_token()
    env = {**os.environ, "GLUTECOACH_HOME": str(tmp_path / "home"), "GLUTECOACH_WEB_TOKEN": token}
    env["GLUTECOACH_TODAY"] = MONDAY.isoformat()
    env.pop("GLUTECOACH_DATABASE_URL", None)
    with glutecoach_serving(["serve"], env, tmp_path / "server.log") as url:
        yield url, token


def test_the_qr_login_link_fills_the_token_and_hides_it(
    page: Page, token_server: tuple[str, str], artifacts: Any
) -> None:
    base, token = token_server
    page.add_init_script(COLLECT_VIOLATIONS)
    page.goto(f"{base}/login#token={token}")
    expect(page.get_by_label("Access token")).to_have_value(token)
    assert token not in page.url and "#" not in page.url
    page.screenshot(path=str(artifacts / "login-from-qr.png"))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/screening")
    assert violations(page) == []
