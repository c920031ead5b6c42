"""A form review's page for the clinician: the annotated video with the reps, holds and
faults (each fault a link to its moment in the video); the patient in care or 404, audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from glutecoach.clinic.accounts import Account
from glutecoach.clinic.deps import current_clinician
from glutecoach.clinic.pages import page
from glutecoach.clinic.uploads import review_in_care
from glutecoach.web.reviews import ReviewId

router = APIRouter(include_in_schema=False)
ClinicianDep = Annotated[Account, Depends(current_clinician)]


@router.get("/clinic/reviews/{review_id}")
def review_page(review_id: ReviewId, request: Request, clinician: ClinicianDep) -> Response:
    review = review_in_care(request, clinician, review_id, "view review")
    context = {"review": review, "video_url": f"/clinic/reviews/{review_id}/video"}
    return page(request, "review.html", context)
