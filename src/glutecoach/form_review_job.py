"""One form review's job, the same for a clinic worker (Celery) and the home server's review
thread: claim the review, analyse the clip and render its video, store the outcome once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from glutecoach.form_reviews import (
    PROGRESS_STEPS,
    Analyse,
    ClipUnusable,
    claim,
    finish,
    partial_video,
    set_progress,
)
from glutecoach.store.db import Store


def run_review(
    store: Store,
    review_id: int,
    worker: str,
    analyse: Analyse,
    now: Callable[[], dt.datetime],
    unusable: tuple[type[Exception], ...] = (ClipUnusable,),
) -> str:
    """Analyse one review's clip with ``analyse(clip, exercise_id, video_out, report)`` and
    store the outcome once ("stored" or "already finished").

    Progress is written about ten times; an ``unusable`` error is stored as the failure's
    reason; anything else (a time limit, a crash) leaves the review running for another
    attempt and removes this attempt's partial video.
    """
    with store.transaction() as db:
        row = claim(db, review_id, worker)
        if row is None:
            return "already finished"
        clip, exercise_id = Path(row.clip_path), row.exercise_id
        video = partial_video(row.person_id, review_id, worker)
    last = [0.0]

    def report(share: float) -> None:
        if share - last[0] < 1 / PROGRESS_STEPS:
            return
        last[0] = share
        with store.transaction() as db:
            set_progress(db, review_id, worker, min(share, 0.99))

    try:
        outcome, error = analyse(clip, exercise_id, video, report), None
    except unusable as exc:
        outcome, error = None, str(exc) or type(exc).__name__
    except BaseException:
        video.unlink(missing_ok=True)
        raise
    try:
        with store.transaction() as db:
            stored = finish(db, review_id, result=outcome, error=error, now=now(), video=video)
    finally:
        video.unlink(missing_ok=True)  # still here only when it was not kept
    return "stored" if stored else "already finished"
