"""Recording a set for review in the live session, in Debian's Chromium with a fake camera.

- Nothing is recorded until "Record this set for review" is ticked; then a red indicator shows
  while MediaRecorder records the camera's own stream (real pixels: a photo of a person).
- Set done sends the clip to the home server, whose review thread analyses it with the real
  pose model and renders the annotated video; the person's review page plays it.
- A recorded bridge set's review page: the fault's link seeks the video to the fault's time.
- Unticking the box (or Camera off) discards the clip in progress: nothing more is sent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect
from tests.live_replay import FPS, bridge_set
from tests.vision import synth
from tests.web.browser_support import CAPTURE, Server, answer, screen, start_session
from tests.web.fake_camera import launch_with_fake_camera
from tests.web.test_browser_pages import check

pytestmark = [pytest.mark.browser, pytest.mark.vision]
cv2 = pytest.importorskip("cv2")
expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def camera_browser(
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Browser]:
    folder = tmp_path_factory.mktemp("review-camera")
    browser = launch_with_fake_camera(browser_type, browser_type_launch_args, folder)
    yield browser
    browser.close()


@pytest.fixture
def page(camera_browser: Browser) -> Iterator[Page]:
    context = camera_browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CAPTURE)
    yield context.new_page()
    context.close()


def finished_review(page: Page, server: Server, review_id: int, timeout: float = 180) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        review = page.request.get(f"{server.url}/api/reviews/{review_id}").json()
        if review["status"] in ("done", "failed"):
            return review
        time.sleep(0.25)
    raise AssertionError(f"review {review_id} not finished after {timeout:.0f} s")


def fill_the_set(page: Page) -> None:
    field = "#g-hold" if page.locator("#g-kind").input_value() == "hold" else "#g-reps"
    page.locator(field).fill("8")
    answer(page)


def test_a_set_recorded_in_the_live_session_becomes_a_review_with_its_video(
    page: Page, server: Server, artifacts: Path
) -> None:
    screen(page, server.url)
    start_session(page, server.url)
    panel = page.locator("#live")
    expect(page.locator("#l-record-box")).to_be_hidden()  # no camera, no recording
    page.get_by_role("button", name="Use camera").click()
    expect(page.locator("#l-on")).to_be_visible()
    box = page.get_by_label("Record this set for review")
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    expect(panel).to_have_attribute("data-recording", "no")  # not until the person asks
    expect(page.locator("#l-rec")).to_be_hidden()
    box.check()
    expect(page.locator("#l-rec")).to_be_visible()
    expect(page.locator("#l-rec")).to_have_text("● Recording this set")
    expect(panel).to_have_attribute("data-recording", "yes")
    page.locator("#live").screenshot(path=str(artifacts / "review-recording.png"))
    page.screenshot(path=str(artifacts / "review-recording-badges.png"))  # both badges in sight
    page.wait_for_timeout(3000)  # a few seconds of the set
    fill_the_set(page)
    page.locator("#g-done").click()
    expect(page.locator("#g-status")).to_have_text("Set saved.")
    expect(panel).to_have_attribute("data-review", "sent")
    link = page.locator("#l-review-link")
    expect(link).to_be_visible()
    review_id = int((link.get_attribute("href") or "").rsplit("/", 1)[1])
    expect(page.locator("#l-review")).to_contain_text("analysing it on this computer")

    review = finished_review(page, server, review_id)
    assert review["status"] == "done", review
    result = review["result"]
    assert result["frames"] >= 10  # seconds of camera frames, really recorded
    assert result["video_frames"] == result["frames"]  # every frame drawn again
    # the frame rate is measured from the recording's frame times (a busy machine's camera
    # gives fewer frames), so the clip lasts the seconds it was recorded for (3 s and the form)
    assert 2.5 <= result["frames"] / result["fps"] <= 30, (result["frames"], result["fps"])
    page.goto(f"{server.url}/reviews/{review_id}")
    video = page.locator("#r-video")
    expect(video).to_be_visible()
    page.wait_for_function("() => document.getElementById('r-video').readyState >= 2")
    size = page.evaluate(
        "() => ['videoWidth', 'videoHeight'].map(k => document.getElementById('r-video')[k])"
    )
    assert size == [640, 480]
    page.screenshot(path=str(artifacts / "review-page-recorded.png"), full_page=True)
    # the clip really is the camera's: a frame of the stored video shows the skeleton drawn
    home = server.home
    (stored,) = list(home.rglob(f"review-{review_id}.webm"))
    capture = cv2.VideoCapture(str(stored))
    ok, first = capture.read()
    capture.release()
    assert ok and first.shape[:2] == (480, 640)


def test_a_fault_link_seeks_the_video_and_unticking_discards_the_clip(
    page: Page, server: Server, artifacts: Path, tmp_path: Path
) -> None:
    from glutecoach.vision.recording import LandmarkRecording, save_recording

    screen(page, server.url)
    _, rows = bridge_set()
    npz = tmp_path / "bridge.npz"
    save_recording(npz, LandmarkRecording(rows, FPS, synth.WIDTH, synth.HEIGHT))
    sent = page.request.post(
        f"{server.url}/api/reviews?exercise=glute_bridge&suffix=.npz",
        data=npz.read_bytes(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert sent.status == 202, sent.text()
    review_id = sent.json()["id"]
    result = finished_review(page, server, review_id)["result"]
    (fault,) = [e for e in result["events"] if not e["possible"]]
    page.goto(f"{server.url}/reviews/{review_id}")
    page.wait_for_function("() => document.getElementById('r-video').readyState >= 1")
    page.locator(f'a[data-seek="{fault["t"]}"]').first.click()
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('r-video').currentTime - {fault['t']}) < 0.6"
    )
    expect(page.locator("#r-events")).to_contain_text("incomplete hip extension")
    page.screenshot(path=str(artifacts / "review-page-fault.png"), full_page=True)
    shots = artifacts / "pages"
    shots.mkdir(exist_ok=True)
    check(page, "21-review", "laptop", shots)  # axe-core: no violations, no sideways scroll
    page.goto(f"{server.url}/reviews")
    check(page, "22-reviews", "laptop", shots)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/reviews/{review_id}")
    check(page, "21-review", "phone", shots)
    page.set_viewport_size({"width": 1280, "height": 900})

    # recording, then unticked before the set is done: nothing is sent
    start_session(page, server.url)
    panel = page.locator("#live")
    page.get_by_role("button", name="Use camera").click()
    box = page.get_by_label("Record this set for review")
    box.check()
    expect(panel).to_have_attribute("data-recording", "yes")
    page.wait_for_timeout(1500)
    box.uncheck()
    expect(panel).to_have_attribute("data-recording", "no")
    expect(page.locator("#l-rec")).to_be_hidden()
    expect(page.locator("#l-review")).to_contain_text("nothing of this set was kept")
    fill_the_set(page)
    page.locator("#g-done").click()
    expect(page.locator("#g-status")).to_have_text("Set saved.")
    page.wait_for_timeout(1000)
    assert panel.get_attribute("data-uploads") is None
    assert [r["id"] for r in page.request.get(f"{server.url}/api/reviews").json()] == [review_id]

    # deleted from its page, on a phone: gone from the list
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/reviews/{review_id}")
    page.get_by_role("button", name="Delete this review, its clip and its video").click()
    expect(page.locator("#deleted")).to_contain_text("were deleted")
    check(page, "22-reviews-deleted", "phone", shots)
    assert page.request.get(f"{server.url}/api/reviews").json() == []
