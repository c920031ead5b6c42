"""Form reviews in the database: queued -> running (progress) -> done | failed.

The worker pool may deliver a job twice (a worker killed mid-job: its job is delivered again
to another). Each state change is one conditional UPDATE, so a review's result is written
exactly once whoever finishes first; a later delivery of a finished review does nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from glutecoach.errors import InputError
from glutecoach.paths import make_private, user_dir
from glutecoach.store.clinic_tables import ClinicAccountRow, ClinicReviewRow

CLIPS_ENV = "GLUTECOACH_CLINIC_CLIPS"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
CLIP_SUFFIXES = (".mp4", ".mov", ".webm", ".avi", ".mkv", ".npz")
MAX_CLIP_BYTES = 200 * 1024 * 1024


def clips_dir() -> Path:
    """Where uploaded clips are kept: $GLUTECOACH_CLINIC_CLIPS (a folder every worker can
    read, e.g. an NFS mount) or the data folder's ``clinic-clips`` (0700)."""
    folder = Path(os.environ.get(CLIPS_ENV) or user_dir() / "clinic-clips")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(folder)
    return folder


def save_clip(data: bytes, suffix: str) -> Path:
    """Write an uploaded clip under a random name (0600); the caller's name is never used."""
    suffix = suffix.lower()
    if suffix not in CLIP_SUFFIXES:
        raise InputError(f"clip: use one of {', '.join(CLIP_SUFFIXES)} (got {suffix[:12]!r})")
    if not data:
        raise InputError("clip: the upload is empty")
    path = clips_dir() / f"{secrets.token_hex(16)}{suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path


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


def finish(
    db: Session,
    review_id: int,
    *,
    result: dict[str, Any] | None,
    error: str | None,
    now: dt.datetime,
) -> bool:
    """Store the outcome once: False when another delivery already finished this review."""
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
    return done.rowcount == 1


def unfinished(db: Session) -> list[int]:
    return list(
        db.scalars(
            select(ClinicReviewRow.id)
            .where(ClinicReviewRow.status.in_((QUEUED, RUNNING)))
            .order_by(ClinicReviewRow.id)
        )
    )


def _view(row: ClinicReviewRow) -> dict[str, Any]:
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
    return [_view(r) for r in rows]


def review_queue(db: Session, clinician_id: int) -> list[dict[str, Any]]:
    """Reviews of the clinician's patients: running and queued first, then newest."""
    rows = db.scalars(
        select(ClinicReviewRow)
        .join(ClinicAccountRow, ClinicAccountRow.person_id == ClinicReviewRow.person_id)
        .where(ClinicAccountRow.clinician_id == clinician_id)
        .order_by(ClinicReviewRow.finished_at.is_not(None), ClinicReviewRow.id.desc())
        .limit(500)
    ).all()
    return [_view(r) for r in rows]
