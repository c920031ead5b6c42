"""Clip upload for form review (patients) and the review lists (patient: own; clinician:
the queue of their patients' reviews, with progress while a worker runs)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request

from glutecoach.clinic import reviews
from glutecoach.clinic.accounts import Account
from glutecoach.clinic.deps import clinic_now, current_account
from glutecoach.web.deps import web_state

router = APIRouter(tags=["clinic reviews"])
AccountDep = Annotated[Account, Depends(current_account)]
NowDep = Annotated[dt.datetime, Depends(clinic_now)]


@router.post("/clinic/reviews", status_code=202, responses={400: {}, 403: {}})
async def upload_clip(
    request: Request, account: AccountDep, now: NowDep, exercise: str, suffix: str = ".mp4"
) -> dict[str, Any]:
    """Send a clip of one set (the request body, as bytes) for form review.

    Example: ``curl --data-binary @set.mp4 -H 'Content-Type: video/mp4'
    'https://clinic.example/clinic/reviews?exercise=glute_bridge'`` (signed in).
    """
    if account.is_clinician or account.person_id is None:
        raise HTTPException(403, "only a patient uploads clips of their own sets")
    state = web_state(request)
    if exercise not in state.catalog().exercises:
        raise HTTPException(400, f"exercise: no exercise {exercise[:80]!r} in the catalog")
    data = await request.body()
    clip = reviews.save_clip(data, suffix if suffix.startswith(".") else f".{suffix}")
    with state.store().transaction() as db:
        review_id = reviews.create_review(db, account.person_id, exercise, clip, now)
    from glutecoach.clinic.worker import QueueDown, submit

    try:
        submit(review_id)
    except QueueDown:
        raise HTTPException(
            503,
            f"your clip is saved (review {review_id}) but the analysis queue cannot be reached "
            "now; it will be analysed once the clinic runs `glutecoach clinic requeue`",
        ) from None
    return {"id": review_id, "status": reviews.QUEUED}


@router.get("/api/clinic/reviews")
def list_reviews(request: Request, account: AccountDep) -> list[dict[str, Any]]:
    """A patient's own reviews; for a clinician, the review queue of their patients."""
    with web_state(request).store().transaction() as db:
        if account.is_clinician:
            return reviews.review_queue(db, account.id)
        assert account.person_id is not None
        return reviews.reviews_of(db, account.person_id)
