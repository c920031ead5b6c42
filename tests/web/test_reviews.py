"""Form review at home (no Celery): a clip posted to ``/api/reviews`` is streamed to the person's
private folder, analysed by the server's review thread with the real vision code, and shown on
the person's own record with its annotated video; uploads have their own streamed limit (413
with a message, nothing kept), must be sent as a video from this site, and a review left
unfinished by a stopped server is finished when it starts again."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.live_replay import FPS, bridge_set
from tests.vision import synth
from tests.web.conftest import MONDAY, SCREENING_FORM, Web, local_client

from glutecoach import form_reviews
from glutecoach.cli.live_wiring import analyse_for_review
from glutecoach.services import open_database
from glutecoach.store.people import person_id
from glutecoach.web.app import create_app
from glutecoach.web.deps import get_today

pytestmark = pytest.mark.vision
cv2 = pytest.importorskip("cv2")
LIMIT = 64 * 1024  # a small clip limit, so a refused upload is cheap to send


def bridge_bytes(tmp_path: Path) -> bytes:
    """A glute bridge set as a landmark recording (.npz): 3 reps, the 2nd one short."""
    from glutecoach.vision.recording import LandmarkRecording, save_recording

    _, rows = bridge_set()
    path = tmp_path / "bridge.npz"
    save_recording(path, LandmarkRecording(rows, FPS, synth.WIDTH, synth.HEIGHT))
    return path.read_bytes()


def home_app(store_url: str, analyser: Any = analyse_for_review, limit: int = LIMIT) -> Any:
    app = create_app(store_url, review_analyser=analyser, max_clip=limit)
    app.dependency_overrides[get_today] = lambda: MONDAY
    return app


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Web]]:
    monkeypatch.setenv(form_reviews.CLIPS_ENV, str(tmp_path / "clips"))
    app = home_app(f"sqlite:///{tmp_path / 'home.db'}")
    with local_client(app) as client:
        web = Web(client, {"today": MONDAY})
        assert web.post_form("/screening", SCREENING_FORM).status_code == 200
        yield app, web
    app.state.web.close()


def send(web: Web, body: Any, exercise: str = "glute_bridge", **headers: str) -> Any:
    sent = {"Content-Type": "video/webm", **headers}
    return web.client.post(
        f"/api/reviews?exercise={exercise}&suffix=.npz", content=body, headers=sent
    )


def person_folder(tmp_path: Path) -> Path:
    (folder,) = (tmp_path / "clips").glob("person-*")
    return folder


def test_a_recorded_set_is_analysed_at_home_and_shown_on_the_own_record(
    home: tuple[Any, Web], tmp_path: Path
) -> None:
    app, web = home
    reply = send(web, bridge_bytes(tmp_path))
    assert reply.status_code == 202, reply.text
    review_id = reply.json()["id"]
    assert reply.json()["url"] == f"/reviews/{review_id}"
    app.state.reviews.wait_idle()
    review = web.get(f"/api/reviews/{review_id}").json()
    assert review["status"] == "done", review
    result = review["result"]
    assert result["reps"] == 3 and result["view"] == "side"
    assert [(e["rep"], e["fault"]) for e in result["events"] if not e["possible"]] == [
        (2, "incomplete_hip_extension")
    ]
    folder = person_folder(tmp_path)
    video = folder / result["video"]
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct(video.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.suffix for p in folder.iterdir()) == [".npz", ".webm"]  # clip and video
    served = web.get(f"/reviews/{review_id}/video")
    assert served.status_code == 200 and served.content == video.read_bytes()
    assert served.headers["content-type"] == "video/webm"
    part = web.get(f"/reviews/{review_id}/video", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100  # seekable in the browser
    page = web.get(f"/reviews/{review_id}")
    assert page.status_code == 200
    fault_t = result["events"][0]["t"]
    assert f'data-seek="{fault_t}"' in page.text and "incomplete hip extension" in page.text
    assert '<video id="r-video"' in page.text
    listing = web.get("/reviews")
    assert f'href="/reviews/{review_id}"' in listing.text
    assert [r["id"] for r in web.get("/api/reviews").json()] == [review_id]
    assert 'href="/reviews"' in web.get("/progress").text  # reached from the own record


def test_another_persons_review_is_not_found(tmp_path: Path, home: tuple[Any, Web]) -> None:
    app, web = home
    reply = send(web, bridge_bytes(tmp_path))
    review_id = reply.json()["id"]
    app.state.reviews.wait_idle()
    other = create_app(app.state.web.store_url, person="Someone Else")
    with local_client(other) as client:
        for path in (f"/reviews/{review_id}", f"/reviews/{review_id}/video"):
            assert client.get(path).status_code == 404, path
        assert client.get(f"/api/reviews/{review_id}").status_code == 404
        assert client.get("/api/reviews").json() == []
    other.state.web.close()


def test_uploads_have_their_own_streamed_limit_and_must_be_a_video_from_this_site(
    home: tuple[Any, Web], tmp_path: Path
) -> None:
    _, web = home
    declared = send(web, b"x" * (LIMIT + 1))  # Content-Length says too much: not read at all
    assert declared.status_code == 413 and "64 kB" in declared.json()["detail"]

    def stream() -> Iterator[bytes]:  # chunked, no length: counted while streamed to disk
        for _ in range(4):
            yield b"y" * (LIMIT // 2)

    streamed = send(web, stream())
    assert streamed.status_code == 413, streamed.text
    assert "larger than" in streamed.json()["detail"]
    form_post = send(web, b"clip", **{"Content-Type": "text/plain"})
    assert form_post.status_code == 415  # what another site's form could send
    foreign = send(web, b"clip", Origin="http://evil.example")
    assert foreign.status_code == 403
    assert send(web, b"clip", exercise="nope").status_code == 400
    assert send(web, b"").status_code == 400
    clips = tmp_path / "clips"
    assert not [p for p in clips.rglob("*") if p.is_file()], "a refused upload was kept"
    assert web.get("/api/reviews").json() == []
    # the rest of the app keeps its 256 kB limit
    big = web.client.post(
        "/api/checkins",
        content=b"{" + b" " * 300_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413


def test_without_the_analysis_or_a_record_the_upload_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(form_reviews.CLIPS_ENV, str(tmp_path / "clips"))
    url = f"sqlite:///{tmp_path / 'bare.db'}"
    bare = home_app(url, analyser=None)
    with local_client(bare) as client:
        web = Web(client, {"today": MONDAY})
        unscreened = send(web, b"clip")
        assert unscreened.status_code == 503 and "camera extra" in unscreened.json()["detail"]
    bare.state.web.close()
    screened_not = home_app(url)
    with local_client(screened_not) as client:
        reply = send(Web(client, {"today": MONDAY}), b"clip")
        assert reply.status_code == 409 and "screening" in reply.json()["detail"]
    screened_not.state.web.close()


def test_a_review_left_running_by_a_stopped_server_is_finished_on_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(form_reviews.CLIPS_ENV, str(tmp_path / "clips"))
    url = f"sqlite:///{tmp_path / 'home.db'}"
    store = open_database(url)
    try:
        from glutecoach.store.people import ensure_person

        with store.transaction() as db:
            pid = ensure_person(db, now=dt.datetime(2026, 1, 5, 9))
        clip = form_reviews.save_clip(
            bridge_bytes(tmp_path), ".npz", form_reviews.person_folder(pid)
        )
        with store.transaction() as db:
            review_id = form_reviews.create_review(
                db, pid, "glute_bridge", clip, dt.datetime(2026, 1, 5, 9)
            )
            form_reviews.claim(db, review_id, "home")  # the server stopped mid-analysis
    finally:
        store.close()
    app = home_app(url)
    with local_client(app) as client:  # starting the app resumes the review
        deadline = time.monotonic() + 120
        while client.get(f"/api/reviews/{review_id}").json()["status"] != "done":
            assert time.monotonic() < deadline, "the unfinished review was not resumed"
            time.sleep(0.1)
        assert client.get(f"/api/reviews/{review_id}").json()["result"]["reps"] == 3
    app.state.web.close()


def test_a_person_deletes_a_review_with_its_clip_and_video(
    home: tuple[Any, Web], tmp_path: Path
) -> None:
    """From the review's page (a form with the CSRF token) or the API: the row, the clip and
    the video are gone; another person cannot delete it; a review still being analysed is
    refused with a message (409) and kept."""
    app, web = home
    first = send(web, bridge_bytes(tmp_path)).json()["id"]
    second = send(web, bridge_bytes(tmp_path)).json()["id"]
    app.state.reviews.wait_idle()
    folder = person_folder(tmp_path)
    assert len(list(folder.iterdir())) == 4  # two clips, two videos
    other = create_app(app.state.web.store_url, person="Someone Else")
    with local_client(other) as client:
        assert client.request("DELETE", f"/api/reviews/{first}", json={}).status_code == 404
    other.state.web.close()
    page = web.get(f"/reviews/{first}")
    assert f'action="/reviews/{first}/delete"' in page.text
    gone = web.post_form(f"/reviews/{first}/delete", {}, follow=True)
    assert gone.status_code == 200 and "were deleted" in gone.text  # followed to /reviews
    assert web.client.post(f"/reviews/{second}/delete").status_code == 403  # no CSRF token
    assert web.get(f"/reviews/{first}").status_code == 404
    assert len(list(folder.iterdir())) == 2
    assert web.api("DELETE", f"/api/reviews/{second}").status_code == 204
    assert list(folder.iterdir()) == [] and web.get("/api/reviews").json() == []
    assert web.api("DELETE", f"/api/reviews/{second}").status_code == 404
    store = open_database(app.state.web.store_url)  # a review a worker is analysing now
    try:
        with store.transaction() as db:
            pid = person_id(db)
            assert pid is not None
            clip = form_reviews.person_folder(pid) / "being-analysed.npz"
            clip.write_bytes(bridge_bytes(tmp_path))
            now = dt.datetime(2026, 1, 5, 9, 0)
            running = form_reviews.create_review(db, pid, "glute_bridge", clip, now)
            assert form_reviews.claim(db, running, "a worker") is not None
    finally:
        store.close()
    refused = web.api("DELETE", f"/api/reviews/{running}")
    assert refused.status_code == 409 and "still being analysed" in refused.text
    assert web.get(f"/api/reviews/{running}").status_code == 200 and clip.exists()
