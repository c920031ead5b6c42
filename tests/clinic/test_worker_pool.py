"""Form review on a real worker pool: redis-server + PostgreSQL + two Celery workers.
Twenty clips are analysed by the real pose model, each result stored once; one worker is
killed with SIGKILL in the middle of a job and the other worker finishes that job."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.clinic.conftest import Party
from tests.clinic.workers import kill_group, make_clips, redis_server, start_worker

from glutecoach.clinic import reviews
from glutecoach.clinic.worker import BROKER_ENV, VISIBILITY_ENV, submit
from glutecoach.store.clinic_tables import ClinicReviewRow
from glutecoach.store.db import open_store

pytestmark = [pytest.mark.postgres, pytest.mark.vision]
CLIPS = 20
NOW = dt.datetime(2026, 3, 2, 9, 0)


def rows(pg_url: str) -> list[ClinicReviewRow]:
    store = open_store(pg_url)
    try:
        with store.transaction() as db:
            return list(db.scalars(select(ClinicReviewRow).order_by(ClinicReviewRow.id)))
    finally:
        store.close()


def wait_for(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def test_twenty_clips_two_workers_one_killed_mid_job(
    two_parties: tuple[Party, Party], pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = two_parties
    clips_dir = tmp_path / "clips"
    clips_dir.mkdir()
    monkeypatch.setenv(reviews.CLIPS_ENV, str(clips_dir))
    clips = make_clips(clips_dir, CLIPS, frames=45)
    with redis_server(tmp_path) as broker:
        env = {
            "GLUTECOACH_DATABASE_URL": pg_url,
            "GLUTECOACH_BROKER_URL": broker,
            VISIBILITY_ENV: "5",
            "GLUTECOACH_HOME": str(tmp_path / "home"),
            "GLOG_minloglevel": "2",
        }
        monkeypatch.setenv(BROKER_ENV, broker)
        store = open_store(pg_url)
        try:
            with store.transaction() as db:
                ids = [
                    reviews.create_review(db, a.person_id, "bodyweight_squat", clip, NOW)
                    for clip in clips
                ]
        finally:
            store.close()
        workers = {name: start_worker(name, env, tmp_path / f"{name}.log") for name in ("w1", "w2")}
        try:
            for review_id in ids:
                submit(review_id)
            running = wait_for(
                lambda: [r for r in rows(pg_url) if r.status == reviews.RUNNING and r.worker],
                240,
                "a job to start",
            )[0]
            victim = running.worker.split("@")[0]
            kill_group(workers[victim])
            survivor = "w2" if victim == "w1" else "w1"
            done = wait_for(
                lambda: (
                    (found := rows(pg_url))
                    and all(r.status in (reviews.DONE, reviews.FAILED) for r in found)
                    and found
                ),
                600,
                "all twenty clips",
            )
        finally:
            for proc in workers.values():
                kill_group(proc)
    assert len(done) == CLIPS
    failures = [(r.id, r.error) for r in done if r.status != reviews.DONE]
    assert not failures, failures
    assert all(r.result is not None and r.result["frames"] == 45 for r in done)
    killed = next(r for r in done if r.id == running.id)
    assert killed.attempts >= 2, "the killed job was started again"
    assert killed.worker.startswith(f"{survivor}@"), killed.worker
    assert {r.worker.split("@")[0] for r in done} >= {survivor}
    print(
        f"worker pool: {CLIPS} clips analysed once each; job {killed.id} killed with "
        f"{victim}, finished by {survivor} (attempts {killed.attempts})"
    )
