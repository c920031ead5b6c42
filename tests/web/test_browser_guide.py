"""The guided session in Debian's Chromium at phone (390×844) and laptop (1280×800) size:
what it says for one set, word for word, the wake lock, hands-free flow, honest answers,
the pain stop, tones when speech is off, the page without JavaScript, and the offline outbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.web.browser_support import (
    CAPTURE,
    VIEWPORTS,
    Server,
    answer,
    screen,
    speed_script,
    spoken,
    start_session,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)


@pytest.fixture(params=sorted(VIEWPORTS))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "home")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
    assert "Traceback" not in srv.log.read_text(), srv.log.read_text()


@pytest.fixture
def context(browser: Browser, size: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=VIEWPORTS[size], has_touch=size == "phone")
    ctx.add_init_script(CAPTURE)
    yield ctx
    ctx.close()


def one_set_said(step: dict[str, Any]) -> list[str]:
    """What the coach says for a set of paced reps, from the intro to "Tap Set done"."""
    side = "" if step["side"] == "both" else f" {step['side'].capitalize()} side."
    last = " Last set." if step["set_index"] == step["sets"] > 1 else ""
    said = [f"{step['name']}.{side} Set {step['set_index']} of {step['sets']}.{last}"]
    said += [step["cue"], "Get ready.", "3", "2", "1"]
    lift, hold, lower = step["tempo"]
    for rep in range(1, step["reps"] + 1):
        said += [f"{rep}, lift"] + (["hold"] if hold else []) + (["lower"] if lower else [])
    return [*said, f"{step['reps']} reps done. Tap Set done."]


def test_one_set_is_spoken_paced_and_saved_hands_free(
    context: BrowserContext, server: Server, size: str, artifacts: Path
) -> None:
    page = context.new_page()
    screen(page, server.url)
    steps = start_session(page, server.url)
    first = steps[0]
    assert first["reps"] and first["tempo"], first
    page.evaluate(speed_script(10))  # 10× faster: every whole second still happens
    # before the tap nothing is said, and Set done is in reach of a thumb without scrolling
    done = page.locator("#g-done")
    box = done.bounding_box()
    assert box is not None and box["y"] + box["height"] <= VIEWPORTS[size]["height"]
    assert box["height"] >= 48
    assert spoken(page) == []
    page.get_by_role("button", name="Start with voice").click()
    expect(page.locator("#guide")).to_have_attribute("data-phase", "enter", timeout=60_000)
    assert spoken(page) == one_set_said(first)
    assert page.evaluate("() => window.__wake") == ["screen"]
    expect(page.locator("body")).to_have_attribute("data-wake-lock", "held")
    expect(page.locator("#g-reps")).to_have_value(str(first["reps"]))  # counted, not assumed
    page.screenshot(path=str(artifacts / f"guide-{size}-paced.png"))

    # the first set assumes nothing: effort and pain must be chosen, next to the fields
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("Space")
    expect(page.locator("#e-rpe")).to_contain_text("Choose how hard it was")
    expect(page.locator("#e-pain")).to_contain_text("Choose your pain")
    assert page.evaluate("() => document.body.dataset.savedSets") is None
    answer(page, rpe="6", pain="1")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("Space")  # space = set done, from anywhere on the page
    expect(page.locator("#g-status")).to_have_text("Set saved.")
    assert page.evaluate("() => document.activeElement.id") != "finish"
    # the rest is announced, then the next set starts by itself, its answers pre-filled
    expect(page.locator("#guide")).to_have_attribute("data-step", "1", timeout=60_000)
    expect(page.locator("#g-prefilled")).to_be_visible()
    expect(page.locator("#g-rpe")).to_have_value("6")
    said = spoken(page)[len(one_set_said(first)) :]
    rest = first["rest_seconds"]
    assert said[0] == "Not saved yet. Choose how hard it was, 0 to 10."  # said, not only shown
    assert said[1:6] == [f"Rest {rest} seconds.", "10 seconds.", "3", "2", "1"], said
    assert said[6] == one_set_said(steps[1])[0]
    page.screenshot(path=str(artifacts / f"guide-{size}-next-set.png"))
    logged = page.evaluate(
        "id => fetch('/api/sessions/' + id + '/sets').then(r => r.json())",
        page.evaluate("() => JSON.parse(document.getElementById('guide').dataset.guide).session_id"),
    )
    assert [(s["set_index"], s["rpe"], s["pain"]) for s in logged] == [(1, 6, 1)]
