"""Form reviews: a recorded set's clip, its analysis and its annotated video, for one person.

Shared by the clinic (uploads analysed on the Celery worker pool, ``clinic/worker.py``) and
the home server (a clip recorded in the live session, analysed by a thread in ``serve``,
``web/reviews.py``). A review goes queued -> running (progress) -> done | failed.

* Files: each person's clips and annotated videos live in their own folder under
  :func:`clips_dir` (``person-ID``, 0700; files 0600, random or numbered names, never the
  uploader's). An upload is streamed to disk with its own size limit and becomes a review only
  when it is complete: a refused or broken upload leaves no file and no row.
* Exactly once: the pool may deliver a job twice (a worker killed mid-job). Each state change
  is one conditional UPDATE, so the result is written once whoever finishes first; the video is
  rendered to a per-attempt ``.partial`` file and moved to ``review-ID.webm`` only by the
  attempt whose result is stored (in the same transaction), so there is one video per review.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from glutecoach.errors import InputError
from glutecoach.paths import make_private, user_dir
from glutecoach.store.clinic_tables import ClinicReviewRow
from glutecoach.store.db import Store
from glutecoach.store.people import person_id as person_id_of

CLIPS_ENV = "GLUTECOACH_CLINIC_CLIPS"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
CLIP_SUFFIXES = (".mp4", ".mov", ".webm", ".avi", ".mkv", ".npz")
MAX_CLIP_BYTES = 200 * 1024 * 1024
VIDEO_SUFFIX = ".webm"
VIDEO_NAME = re.compile(r"review-(\d+)\.webm")


def describe_size(limit: int) -> str:
    """``200 MB`` / ``64 kB``: a limit in the unit a person reads."""
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"


class ClipTooLarge(InputError):
    """An upload over the clip limit (answered 413; nothing is kept)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"clip: the upload is larger than {describe_size(limit)}; record a shorter set "
            "(one set is usually under a minute) or lower the camera's resolution"
        )


def clips_dir() -> Path:
    """Where clips and review videos are kept: $GLUTECOACH_CLINIC_CLIPS (a folder every
    worker can read, e.g. an NFS mount) or the data folder's ``review-clips`` (0700)."""
    folder = Path(os.environ.get(CLIPS_ENV) or user_dir() / "review-clips")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(folder)
    return folder


def person_folder(person_id: int) -> Path:
    """One person's clips and review videos (0700)."""
    folder = clips_dir() / f"person-{int(person_id)}"
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def clip_suffix(suffix: str) -> str:
    """The clip's file suffix, checked (".mp4" for "mp4" or ".MP4")."""
    suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
    if suffix not in CLIP_SUFFIXES:
        raise InputError(f"clip: use one of {', '.join(CLIP_SUFFIXES)} (got {suffix[:12]!r})")
    return suffix


def _private_file(path: Path) -> Any:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


def save_clip(data: bytes, suffix: str, folder: Path | None = None) -> Path:
    """Write a clip held in memory under a random name (0600)."""
    suffix = clip_suffix(suffix)
    if not data:
        raise InputError("clip: the upload is empty")
    path = (folder or clips_dir()) / f"{secrets.token_hex(16)}{suffix}"
    with _private_file(path) as fh:
        fh.write(data)
    return path


async def save_clip_stream(
    chunks: AsyncIterator[bytes], suffix: str, folder: Path, limit: int = MAX_CLIP_BYTES
) -> Path:
    """Stream an upload to ``folder`` under a random name (0600), at most ``limit`` bytes.

    ClipTooLarge past the limit, InputError when empty; in both cases, and when the client
    goes away, the partial file is removed (reading stops at the limit).
    """
    suffix = clip_suffix(suffix)
    name = f"{secrets.token_hex(16)}{suffix}"
    partial = folder / f"{name}.part"
    size = 0
    try:
        with _private_file(partial) as fh:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ClipTooLarge(limit)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        if size == 0:
            raise InputError("clip: the upload is empty")
        final = folder / name
        os.replace(partial, final)
        return final
    finally:
        partial.unlink(missing_ok=True)


class ClipUnusable(InputError):
    """A clip the analysis cannot use (not a video, nobody in it): the review fails with this
    message, and is not tried again."""


Report = Callable[[float], None]
Analyse = Callable[[Path, str, Path, Report], dict[str, Any]]
PROGRESS_STEPS = 10


def _run(db: Session, statement: Any) -> CursorResult[Any]:
    """Execute an UPDATE and return its cursor result (for the row count)."""
    return cast(CursorResult[Any], db.execute(statement))


def create_review(
    db: Session, person_id: int, exercise_id: str, clip: Path, now: dt.datetime
) -> int:
    row = ClinicReviewRow(
        person_id=person_id,
        exercise_id=exercise_id,
        clip_path=str(clip),
        status=QUEUED,
        progress=0.0,
        attempts=0,
        created_at=now,
    )
    db.add(row)
    db.flush()
    return row.id


def claim(db: Session, review_id: int, worker: str) -> ClinicReviewRow | None:
    """Mark the review running on ``worker`` (one more attempt); None when it is finished."""
    claimed = _run(
        db,
        update(ClinicReviewRow)
        .where(ClinicReviewRow.id == review_id, ClinicReviewRow.status.in_((QUEUED, RUNNING)))
        .values(
            status=RUNNING,
            attempts=ClinicReviewRow.attempts + 1,
            worker=worker,
            progress=0.0,
        ),
    )
    if claimed.rowcount == 0:
        return None
    return db.get(ClinicReviewRow, review_id)


def set_progress(db: Session, review_id: int, worker: str, share: float) -> None:
    db.execute(
        update(ClinicReviewRow)
        .where(
            ClinicReviewRow.id == review_id,
            ClinicReviewRow.status == RUNNING,
            ClinicReviewRow.worker == worker,
        )
        .values(progress=max(0.0, min(1.0, share)))
    )


def video_name(review_id: int) -> str:
    return f"review-{int(review_id)}{VIDEO_SUFFIX}"


def partial_video(person_id: int, review_id: int, attempt: str) -> Path:
    """Where one attempt renders its video before it is (maybe) kept: made empty and 0600
    here, so the video writer (which keeps an existing file's mode) never widens it."""
    tag = re.sub(r"[^A-Za-z0-9]", "_", attempt)[:60]
    token = secrets.token_hex(4)
    name = f"review-{int(review_id)}.{tag}.{token}.partial{VIDEO_SUFFIX}"
    path = person_folder(person_id) / name
    _private_file(path).close()
    return path


def finish(
    db: Session,
    review_id: int,
    *,
    result: dict[str, Any] | None,
    error: str | None,
    now: dt.datetime,
    video: Path | None = None,
) -> bool:
    """Store the outcome once: False when another delivery already finished this review.

    ``video``: this attempt's rendered video (a partial file); kept as the review's video
    (and every other attempt's partial removed) only when this outcome is the one stored.
    """
    if result is not None and video is not None:
        result = {**result, "video": video_name(review_id)}
    done = _run(
        db,
        update(ClinicReviewRow)
        .where(ClinicReviewRow.id == review_id, ClinicReviewRow.status.in_((QUEUED, RUNNING)))
        .values(
            status=FAILED if error is not None else DONE,
            progress=1.0,
            result=result,
            error=error,
            finished_at=now,
        ),
    )
    stored = done.rowcount == 1
    if video is not None:
        if stored and error is None:
            os.chmod(video, 0o600)
            os.replace(video, video.parent / video_name(review_id))  # before the commit
            for stale in video.parent.glob(f"review-{int(review_id)}.*.partial{VIDEO_SUFFIX}"):
                stale.unlink(missing_ok=True)  # attempts killed mid-render
        else:
            video.unlink(missing_ok=True)
    return stored


def unfinished(db: Session, person_id: int | None = None) -> list[int]:
    query = select(ClinicReviewRow.id).where(ClinicReviewRow.status.in_((QUEUED, RUNNING)))
    if person_id is not None:
        query = query.where(ClinicReviewRow.person_id == person_id)
    return list(db.scalars(query.order_by(ClinicReviewRow.id)))


def view(row: ClinicReviewRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "person_id": row.person_id,
        "exercise_id": row.exercise_id,
        "status": row.status,
        "progress": round(row.progress, 3),
        "attempts": row.attempts,
        "result": row.result,
        "error": row.error,
        "created_at": row.created_at.isoformat(),
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
    }


def reviews_of(db: Session, person_id: int) -> list[dict[str, Any]]:
    rows = db.scalars(
        select(ClinicReviewRow)
        .where(ClinicReviewRow.person_id == person_id)
        .order_by(ClinicReviewRow.id.desc())
    ).all()
    return [view(r) for r in rows]


def review_of(db: Session, person_id: int, review_id: int) -> dict[str, Any] | None:
    """One review of ``person_id`` (None when there is none of theirs with that id)."""
    row = db.get(ClinicReviewRow, review_id)
    return view(row) if row is not None and row.person_id == person_id else None


def video_file(review: dict[str, Any]) -> Path | None:
    """The stored annotated video of a finished review (None when it has none)."""
    result = review.get("result") or {}
    name = result.get("video")
    if review.get("status") != DONE or not isinstance(name, str) or not VIDEO_NAME.fullmatch(name):
        return None
    path = clips_dir() / f"person-{int(review['person_id'])}" / name
    return path if path.is_file() else None


# --- a person's own reviews, by name (the home app's door: web imports no store module) ------


def own_person_id(store: Store, person: str) -> int | None:
    with store.transaction() as db:
        return person_id_of(db, person)


def own_reviews(store: Store, person: str) -> list[dict[str, Any]]:
    with store.transaction() as db:
        pid = person_id_of(db, person)
        return [] if pid is None else reviews_of(db, pid)


def own_review(store: Store, person: str, review_id: int) -> dict[str, Any] | None:
    with store.transaction() as db:
        pid = person_id_of(db, person)
        return None if pid is None else review_of(db, pid, review_id)


class ReviewStillRunning(InputError):
    """A review is deleted only once its analysis has ended (answered 409)."""

    def __init__(self) -> None:
        super().__init__(
            "review: it is still being analysed; delete it once the analysis has finished"
        )


def delete_own_review(store: Store, person: str, review_id: int) -> bool:
    """Delete one of the person's finished (or failed) reviews with its clip and video; False
    when they have none with that id. The row goes first, in its own transaction, then the
    files: nothing is left that points at a missing file."""
    with store.transaction() as db:
        pid = person_id_of(db, person)
        row = db.get(ClinicReviewRow, review_id) if pid is not None else None
        if row is None or row.person_id != pid:
            return False
        if row.status in (QUEUED, RUNNING):
            raise ReviewStillRunning()
        review = view(row)
        clip = Path(row.clip_path)
        db.delete(row)
    video = video_file(review)
    folder = (clips_dir() / f"person-{int(review['person_id'])}").resolve()
    for path in (clip, video):
        if path is not None and path.resolve().parent == folder:  # only the person's files
            path.unlink(missing_ok=True)
    return True


def waiting_reviews(store: Store) -> list[int]:
    with store.transaction() as db:
        return unfinished(db)


def add_own_review(
    store: Store, person: str, exercise_id: str, clip: Path, now: dt.datetime
) -> int:
    with store.transaction() as db:
        pid = person_id_of(db, person)
        if pid is None:
            raise InputError("no person record yet: answer the screening first")
        return create_review(db, pid, exercise_id, clip, now)
