"""The camera coach in Debian's Chromium with a fake camera (a .y4m file played as the webcam).

- Real pixels: a clip made from scikit-image's astronaut photo (a real person, head and
  shoulders) goes through the page, the WebSocket and the real pose model: the placement guide
  finds the person and says the feet are out of frame, then, when the photo leaves the clip,
  that nobody is in the picture.
- A recorded landmark sequence (a glute bridge set, one rep short of full hip extension) played
  through the same page and socket: the right rep count and hold, one spoken cue for the fault,
  the set log filled and saved with the camera's form summary.
- Camera off: no live track, no socket, no session left on the server.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect
from tests.live_replay import HOLD_S, bridge_set
from tests.web.browser_support import CAPTURE, Server, answer, screen, start_session
from tests.web.fake_camera import launch_with_fake_camera

pytestmark = [pytest.mark.browser, pytest.mark.vision]
cv2 = pytest.importorskip("cv2")
pytest.importorskip("skimage.data")
expect.set_options(timeout=30_000)

BRIDGES = {"glute_bridge", "banded_glute_bridge"}


@pytest.fixture(scope="module")
def camera_browser(
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Browser]:
    folder = tmp_path_factory.mktemp("camera")
    browser = launch_with_fake_camera(browser_type, browser_type_launch_args, folder)
    yield browser
    browser.close()


@pytest.fixture
def page(camera_browser: Browser) -> Iterator[Page]:
    context = camera_browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CAPTURE)
    yield context.new_page()
    context.close()


def _camera_on(page: Page, server: Server) -> list[dict[str, Any]]:
    screen(page, server.url)
    steps = start_session(page, server.url)
    page.get_by_role("button", name="Use camera").click()
    expect(page.locator("#l-on")).to_be_visible()
    expect(page.locator("#l-on")).to_have_text("● Camera on")
    return steps


def _nothing_running(page: Page, server: Server) -> None:
    page.get_by_role("button", name="Camera off").click()
    expect(page.locator("#l-on")).to_be_hidden()
    assert page.evaluate("() => window.GCLive.running()") == {"tracks": 0, "socket": None}
    assert page.evaluate("() => document.getElementById('l-video').srcObject") is None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        status = page.request.get(f"{server.url}/api/live/status").json()
        if status["sessions"] == 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"a camera session is still open on the server: {status}")


def test_real_pixels_the_placement_guide_finds_the_person_and_notices_them_leave(
    page: Page, server: Server, artifacts: Path
) -> None:
    _camera_on(page, server)
    panel = page.locator("#live")
    expect(page.locator("#l-advice")).to_contain_text("Where the camera goes")
    # the astronaut is a head-and-shoulders photo: found, but the legs are not in the picture
    expect(panel).to_have_attribute("data-person", "yes")
    expect(panel).to_have_attribute("data-placement", "adjust")
    expect(page.locator("#l-place")).to_contain_text("out of frame")
    expect(page.locator("#l-place")).to_contain_text("feet")
    page.locator("#l-view").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "live-placement-person.png"))
    # then the photo leaves the clip: nobody in the picture
    expect(panel).to_have_attribute("data-person", "no")
    expect(page.locator("#l-place")).to_contain_text("step into the picture")
    said = page.evaluate("() => window.__spoken.slice()")
    placement_words = ("out of frame", "Turn sideways", "can't see you")
    assert any(w in s for s in said for w in placement_words), said  # said out loud too
    _nothing_running(page, server)


def test_a_recorded_set_counts_times_cues_once_and_fills_the_set_log(
    page: Page, server: Server, artifacts: Path
) -> None:
    steps = _camera_on(page, server)
    assert steps[0]["exercise_id"] in BRIDGES, steps[0]
    session_id = json.loads(page.locator("#guide").get_attribute("data-guide") or "{}")[
        "session_id"
    ]
    times, rows = bridge_set()
    frames = [
        {"t": t, "landmarks": [[None if math.isnan(v) else v for v in r] for r in row.tolist()]}
        for t, row in zip(times, rows, strict=True)
    ]
    page.evaluate("() => { window.__spoken.length = 0; }")
    played = page.evaluate("frames => window.GCLive.replay(frames)", frames)
    assert played == len(frames)
    panel = page.locator("#live")
    expect(panel).to_have_attribute("data-reps", "3")
    expect(page.locator("#l-reps")).to_have_text("3")
    best = float(panel.get_attribute("data-best-hold") or 0)
    assert HOLD_S - 0.5 <= best <= HOLD_S + 1.5
    expect(panel).to_have_attribute("data-cues", "1")
    cue = page.locator("#l-cue").inner_text()
    assert "straight line" in cue
    said = page.evaluate("() => window.__spoken.slice()")
    assert said.count(cue) == 1, said
    # the set log is filled; the person checks it and taps Set done
    expect(page.locator("#g-reps")).to_have_value("3")
    expect(page.locator("#l-note")).to_contain_text("3 reps, 2 with good form")
    page.locator("#live").screenshot(path=str(artifacts / "live-set.png"))
    # the person corrects the count; the camera, still watching, does not overwrite it
    page.locator("#g-reps").fill("4")
    rest = [{"t": times[-1] + (i + 1) / 15, "landmarks": frames[-1]["landmarks"]} for i in range(5)]
    page.evaluate("frames => window.GCLive.replay(frames, true)", rest)
    expect(panel).to_have_attribute("data-answered", str(len(frames) + len(rest)))
    expect(page.locator("#g-reps")).to_have_value("4")
    expect(page.locator("#l-note")).to_contain_text("You changed it to 4")
    answer(page)
    page.locator("#g-done").click()
    expect(page.locator("#g-status")).to_have_text("Set saved.")
    sets = page.request.get(f"{server.url}/api/sessions/{session_id}/sets").json()
    assert len(sets) == 1 and sets[0]["reps"] == 4  # as corrected; the form as measured
    form = sets[0]["form"]
    assert form["source"] == "camera"
    assert form["reps_observed"] == 3 and form["good_form_reps"] == 2
    assert form["faults"] == {"incomplete_hip_extension": 1}
    _nothing_running(page, server)
