"""Form reviews in the clinic: the shared review store (:mod:`glutecoach.form_reviews`, the
names re-exported here) and the clinician's review queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.form_reviews import (
    CLIP_SUFFIXES,
    CLIPS_ENV,
    DONE,
    FAILED,
    MAX_CLIP_BYTES,
    QUEUED,
    RUNNING,
    ClipTooLarge,
    claim,
    clips_dir,
    create_review,
    finish,
    partial_video,
    person_folder,
    review_of,
    reviews_of,
    save_clip,
    save_clip_stream,
    set_progress,
    unfinished,
    video_file,
    view,
)
from glutecoach.store.clinic_tables import ClinicAccountRow, ClinicReviewRow

__all__ = [
    "CLIPS_ENV",
    "CLIP_SUFFIXES",
    "DONE",
    "FAILED",
    "MAX_CLIP_BYTES",
    "QUEUED",
    "RUNNING",
    "ClipTooLarge",
    "claim",
    "clips_dir",
    "create_review",
    "finish",
    "partial_video",
    "person_folder",
    "review_of",
    "review_person",
    "review_queue",
    "reviews_of",
    "save_clip",
    "save_clip_stream",
    "set_progress",
    "unfinished",
    "video_file",
]


def review_queue(db: Session, clinician_id: int) -> list[dict[str, Any]]:
    """Reviews of the clinician's patients: running and queued first, then newest."""
    rows = db.scalars(
        select(ClinicReviewRow)
        .join(ClinicAccountRow, ClinicAccountRow.person_id == ClinicReviewRow.person_id)
        .where(ClinicAccountRow.clinician_id == clinician_id)
        .order_by(ClinicReviewRow.finished_at.is_not(None), ClinicReviewRow.id.desc())
        .limit(500)
    ).all()
    return [view(r) for r in rows]


def review_person(db: Session, review_id: int) -> int | None:
    """Whose review this is (None: no such review); the caller checks the clinician's care."""
    return db.scalar(select(ClinicReviewRow.person_id).where(ClinicReviewRow.id == review_id))
