"""The annotated review video, on real parts: redis-server, PostgreSQL, a Celery worker and the
real pose model.

- A patient uploads two clips through the clinic app: a real-pixel clip (a photo of a person,
  analysed by the pose model) and a recorded glute bridge set (landmarks: three reps, one short
  of full hip extension). The worker stores each result with an annotated WebM video that
  decodes to as many frames as the source, with the skeleton drawn on them; progress is seen
  while it runs. A frame is saved as a PNG to look at.
- Only that patient and their clinician get the video and the review page (the clinician's
  views audited); the other patient and the other clinician get 404 and leave no audit row.
- The review page lists the fault with a link to its moment in the video.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select
from tests.clinic.conftest import Party
from tests.clinic.workers import kill_group, make_clips, redis_server, start_worker
from tests.live_replay import FPS, bridge_set
from tests.vision import synth
from tests.web.conftest import artifacts_folder

from glutecoach.clinic import reviews
from glutecoach.clinic.worker import BROKER_ENV
from glutecoach.store.clinic_tables import ClinicAuditRow, ClinicReviewRow
from glutecoach.store.db import open_store
from glutecoach.vision.recording import LandmarkRecording, save_recording

pytestmark = [pytest.mark.postgres, pytest.mark.vision]
cv2 = pytest.importorskip("cv2")
GREEN_BGR = (80, 200, 80)  # the skeleton's colour (vision/annotate.py)


def bridge_recording(path: Path) -> Path:
    """A glute bridge set as a landmark recording (.npz): 3 reps, the 2nd one short."""
    _, rows = bridge_set()
    save_recording(path, LandmarkRecording(rows, FPS, synth.WIDTH, synth.HEIGHT))
    return path


def decoded(path: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    return frames


def skeleton_pixels(frame: np.ndarray) -> int:
    """Pixels of the skeleton's green (within what VP8 compression leaves of it)."""
    close = np.abs(frame.astype(int) - np.array(GREEN_BGR)).max(axis=2) < 45
    return int(close.sum())


def review_rows(pg_url: str) -> list[ClinicReviewRow]:
    store = open_store(pg_url)
    try:
        with store.transaction() as db:
            return list(db.scalars(select(ClinicReviewRow).order_by(ClinicReviewRow.id)))
    finally:
        store.close()


def audit_rows(pg_url: str) -> list[tuple[int, int, str]]:
    store = open_store(pg_url)
    try:
        with store.transaction() as db:
            rows = db.scalars(select(ClinicAuditRow).order_by(ClinicAuditRow.id))
            return [(r.clinician_id, r.person_id, r.action) for r in rows]
    finally:
        store.close()


def upload(party: Party, clip: Path, exercise: str) -> int:
    reply = party.patient.post(
        f"/clinic/reviews?exercise={exercise}&suffix={clip.suffix}",
        content=clip.read_bytes(),
        headers={"Content-Type": "video/mp4"},
    )
    assert reply.status_code == 202, reply.text
    review_id: int = reply.json()["id"]
    return review_id


def analysed(pg_url: str, ids: list[int], timeout: float) -> tuple[list[Any], set[float]]:
    """Wait until every review is finished; also the progress values seen on the way."""
    seen: set[float] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [r for r in review_rows(pg_url) if r.id in ids]
        seen |= {r.progress for r in found if r.status == reviews.RUNNING}
        if len(found) == len(ids) and all(
            r.status in (reviews.DONE, reviews.FAILED) for r in found
        ):
            return found, seen
        time.sleep(0.05)
    raise AssertionError(f"reviews {ids} not finished after {timeout:.0f} s")


def test_the_worker_renders_a_review_video_only_the_patient_and_their_clinician_see(
    two_parties: tuple[Party, Party],
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    a, b = two_parties
    clips_dir = tmp_path / "clips"
    monkeypatch.setenv(reviews.CLIPS_ENV, str(clips_dir))
    photo_clip = make_clips(tmp_path, 1, frames=45)[0]
    bridge = bridge_recording(tmp_path / "bridge.npz")
    with redis_server(tmp_path) as broker:
        monkeypatch.setenv(BROKER_ENV, broker)
        env = {
            "GLUTECOACH_DATABASE_URL": pg_url,
            "GLUTECOACH_BROKER_URL": broker,
            reviews.CLIPS_ENV: str(clips_dir),
            "GLUTECOACH_HOME": str(tmp_path / "home"),
            "GLOG_minloglevel": "2",
        }
        worker = start_worker("w1", env, tmp_path / "w1.log")
        try:
            photo_id = upload(a, photo_clip, "bodyweight_squat")
            bridge_id = upload(a, bridge, "glute_bridge")
            done, progress_seen = analysed(pg_url, [photo_id, bridge_id], 300)
        finally:
            kill_group(worker)
    assert [(r.id, r.status, r.error) for r in done] == [
        (photo_id, reviews.DONE, None),
        (bridge_id, reviews.DONE, None),
    ]
    assert any(0 < p < 1 for p in progress_seen), progress_seen  # progress while it ran
    by_id = {r.id: r for r in done}
    folder = clips_dir / f"person-{a.person_id}"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    videos = sorted(p.name for p in folder.glob("*.webm"))
    assert videos == [f"review-{photo_id}.webm", f"review-{bridge_id}.webm"], videos
    assert not list(folder.glob("*.partial*")), "a partial video was left behind"

    # real pixels: every source frame comes back, with the skeleton drawn on the person
    photo_video = folder / f"review-{photo_id}.webm"
    assert oct(photo_video.stat().st_mode & 0o777) == "0o600"
    assert by_id[photo_id].result["video"] == photo_video.name
    frames, source = decoded(photo_video), decoded(photo_clip)
    assert abs(len(frames) - len(source)) <= 1, (len(frames), len(source))
    assert by_id[photo_id].result["video_frames"] == len(source)
    middle = len(frames) // 2
    assert skeleton_pixels(frames[middle]) > skeleton_pixels(source[middle]) + 150
    artifacts = artifacts_folder(tmp_path_factory.getbasetemp())
    artifacts.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(artifacts / "review-video-frame.png"), frames[middle])

    # the recorded bridge set: three reps, the fault at the second rep's start, the video long
    bridge_result = by_id[bridge_id].result
    assert bridge_result["reps"] == 3
    (event,) = [e for e in bridge_result["events"] if not e["possible"]]
    assert (event["fault"], event["rep"]) == ("incomplete_hip_extension", 2)
    second = bridge_result["rep_list"][1]
    assert event["t"] == second["start_s"] and 0 < event["t"] < second["end_s"]
    bridge_frames = decoded(folder / f"review-{bridge_id}.webm")
    assert abs(len(bridge_frames) - bridge_result["frames"]) <= 1
    during_fault = bridge_frames[round((event["t"] + 1.0) * FPS)]
    assert skeleton_pixels(during_fault) > 150  # drawn on a blank frame: all of it is ours

    # the patient's own page and video
    page = a.patient.get(f"/reviews/{bridge_id}")
    assert page.status_code == 200
    assert f'src="/reviews/{bridge_id}/video"' in page.text
    assert f'data-seek="{event["t"]}"' in page.text and "incomplete hip extension" in page.text
    mine = a.patient.get(f"/reviews/{photo_id}/video")
    assert mine.status_code == 200 and mine.headers["content-type"] == "video/webm"
    assert mine.content == photo_video.read_bytes()
    assert "no-store" in mine.headers["cache-control"]

    # their clinician: page and video, each view audited
    before = audit_rows(pg_url)
    seen_by_clinician = a.clinician.get(f"/clinic/reviews/{photo_id}/video")
    assert seen_by_clinician.status_code == 200
    assert seen_by_clinician.content == photo_video.read_bytes()
    assert a.clinician.get(f"/clinic/reviews/{bridge_id}").status_code == 200
    added = audit_rows(pg_url)[len(before) :]
    assert [(p, action) for _, p, action in added] == [
        (a.person_id, "view review video"),
        (a.person_id, "view review"),
    ]
    queue = a.clinician.get("/clinic/reviews")
    assert f'href="/clinic/reviews/{photo_id}"' in queue.text

    # everyone else: as if there were no such review, and no audit row written
    before = audit_rows(pg_url)
    for path in (
        f"/reviews/{photo_id}/video",
        f"/reviews/{photo_id}",
        f"/api/reviews/{photo_id}",
    ):
        assert b.patient.get(path).status_code == 404, path
    for path in (
        f"/clinic/reviews/{photo_id}/video",
        f"/clinic/reviews/{photo_id}",
        f"/api/clinic/reviews/{photo_id}",
    ):
        assert b.clinician.get(path).status_code == 404, path
        assert a.patient.get(path).status_code == 403, path  # clinicians' routes
    assert audit_rows(pg_url) == before
    assert b.patient.get("/api/reviews").json() == []
