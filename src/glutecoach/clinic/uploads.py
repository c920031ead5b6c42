"""Clip upload for form review (patients), the review lists (patient: own; clinician: the
queue of their patients' reviews, with progress while a worker runs), and a review's page and
annotated video for the clinician (in care or 404; every view audited; the page is in
``review_pages.py``).

A patient watches their own reviews on the home app's pages (``/reviews/{id}``,
``web/reviews.py``), bound to their own record like every home route.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from glutecoach.clinic import reviews
from glutecoach.clinic.accounts import Account
from glutecoach.clinic.deps import clinic_now, current_account, current_clinician
from glutecoach.clinic.scope import patient_in_care
from glutecoach.web.deps import web_state
from glutecoach.web.reviews import ReviewId, video_response

router = APIRouter(tags=["clinic reviews"])
AccountDep = Annotated[Account, Depends(current_account)]
ClinicianDep = Annotated[Account, Depends(current_clinician)]
NowDep = Annotated[dt.datetime, Depends(clinic_now)]
UPLOAD_PATH = "/clinic/reviews"


@router.post(UPLOAD_PATH, status_code=202, responses={400: {}, 403: {}, 413: {}, 503: {}})
async def upload_clip(
    request: Request, account: AccountDep, now: NowDep, exercise: str, suffix: str = ".mp4"
) -> Any:
    """Send a clip of one set (the request body, as bytes, streamed; at most 200 MB) for form
    review.

    Example: ``curl --data-binary @set.mp4 -H 'Content-Type: video/mp4'
    'https://clinic.example/clinic/reviews?exercise=glute_bridge'`` (signed in).
    """
    if account.is_clinician or account.person_id is None:
        raise HTTPException(403, "only a patient uploads clips of their own sets")
    state = web_state(request)
    if exercise not in state.catalog().exercises:
        raise HTTPException(400, f"exercise: no exercise {exercise[:80]!r} in the catalog")
    folder = reviews.person_folder(account.person_id)
    try:
        limit = request.app.state.reviews.limit
        clip = await reviews.save_clip_stream(request.stream(), suffix, folder, limit)
    except reviews.ClipTooLarge as exc:
        return JSONResponse({"detail": str(exc)}, status_code=413)
    try:
        with state.store().transaction() as db:
            review_id = reviews.create_review(db, account.person_id, exercise, clip, now)
    except BaseException:
        clip.unlink(missing_ok=True)  # no review row, no file: the patient sends it again
        raise
    from glutecoach.clinic.worker import QueueDown, submit

    try:
        submit(review_id)
    except QueueDown:
        raise HTTPException(
            503,
            f"your clip is saved (review {review_id}) but the analysis queue cannot be reached "
            "now; it will be analysed once the clinic runs `glutecoach clinic requeue`",
        ) from None
    return {"id": review_id, "status": reviews.QUEUED, "url": f"/reviews/{review_id}"}


@router.get("/api/clinic/reviews")
def list_reviews(request: Request, account: AccountDep) -> list[dict[str, Any]]:
    """A patient's own reviews; for a clinician, the review queue of their patients."""
    with web_state(request).store().transaction() as db:
        if account.is_clinician:
            return reviews.review_queue(db, account.id)
        assert account.person_id is not None
        return reviews.reviews_of(db, account.person_id)


def review_in_care(
    request: Request, clinician: Account, review_id: int, action: str
) -> dict[str, Any]:
    """A review of a patient in the clinician's care (audited as ``action``), else 404."""
    with web_state(request).store().transaction() as db:
        person_id = reviews.review_person(db, review_id)
        if person_id is None:
            raise HTTPException(404, f"no review {review_id} of a patient in your care")
        patient_in_care(db, clinician, person_id, action, clinic_now(request))
        review = reviews.review_of(db, person_id, review_id)
    assert review is not None
    return review


@router.get("/api/clinic/reviews/{review_id}", responses={404: {}})
def one_review(review_id: ReviewId, request: Request, clinician: ClinicianDep) -> dict[str, Any]:
    """One review of a patient in your care (audited as ``view review``)."""
    return review_in_care(request, clinician, review_id, "view review")


@router.get("/clinic/reviews/{review_id}/video", include_in_schema=False)
def review_video(review_id: ReviewId, request: Request, clinician: ClinicianDep) -> Response:
    """The annotated video of a patient's review (audited as ``view review video``)."""
    return video_response(review_in_care(request, clinician, review_id, "view review video"))
