"""`GET /handout.pdf`: the clinician handout (see docs/export.md), made by the export adapter."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from starlette.responses import Response

from glutecoach.export.handout import handout_pdf
from glutecoach.export.record import gather
from glutecoach.services import Coach
from glutecoach.web.deps import get_coach, get_today

router = APIRouter(include_in_schema=False)


@router.get("/handout.pdf")
def handout(
    coach: Annotated[Coach, Depends(get_coach)],
    today: Annotated[dt.date, Depends(get_today)],
    paper: Literal["a4", "letter"] = "a4",
) -> Response:
    """The person's handout as a download; never cached (it is health data)."""
    data = handout_pdf(gather(coach, today), paper)
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="glutecoach-handout.pdf"',
            "Cache-Control": "no-store",
        },
    )
