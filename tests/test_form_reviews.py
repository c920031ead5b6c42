"""A form review's job stores its result and its video once, on SQLite and PostgreSQL: an
attempt killed mid-render, a second delivery racing the first, a late duplicate, progress while
it runs, a clip that cannot be analysed, a crash that leaves the review for another attempt.
Clips are streamed to disk under their limit; a refused upload leaves nothing behind."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.live_replay import FPS, bridge_set
from tests.vision import synth

from glutecoach import form_reviews as fr
from glutecoach.errors import InputError
from glutecoach.form_review_job import run_review
from glutecoach.inputs import DEFAULT_PERSON
from glutecoach.store.clinic_tables import ClinicReviewRow
from glutecoach.store.db import Store
from glutecoach.store.people import ensure_person

NOW = dt.datetime(2026, 3, 2, 9, 0)


def _now() -> dt.datetime:
    return NOW


@pytest.fixture
def clips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(fr.CLIPS_ENV, str(tmp_path / "clips"))
    return tmp_path / "clips"


def a_review(store: Store, source: Path) -> tuple[int, int, Path]:
    """(person id, review id, the person's folder) for a review of a copy of ``source``."""
    with store.transaction() as db:
        pid = ensure_person(db, now=NOW)
    folder = fr.person_folder(pid)
    clip = folder / f"clip{source.suffix}"
    shutil.copy(source, clip)
    with store.transaction() as db:
        review_id = fr.create_review(db, pid, "glute_bridge", clip, NOW)
    return pid, review_id, folder


def row(store: Store, review_id: int) -> ClinicReviewRow:
    with store.transaction() as db:
        found = db.get(ClinicReviewRow, review_id)
        assert found is not None
        db.expunge(found)
        return found


def fake_analyse(content: bytes, result: dict[str, Any] | None = None) -> fr.Analyse:
    def analyse(clip: Path, exercise_id: str, video: Path, report: fr.Report) -> dict[str, Any]:
        video.write_bytes(content)
        return result or {"reps": 3, "by": content.decode()}

    return analyse


def test_a_killed_attempt_a_race_and_a_late_duplicate_leave_one_result_and_one_video(
    store: Store, clips: Path, tmp_path: Path
) -> None:
    source = tmp_path / "set.npz"
    source.write_bytes(b"not used by the fake analysis")
    pid, review_id, folder = a_review(store, source)
    # attempt 1 is killed mid-render: claimed, half a video written, never finished
    with store.transaction() as db:
        assert fr.claim(db, review_id, "w1") is not None
    killed = fr.partial_video(pid, review_id, "w1")
    killed.write_bytes(b"half a video")
    assert oct(killed.stat().st_mode & 0o777) == "0o600"

    # attempt 2 is delivered again, and while it renders attempt 3 races it and finishes first
    def slow_analyse(clip: Path, exercise_id: str, video: Path, report: fr.Report) -> Any:
        inner = run_review(store, review_id, "w3", fake_analyse(b"by w3"), _now)
        assert inner == "stored"
        video.write_bytes(b"by w2")
        return {"reps": 3, "by": "w2"}

    assert run_review(store, review_id, "w2", slow_analyse, _now) == "already finished"
    stored = row(store, review_id)
    assert (stored.status, stored.result, stored.attempts) == (
        fr.DONE,
        {"reps": 3, "by": "by w3", "video": f"review-{review_id}.webm"},
        3,
    )
    assert sorted(p.name for p in folder.iterdir()) == ["clip.npz", f"review-{review_id}.webm"]
    video = folder / f"review-{review_id}.webm"
    assert video.read_bytes() == b"by w3"
    assert oct(video.stat().st_mode & 0o777) == "0o600"
    # a late duplicate delivery changes nothing
    assert run_review(store, review_id, "w4", fake_analyse(b"by w4"), _now) == ("already finished")
    assert row(store, review_id).result == stored.result
    assert video.read_bytes() == b"by w3"
    assert sorted(p.name for p in folder.iterdir()) == ["clip.npz", video.name]
    review = fr.own_review(store, DEFAULT_PERSON, review_id)
    assert review is not None and fr.video_file(review) == video


def test_progress_failure_and_crash(store: Store, clips: Path, tmp_path: Path) -> None:
    source = tmp_path / "set.mp4"
    source.write_bytes(b"x")
    _, review_id, folder = a_review(store, source)
    seen: list[float] = []

    def crashing(clip: Path, exercise_id: str, video: Path, report: fr.Report) -> Any:
        report(0.5)
        seen.append(row(store, review_id).progress)
        video.write_bytes(b"half")
        raise RuntimeError("the worker's machine fell over")

    with pytest.raises(RuntimeError):
        run_review(store, review_id, "w1", crashing, _now)
    assert seen == [0.5]  # progress is written while the job runs
    assert row(store, review_id).status == fr.RUNNING  # left for another attempt
    assert [p.name for p in folder.iterdir()] == ["clip.mp4"]  # its partial video removed

    def unusable(clip: Path, exercise_id: str, video: Path, report: fr.Report) -> Any:
        raise fr.ClipUnusable("clip.mp4: cannot decode any frame of this video")

    assert run_review(store, review_id, "w2", unusable, _now) == "stored"
    failed = row(store, review_id)
    assert (failed.status, failed.result) == (fr.FAILED, None)
    assert failed.error is not None and "cannot decode" in failed.error
    assert [p.name for p in folder.iterdir()] == ["clip.mp4"]
    review = fr.own_review(store, DEFAULT_PERSON, review_id)
    assert review is not None and fr.video_file(review) is None


@pytest.mark.vision
def test_the_real_analysis_renders_every_frame(store: Store, clips: Path, tmp_path: Path) -> None:
    cv2 = pytest.importorskip("cv2")
    from glutecoach.vision.recording import LandmarkRecording, save_recording
    from glutecoach.vision.review_video import review_clip

    _, rows = bridge_set()
    source = tmp_path / "bridge.npz"
    save_recording(source, LandmarkRecording(rows, FPS, synth.WIDTH, synth.HEIGHT))
    _, review_id, folder = a_review(store, source)

    def analyse(clip: Path, exercise_id: str, video: Path, report: fr.Report) -> Any:
        return review_clip(clip, exercise_id, video, report)

    assert run_review(store, review_id, "home", analyse, _now) == "stored"
    result = row(store, review_id).result
    assert result is not None and result["reps"] == 3 and result["frames"] == len(rows)
    capture = cv2.VideoCapture(str(folder / result["video"]))
    frames = 0
    while capture.read()[0]:
        frames += 1
    assert frames == len(rows)
    assert [(e["rep"], e["fault"]) for e in result["events"] if not e["possible"]] == [
        (2, "incomplete_hip_extension")
    ]


async def chunks(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def test_uploads_are_streamed_under_their_limit_and_nothing_is_left_when_refused(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "person"
    folder.mkdir()
    saved = asyncio.run(fr.save_clip_stream(chunks([b"a" * 10, b"b" * 10]), "webm", folder, 20))
    assert saved.read_bytes() == b"a" * 10 + b"b" * 10 and saved.suffix == ".webm"
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(fr.ClipTooLarge, match="larger than"):
        asyncio.run(fr.save_clip_stream(chunks([b"a" * 15, b"b" * 15]), ".webm", folder, 20))
    with pytest.raises(InputError, match="empty"):
        asyncio.run(fr.save_clip_stream(chunks([]), ".webm", folder, 20))
    with pytest.raises(InputError, match="use one of"):
        asyncio.run(fr.save_clip_stream(chunks([b"a"]), ".exe", folder, 20))
    assert list(folder.iterdir()) == [saved]  # the refused ones left no file


def test_deleting_a_review_removes_the_row_the_clip_and_the_video_once_it_has_ended(
    store: Store, clips: Path, tmp_path: Path
) -> None:
    source = tmp_path / "set.npz"
    source.write_bytes(b"a clip")
    _pid, review_id, folder = a_review(store, source)
    with store.transaction() as db:
        assert fr.claim(db, review_id, "w1") is not None
    with pytest.raises(fr.ReviewStillRunning, match="still being analysed"):
        fr.delete_own_review(store, DEFAULT_PERSON, review_id)
    assert row(store, review_id).status == fr.RUNNING
    with store.transaction() as db:  # another worker may claim it no more: back to the queue
        db.get(ClinicReviewRow, review_id).status = fr.QUEUED  # type: ignore[union-attr]
    assert run_review(store, review_id, "w2", fake_analyse(b"video"), _now) == "stored"
    assert sorted(p.name for p in folder.iterdir()) == ["clip.npz", fr.video_name(review_id)]
    keep = folder / "another.npz"  # a file the review does not name stays
    keep.write_bytes(b"x")
    assert not fr.delete_own_review(store, "Someone Else", review_id)
    assert fr.delete_own_review(store, DEFAULT_PERSON, review_id)
    assert [p.name for p in folder.iterdir()] == ["another.npz"]
    with store.transaction() as db:
        assert db.get(ClinicReviewRow, review_id) is None
    assert not fr.delete_own_review(store, DEFAULT_PERSON, review_id)
