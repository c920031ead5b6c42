"""Form review on a Celery worker pool (Redis broker, results in PostgreSQL).

Settings (the server and every worker, on any machine, need the same):

* ``GLUTECOACH_DATABASE_URL``: the clinic's PostgreSQL database.
* ``GLUTECOACH_BROKER_URL``: the Redis broker, e.g. ``redis://queue.practice.lan:6379/0``.
* ``GLUTECOACH_CLINIC_CLIPS``: the clips folder, readable by every worker (shared mount).
* ``GLUTECOACH_BROKER_VISIBILITY_S`` (default 900): how long a job a worker took but never
  acknowledged waits before Redis hands it to another worker (a worker killed mid-job).
  It must exceed the hard time limit, or a slow job would be started twice.

Each job analyses the clip and renders its annotated review video (WebM VP8, next to the
clip in the patient's folder); the video is kept only with the result that is stored.

Jobs are acknowledged late (after they finish), each worker process takes one job at a time
(prefetch 1), a job killed with its worker goes back to the queue, a transient database
failure is retried with back-off, and a clip that cannot be analysed is recorded as failed
with the reason (never retried forever).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path
from typing import Any

from celery import Celery, Task

from glutecoach.clinic import reviews
from glutecoach.errors import StoreBusy, StoreUnreachable
from glutecoach.form_review_job import run_review
from glutecoach.paths import database_url
from glutecoach.store.db import Store, open_store

BROKER_ENV = "GLUTECOACH_BROKER_URL"
VISIBILITY_ENV = "GLUTECOACH_BROKER_VISIBILITY_S"
SOFT_LIMIT_S = 300
HARD_LIMIT_S = 360
MAX_RETRIES = 5
TOO_LONG = (
    f"the clip took longer than {SOFT_LIMIT_S} s to analyse: send one set (under a minute) "
    "or a lower resolution"
)


def broker_url() -> str:
    return os.environ.get(BROKER_ENV, "redis://127.0.0.1:6379/0")


def make_celery() -> Celery:
    app = Celery("glutecoach_clinic", broker=broker_url())
    visibility = int(os.environ.get(VISIBILITY_ENV, "900"))
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=SOFT_LIMIT_S,
        task_time_limit=HARD_LIMIT_S,
        task_ignore_result=True,
        broker_transport_options={"visibility_timeout": max(visibility, 1)},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        task_serializer="json",
        accept_content=["json"],
    )
    return app


celery_app = make_celery()
_store: Store | None = None


def worker_store() -> Store:
    """One store per worker process (opened on its first job)."""
    global _store
    if _store is None:
        _store = open_store(database_url())
    return _store


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _analyse(clip: Path, exercise_id: str, video: Path, report: Any) -> dict[str, Any]:
    """The clip's analysis and its annotated video (rendered into ``video``)."""
    from glutecoach.vision.review_video import review_clip

    return review_clip(clip, exercise_id, video, report)


@celery_app.task(  # type: ignore[untyped-decorator]
    bind=True,
    name="glutecoach.clinic.analyse_review",
    autoretry_for=(StoreBusy, StoreUnreachable),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=MAX_RETRIES,
)
def analyse_review(self: Task, review_id: int) -> str:
    """Analyse one review's clip; the outcome is stored once, whoever finishes first."""
    from celery.exceptions import SoftTimeLimitExceeded

    from glutecoach.vision.errors import VisionError

    me = f"{self.request.hostname or socket.gethostname()}:{os.getpid()}"
    try:
        return run_review(worker_store(), review_id, me, _analyse, _now, (VisionError,))
    except SoftTimeLimitExceeded:
        with worker_store().transaction() as db:
            reviews.finish(db, review_id, result=None, error=TOO_LONG, now=_now())
        return "failed: time limit"


class QueueDown(Exception):
    """The broker could not be reached (the review stays queued in the database)."""


def submit(review_id: int) -> None:
    """Queue a review for the worker pool; QueueDown when the broker cannot be reached."""
    from kombu.exceptions import OperationalError

    try:
        # The broker is read from the environment at each submission (not at import time).
        with celery_app.connection_for_write(broker_url()) as connection:
            analyse_review.apply_async(
                (review_id,),
                connection=connection,
                retry=True,
                retry_policy={"max_retries": 2},
            )
    except OperationalError:
        raise QueueDown(review_id) from None


def requeue_waiting(store: Store) -> int:
    """Queue again every review not finished (after the broker was down); returns the count.

    A review delivered twice is analysed but its result is stored once (reviews.finish).
    """
    with store.transaction() as db:
        waiting = reviews.unfinished(db)
    for review_id in waiting:
        submit(review_id)
    return len(waiting)


def run_worker(concurrency: int, hostname: str | None) -> None:
    """Start a worker: ``concurrency`` processes, one job each at a time."""
    argv = [
        "worker",
        "--loglevel=WARNING",
        f"--concurrency={concurrency}",
        "--prefetch-multiplier=1",
    ]
    if hostname:
        argv.append(f"--hostname={hostname}")
    celery_app.worker_main(argv)
