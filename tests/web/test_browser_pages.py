"""Every page in Debian's Chromium at 390×844 and 1280×800: axe-core (from npm, see
package.json) finds no accessibility violation, nothing is wider than the screen, and a
full-page screenshot of each lands in the artifacts folder's pages/ (``$GLUTECOACH_TEST_ARTIFACTS``
/web, else under pytest's temporary folder) to be looked at."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.web.browser_support import VIEWPORTS, Server, answer, screen, speed_script

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(params=sorted(VIEWPORTS))
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `npm ci` (make test does)")
    ctx = browser.new_context(viewport=VIEWPORTS[request.param])
    ctx.add_init_script(speed_script(100))
    ctx.size = request.param  # type: ignore[attr-defined]
    yield ctx
    ctx.close()


def check(page: Page, name: str, size: str, shots: Path) -> None:
    """axe-core on the page as shown: no violations; no sideways scrolling; a screenshot."""
    page.wait_for_load_state("load")
    # Injected the way DevTools would, not as an inline <script>: the page's own CSP
    # (script-src 'self') stays in force while axe checks it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert found == [], f"{name} at {size}: " + json.dumps(found, indent=1)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {size} is {overflow}px wider than the screen"
    page.screenshot(path=str(shots / f"{size}-{name}.png"), full_page=True)


def test_every_page_has_no_axe_violations_at_both_sizes(
    context: BrowserContext, server: Server, artifacts: Path
) -> None:
    size = context.size  # type: ignore[attr-defined]
    shots = artifacts / "pages"
    shots.mkdir(exist_ok=True)
    page = context.new_page()
    base = server.url
    page.goto(f"{base}/screening")
    check(page, "01-screening", size, shots)
    page.get_by_label("Low back pain").fill("12")
    page.get_by_label("Your age (optional)").fill("7")
    page.get_by_role("button", name="See my starting point").click()
    expect(page.locator("#e-pain_low_back")).to_be_visible()
    check(page, "02-screening-invalid", size, shots)
    screen(page, base)
    check(page, "03-starting-point", size, shots)
    for name, path in (
        ("04-home", "/"),
        ("05-today", "/today"),
        ("06-plan", "/plan"),
        ("07-catalog", "/catalog"),
        ("08-exercise", "/catalog/clamshell"),
        ("09-settings", "/settings"),
        ("10-checkin", "/checkin"),
        ("11-progress", "/progress"),
        ("12-offline", "/offline"),
        ("13-not-found", "/catalog/no_such_exercise"),
        ("20-desk", "/desk"),
    ):
        page.goto(f"{base}{path}")
        if name == "11-progress":
            expect(page.locator("body")).to_have_attribute("data-charts", "ready")
        check(page, name, size, shots)
    page.goto(f"{base}/today")
    if page.get_by_role("button", name="Start guided session").count():
        page.get_by_role("button", name="Start guided session").click()
    expect(page.locator("#guide")).to_be_visible()
    check(page, "14-guide", size, shots)
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("heading", name="Finish early?")).to_be_visible()
    check(page, "15-finish-early", size, shots)
    page.get_by_role("link", name="Go back to the session").click()
    page.get_by_role("button", name="Start with voice").click()
    page.wait_for_function("() => document.getElementById('guide').dataset.phase === 'enter'")
    answer(page, pain="7")
    page.locator("#g-done").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    check(page, "16-pain-stop", size, shots)
    page.get_by_role("button", name="Finish for today").click()
    expect(page.get_by_role("heading", name="Session done")).to_be_visible()
    check(page, "17-summary", size, shots)
    page.get_by_text("Why: the coach's rules and sources").click()
    check(page, "18-summary-reasons", size, shots)
    page.goto(f"{base}/checkin")
    page.get_by_role("button", name="Save check-in").click()
    check(page, "19-checkin-saved", size, shots)


def load_three_years(home: Path) -> None:
    """Three years of daily sessions, decisions and check-ins (the web benchmark's data)."""
    import importlib.util

    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_web.py"
    spec = importlib.util.spec_from_file_location("bench_web", bench)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    home.mkdir(parents=True, exist_ok=True)
    module.generate(f"sqlite:///{home / 'glutecoach.db'}")


def test_progress_at_three_years_has_a_range_selector_and_tables(
    browser: Browser, tmp_path: Path, artifacts: Path
) -> None:
    srv = Server(tmp_path / "home", today="2026-01-01")  # the generated history's last day
    load_three_years(srv.home)
    srv.start()
    try:
        for size, viewport in sorted(VIEWPORTS.items()):
            ctx = browser.new_context(viewport=viewport)
            page = ctx.new_page()
            page.goto(f"{srv.url}/progress")
            expect(page.locator("body")).to_have_attribute("data-charts", "ready", timeout=60_000)
            bars = page.evaluate(
                "() => document.getElementById('chart-adherence').data[0].x.length"
            )
            assert bars <= 14  # 3 months of weeks, not 157 weekly bars
            page.get_by_label("All").check()
            expect(page.locator("body")).to_have_attribute("data-range", "all")
            bars = page.evaluate(
                "() => document.getElementById('chart-adherence').data[0].x.length"
            )
            assert 30 <= bars <= 37  # months
            names = page.evaluate(
                "() => document.getElementById('chart-reps').data.map(t => t.name)"
            )
            assert names and not any("_" in n for n in names)
            page.get_by_text("The numbers as a table").first.click()
            expect(page.locator("#table-pain table")).to_be_visible()
            check(page, "20-progress-three-years", size, artifacts / "pages")
            ctx.close()
    finally:
        srv.stop()
