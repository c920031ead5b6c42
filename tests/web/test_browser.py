"""Real browser: Debian's Chromium driven by Playwright against `glutecoach serve`.

A new user screens, does the whole guided session with timers sped up (never waiting in real
time), reloads in the middle without losing a set, checks in, and sees the progress charts
change. Screenshots of each page go to the artifacts folder (``$GLUTECOACH_TEST_ARTIFACTS``/web,
else under pytest's temporary folder; the run's summary names it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)  # generous for a loaded 2-core machine
SPEED = 100  # timers run this many times faster
FAST_TIMERS = (  # on every page load, unless the test has set a speed itself
    "if (!window.localStorage.getItem('glutecoach.timerSpeed'))"
    f" window.localStorage.setItem('glutecoach.timerSpeed', '{SPEED}');"
)


def set_speed(page: Page, speed: int) -> None:
    page.evaluate("s => window.localStorage.setItem('glutecoach.timerSpeed', String(s))", speed)


def points(page: Page, chart: str) -> int:
    return int(
        page.evaluate(
            "id => (document.getElementById(id).data || [])"
            ".reduce((n, t) => n + (t.x ? t.x.length : 0), 0)",
            f"chart-{chart}",
        )
    )


def open_progress(page: Page, base: str) -> None:
    page.goto(f"{base}/progress")
    expect(page.locator("body")).to_have_attribute("data-charts", "ready", timeout=30_000)


def screen_new_user(page: Page, base: str, shots: Path, prefix: str = "") -> None:
    page.goto(base)
    expect(page).to_have_url(f"{base}/screening")
    expect(page.get_by_role("heading", name="Welcome: a short screening")).to_be_visible()
    page.get_by_label("Low back pain").fill("3")
    page.get_by_label("Hours sitting on a typical day").fill("9")
    page.get_by_label("band", exact=True).check()
    page.screenshot(path=str(shots / f"{prefix}01-screening.png"), full_page=True)
    page.get_by_role("button", name="See my starting point").click()
    expect(page.get_by_role("heading", name="Your starting point")).to_be_visible()
    page.screenshot(path=str(shots / f"{prefix}02-starting-point.png"), full_page=True)


def guide_steps(page: Page) -> list[dict[str, Any]]:
    raw = page.locator("#guide").get_attribute("data-guide")
    assert raw is not None
    steps: list[dict[str, Any]] = json.loads(raw)["steps"]
    return steps


def do_set(page: Page, index: int, *, keyboard: bool = False, pain: str = "1") -> None:
    guide = page.locator("#guide")
    expect(guide).to_have_attribute("data-step", str(index), timeout=15_000)
    page.wait_for_function(
        "() => ['go', 'enter'].includes(document.getElementById('guide').dataset.phase)",
        timeout=15_000,
    )
    page.get_by_label("Effort, RPE 0–10").select_option("6")
    page.get_by_label("Pain during, 0–10").select_option(pain)
    if page.locator("#g-reps").is_visible() and not page.locator("#g-reps").input_value():
        page.locator("#g-reps").fill("10")
    if keyboard:
        page.locator("#g-done").focus()
        page.keyboard.press("Enter")
    else:
        page.get_by_role("button", name="Set done").click()
    expect(page.locator("#g-status")).to_contain_text("Set saved", timeout=15_000)


def test_new_user_full_journey(page: Page, live_server: str, artifacts: Path) -> None:
    base = live_server
    page.add_init_script(FAST_TIMERS)
    page.set_default_timeout(30_000)
    screen_new_user(page, base, artifacts)

    open_progress(page, base)
    pain_before = points(page, "pain")
    adherence_done_before = page.evaluate(
        "() => document.getElementById('chart-adherence').data[1].y.reduce((a, b) => a + b, 0)"
    )
    assert adherence_done_before == 0

    page.goto(f"{base}/today")
    page.screenshot(path=str(artifacts / "03-today-cards.png"), full_page=True)
    set_speed(page, 1)  # real time while the timer controls are checked
    page.get_by_role("button", name="Start guided session").click()
    expect(page.locator("#guide")).to_be_visible()
    steps = guide_steps(page)
    assert len(steps) >= 6
    page.get_by_role("button", name="Start with voice").click()

    # the get-ready countdown runs, and can be paused, resumed and skipped from the keyboard
    expect(page.locator("#g-phase")).to_have_text("Get ready")
    page.locator("#g-pause").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#g-pause")).to_have_text("Resume")
    paused_at = page.locator("#g-timer").text_content()
    page.wait_for_timeout(1_500)
    assert page.locator("#g-timer").text_content() == paused_at
    page.keyboard.press("Enter")
    expect(page.locator("#g-pause")).to_have_text("Pause")
    page.locator("#g-skip").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#guide")).to_have_attribute("data-phase", "go")
    set_speed(page, SPEED)
    do_set(page, 0)
    page.screenshot(path=str(artifacts / "04-guided-set.png"), full_page=False)
    do_set(page, 1, keyboard=True)

    # reload mid-session: both sets are on the server and the guide resumes at the third
    page.reload()
    expect(page.locator(".lead")).to_contain_text("2 sets logged so far")
    assert [s["done"] for s in guide_steps(page)][:3] == [True, True, False]
    page.get_by_role("button", name="Continue with voice").click()

    for index in range(2, len(steps)):
        do_set(page, index)
    expect(page.locator("#guide")).to_have_attribute("data-phase", "finished")
    expect(page.locator("#finish")).to_be_focused()
    page.screenshot(path=str(artifacts / "05-all-sets-done.png"), full_page=False)
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("heading", name="Session done")).to_be_visible()
    expect(page.get_by_text(f"You did {len(steps)} sets of {len(steps)} planned.")).to_be_visible()
    page.screenshot(path=str(artifacts / "06-decision.png"), full_page=True)

    page.goto(f"{base}/checkin")
    page.get_by_label("Low back pain").fill("2")
    page.get_by_label("Stiffness, 0 to 10").fill("1")
    page.screenshot(path=str(artifacts / "07-checkin.png"), full_page=True)
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", name="Saved")).to_be_visible()

    open_progress(page, base)
    assert points(page, "pain") > pain_before
    done_after = page.evaluate(
        "() => document.getElementById('chart-adherence').data[1].y.reduce((a, b) => a + b, 0)"
    )
    assert done_after == 1
    assert points(page, "reps") > 0  # reps per set, by exercise name
    expect(page.locator("#sessions-done")).to_have_text("1")
    page.screenshot(path=str(artifacts / "08-progress.png"), full_page=True)
    for number, path in ((12, "/"), (13, "/plan"), (14, "/settings"), (15, "/catalog")):
        page.goto(f"{base}{path}")
        expect(page.locator("h1")).to_be_visible()
        name = path.strip("/") or "home"
        page.screenshot(path=str(artifacts / f"{number}-{name}.png"), full_page=True)


def test_phone_layout_and_pain_stop(browser: Any, live_server: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.add_init_script(FAST_TIMERS)
    page.set_default_timeout(30_000)
    screen_new_user(page, live_server, artifacts, prefix="phone-")
    page.goto(f"{live_server}/today")
    page.get_by_role("button", name="Start guided session").click()
    steps = guide_steps(page)
    page.get_by_role("button", name="Start with voice").click()
    done = page.locator("#g-done")
    box = done.bounding_box()
    assert box is not None and box["width"] > 240 and box["height"] >= 48  # thumb-sized
    assert box["y"] + box["height"] <= 844  # in reach without scrolling
    page.screenshot(path=str(artifacts / "09-phone-guided.png"), full_page=False)
    page.get_by_label("Effort, RPE 0–10").select_option("6")
    page.get_by_label("Pain during, 0–10").select_option("7")
    page.wait_for_function("() => document.getElementById('guide').dataset.phase === 'enter'")
    page.get_by_role("button", name="Set done").click()
    stop = page.get_by_role("dialog", name="Stop this exercise for today")
    expect(stop).to_be_visible()
    stop.get_by_role("button", name="I feel fine: go on to").click()
    first = steps[0]
    same = [
        i
        for i, s in enumerate(steps)
        if s["exercise_id"] == first["exercise_id"] and s["side"] == first["side"]
    ]
    expect(page.locator("#guide")).to_have_attribute("data-step", str(max(same) + 1))
    page.screenshot(path=str(artifacts / "10-phone-pain-stop.png"), full_page=False)
    page.goto(f"{live_server}/catalog/glute_bridge")
    page.screenshot(path=str(artifacts / "11-phone-exercise.png"), full_page=True)
    context.close()
