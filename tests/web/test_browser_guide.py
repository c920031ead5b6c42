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
        said += (
            ([f"{rep}, lift"] if lift else [])
            + (["hold"] if hold else [])
            + (["lower"] if lower else [])
        )
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
        page.evaluate(
            "() => JSON.parse(document.getElementById('guide').dataset.guide).session_id"
        ),
    )
    assert [(s["set_index"], s["rpe"], s["pain"]) for s in logged] == [(1, 6, 1)]


def session_id(page: Page) -> int:
    return int(
        page.evaluate("() => JSON.parse(document.getElementById('guide').dataset.guide).session_id")
    )


def log_now(page: Page, step: int, pain: str = "1") -> None:
    """Do set `step` at once (timers skipped by speed), answering effort and pain."""
    expect(page.locator("#guide")).to_have_attribute("data-step", str(step))
    page.wait_for_function("() => document.getElementById('guide').dataset.phase === 'enter'")
    answer(page, pain=pain)
    page.locator("#g-done").click()


def test_pain_stop_is_unmissable_and_waits_for_a_choice(
    context: BrowserContext, server: Server, size: str, artifacts: Path
) -> None:
    page = context.new_page()
    page.add_init_script(speed_script(100))
    screen(page, server.url)
    steps = start_session(page, server.url)
    page.get_by_role("button", name="Start with voice").click()
    log_now(page, 0, pain="8")
    dialog = page.get_by_role("dialog", name="Stop this exercise for today")
    expect(dialog).to_be_visible()
    assert page.evaluate("() => document.getElementById('g-stop').matches(':modal')")
    box = dialog.bounding_box()
    assert (
        box is not None and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORTS[size]["height"]
    )
    said = spoken(page)
    assert said[-1].startswith("Stop. Pain 8 out of 10 is too much."), said
    page.screenshot(path=str(artifacts / f"guide-{size}-pain-stop.png"))
    page.wait_for_timeout(1_500)  # at 100× that is minutes of rest: nothing starts by itself
    expect(dialog).to_be_visible()
    assert spoken(page)[-1] == said[-1]
    same = [
        i
        for i, s in enumerate(steps)
        if (s["exercise_id"], s["side"]) == (steps[0]["exercise_id"], steps[0]["side"])
    ]
    following = steps[max(same) + 1]
    dialog.get_by_role("button", name="I feel fine: go on to").click()
    expect(page.locator("#guide")).to_have_attribute("data-step", str(max(same) + 1))
    expect(page.locator("#g-title")).to_contain_text(following["name"])


def test_tones_play_when_speech_is_off(context: BrowserContext, server: Server, size: str) -> None:
    page = context.new_page()
    page.add_init_script(speed_script(10))
    screen(page, server.url)
    page.goto(f"{server.url}/settings")
    page.get_by_label("Coach's voice").select_option("tones")
    page.get_by_label("Volume").fill("40")
    page.get_by_role("button", name="Save sound settings").click()
    expect(page.locator("#sound-saved")).to_have_text("Sound settings saved on this device.")
    start_session(page, server.url)
    page.get_by_role("button", name="Start with voice").click()
    expect(page.locator("#guide")).to_have_attribute("data-phase", "go")
    tones = page.evaluate("() => window.__tones.slice()")
    assert spoken(page) == []
    assert tones[:2] == [660, 990]  # the intro's "go" tone; then a tick per count
    assert tones[2:5] == [880, 880, 880], tones
    page.locator("#g-sound").click()  # mute: nothing more
    expect(page.locator("#g-sound")).to_have_attribute("aria-pressed", "true")
    muted_at = len(page.evaluate("() => window.__tones"))
    page.wait_for_timeout(1_500)
    assert len(page.evaluate("() => window.__tones")) == muted_at


def test_a_set_is_logged_without_javascript(
    browser: Browser, server: Server, size: str, artifacts: Path
) -> None:
    ctx = browser.new_context(viewport=VIEWPORTS[size], java_script_enabled=False)
    page = ctx.new_page()
    screen(page, server.url)
    page.goto(f"{server.url}/today")
    page.get_by_role("button", name="Start guided session").click()
    expect(page.locator("#g-title")).to_contain_text("set 1 of")
    page.screenshot(path=str(artifacts / f"guide-{size}-no-js.png"))
    page.locator("#g-reps").fill("9")
    page.locator("#g-done").click()
    expect(page.get_by_text("how hard was it?")).to_be_visible()  # nothing assumed
    page.go_back()
    page.locator("#g-reps").fill("9")
    page.locator("#g-rpe").select_option("5")
    page.locator("#g-pain").select_option("0")
    page.get_by_label("Glutes").check()
    page.locator("#g-done").click()
    expect(page.locator("#g-count")).to_have_text("1")
    expect(page.locator("#g-title")).to_contain_text("set 2 of")
    sets = page.request.get(f"{server.url}/api/today").json()["logged"]
    assert [(s["set_index"], s["reps"], s["rpe"], s["pain"]) for s in sets] == [(1, 9, 5, 0)]
    ctx.close()


def test_sets_logged_while_the_server_is_down_are_sent_once_when_it_is_back(
    context: BrowserContext, server: Server, size: str, artifacts: Path
) -> None:
    page = context.new_page()
    page.add_init_script(speed_script(100))
    screen(page, server.url)
    start_session(page, server.url)
    page.wait_for_function("() => document.documentElement.dataset.sw === 'registered'")
    sid = session_id(page)
    page.get_by_role("button", name="Start with voice").click()
    server.stop()
    log_now(page, 0)
    expect(page.locator("#g-status")).to_contain_text("kept on this device")
    log_now(page, 1)
    expect(page.locator("#outbox-note")).to_contain_text("2 sets are kept on this device")
    page.screenshot(path=str(artifacts / f"guide-{size}-offline.png"))
    page.reload()  # the service worker still opens the page while the server is away
    expect(page.locator("#outbox-note")).to_contain_text("2 sets are kept")
    server.start()
    expect(page.locator("html")).to_have_attribute("data-outbox", "0", timeout=30_000)
    logged = page.request.get(f"{server.url}/api/sessions/{sid}/sets").json()
    assert sorted(s["set_index"] for s in logged) == [1, 2]
    page.wait_for_timeout(4_000)  # another retry round: still exactly once
    assert len(page.request.get(f"{server.url}/api/sessions/{sid}/sets").json()) == 2


def test_switch_sides_is_said_between_the_sides(
    context: BrowserContext, server: Server, size: str
) -> None:
    page = context.new_page()
    page.add_init_script(speed_script(100))
    screen(page, server.url)
    steps = start_session(page, server.url)
    switch = next(
        i
        for i in range(len(steps) - 1)
        if steps[i]["exercise_id"] == steps[i + 1]["exercise_id"]
        and steps[i]["side"] != steps[i + 1]["side"]
    )
    page.get_by_role("button", name="Start with voice").click()
    for index in range(switch + 1):
        log_now(page, index)
        expect(page.locator("#guide")).not_to_have_attribute("data-step", str(index))
    said = spoken(page)
    assert said.count("Switch sides.") == 1, said
    at = said.index("Switch sides.")
    assert said[at - 1] == one_set_said(steps[switch])[-1]  # right after the last set's end
    assert said[at + 1] == one_set_said(steps[switch + 1])[0]  # then the other side's intro
    assert steps[switch + 1]["side"].capitalize() + " side." in said[at + 1]
