"""Form reviews on the person's own record: a set recorded in the live session (or any clip),
analysed and drawn as an annotated video they can watch.

At home (``glutecoach serve``) there is no worker pool: the server analyses clips itself, one
at a time, on one background thread (:class:`ReviewThread`), with the same vision code as
``glutecoach vision analyze`` (handed in by ``serve`` as ``review_analyser``: the web adapter
does not import the vision adapter). A review left unfinished when the server stopped is
analysed again when it starts. In clinic mode the page sends the clip to the clinic's upload
(``/clinic/reviews``, the worker pool) instead, and this module only shows the results.

Routes (the person is the app's, or in clinic mode the signed-in patient: ``get_coach``):
``POST /api/reviews?exercise=ID`` (the clip as the body, streamed to disk, at most 200 MB),
``GET /api/reviews``, ``GET /api/reviews/{id}``, the pages ``/reviews`` and ``/reviews/{id}``
and ``/reviews/{id}/video`` (the annotated WebM). Another person's review is answered 404.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from starlette.responses import Response

from glutecoach import form_reviews
from glutecoach.errors import StoreBusy, StoreUnreachable
from glutecoach.form_review_job import run_review
from glutecoach.form_reviews import Analyse, ClipTooLarge
from glutecoach.services import Coach, Store
from glutecoach.web.deps import get_coach, web_state
from glutecoach.web.render import check_csrf, render

log = logging.getLogger("glutecoach.web")
router = APIRouter()
CoachDep = Annotated[Coach, Depends(get_coach)]
ReviewId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Review id")]
Csrf = Depends(check_csrf)
UPLOAD_PATH = "/api/reviews"
STORE_ATTEMPTS = 4
STORE_RETRY_S = 2.0
SUFFIX_OF_TYPE = {"video/webm": ".webm", "video/mp4": ".mp4", "video/quicktime": ".mov"}
NO_ANALYSER = (
    "Form review needs the camera extra (mediapipe and OpenCV) on this computer: install "
    "glutecoach with pip install 'glutecoach[vision]' and start it again."
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ReviewThread:
    """The home server's review worker: one background thread, one clip at a time."""

    def __init__(
        self,
        analyser: Analyse | None,
        upload_url: str = UPLOAD_PATH,
        limit: int = form_reviews.MAX_CLIP_BYTES,
    ) -> None:
        self.analyser = analyser
        self.upload_url = upload_url
        self.limit = limit  # bytes of one uploaded clip
        self._queue: queue.Queue[tuple[Store, int]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def local(self) -> bool:
        """Clips posted to this app are analysed here (False: they go to the clinic)."""
        return self.upload_url == UPLOAD_PATH

    def submit(self, store: Store, review_id: int) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="glutecoach-reviews", daemon=True
                )
                self._thread.start()
        self._queue.put((store, review_id))

    def resume(self, store: Store) -> int:
        """Queue again the reviews a stopped server left unfinished; returns how many."""
        if self.analyser is None or not self.local:
            return 0
        waiting = form_reviews.waiting_reviews(store)
        for review_id in waiting:
            self.submit(store, review_id)
        return len(waiting)

    def wait_idle(self) -> None:
        """Block until every queued clip is done (tests, shutdown)."""
        self._queue.join()

    def _work(self) -> None:
        while True:
            store, review_id = self._queue.get()
            try:
                self._run(store, review_id)
            finally:
                self._queue.task_done()

    def _run(self, store: Store, review_id: int) -> None:
        """One review; a busy or unreachable database is tried again a few times, anything
        else is logged (without data) and the review is left for the next start."""
        assert self.analyser is not None
        for attempt in range(1, STORE_ATTEMPTS + 1):
            try:
                run_review(store, review_id, "home", self.analyser, _now)
                return
            except (StoreBusy, StoreUnreachable) as exc:
                if attempt == STORE_ATTEMPTS:
                    log.error("form review %s stopped: %s", review_id, type(exc).__name__)
                    return
                time.sleep(STORE_RETRY_S * attempt)
            except Exception as exc:
                log.error("form review %s stopped: %s", review_id, type(exc).__name__)
                return


def review_thread(request: Request) -> ReviewThread:
    thread: ReviewThread = request.app.state.reviews
    return thread


def _suffix(request: Request, suffix: str | None) -> str:
    if suffix:
        return suffix
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return SUFFIX_OF_TYPE.get(content_type, ".webm")


@router.post(
    UPLOAD_PATH, status_code=202, tags=["api"], responses={400: {}, 409: {}, 413: {}, 503: {}}
)
async def upload_review(
    request: Request, coach: CoachDep, exercise: str, suffix: str | None = None
) -> Any:
    """Send a recorded set (the request body: the video itself) for form review.

    Example: ``curl --data-binary @set.webm -H 'Content-Type: video/webm'
    'http://127.0.0.1:8000/api/reviews?exercise=glute_bridge'``.
    """
    thread = review_thread(request)
    if not thread.local:
        raise HTTPException(409, f"in the clinic, send clips to {thread.upload_url}")
    if thread.analyser is None:
        raise HTTPException(503, NO_ANALYSER)
    if exercise not in web_state(request).catalog().exercises:
        raise HTTPException(400, f"exercise: no exercise {exercise[:80]!r} in the catalog")
    store = coach.store
    person_id = form_reviews.own_person_id(store, coach.person)
    if person_id is None:
        raise HTTPException(409, "answer the screening first: there is no record to add to")
    folder = form_reviews.person_folder(person_id)
    try:
        clip = await form_reviews.save_clip_stream(
            request.stream(), _suffix(request, suffix), folder, thread.limit
        )
    except ClipTooLarge as exc:
        return JSONResponse({"detail": str(exc)}, status_code=413)
    try:
        review_id = form_reviews.add_own_review(store, coach.person, exercise, clip, _now())
    except BaseException:
        clip.unlink(missing_ok=True)  # no review row, no file: the person sends it again
        raise
    thread.submit(store, review_id)
    return {"id": review_id, "status": form_reviews.QUEUED, "url": f"/reviews/{review_id}"}


def _own(coach: Coach, review_id: int) -> dict[str, Any]:
    review = form_reviews.own_review(coach.store, coach.person, review_id)
    if review is None:
        raise HTTPException(404, f"no review {review_id} of yours")
    return review


@router.get("/api/reviews", tags=["api"])
def list_reviews(coach: CoachDep) -> list[dict[str, Any]]:
    """Your form reviews, newest first (status, progress, result)."""
    return form_reviews.own_reviews(coach.store, coach.person)


@router.get("/api/reviews/{review_id}", tags=["api"], responses={404: {}})
def one_review(review_id: ReviewId, coach: CoachDep) -> dict[str, Any]:
    """One of your form reviews: reps, holds, faults with their times, the video's address."""
    return _own(coach, review_id)


@router.delete(
    "/api/reviews/{review_id}", tags=["api"], status_code=204, responses={404: {}, 409: {}}
)
def delete_review(review_id: ReviewId, coach: CoachDep) -> Response:
    """Delete one of your form reviews with its clip and annotated video (once analysed)."""
    _delete(coach, review_id)
    return Response(status_code=204)


@router.post("/reviews/{review_id}/delete", include_in_schema=False, dependencies=[Csrf])
def delete_review_form(review_id: ReviewId, coach: CoachDep) -> Response:
    _delete(coach, review_id)
    return RedirectResponse("/reviews?deleted=1", status_code=303)


def _delete(coach: Coach, review_id: int) -> None:
    try:
        found = form_reviews.delete_own_review(coach.store, coach.person, review_id)
    except form_reviews.ReviewStillRunning as exc:
        raise HTTPException(409, str(exc)) from None
    if not found:
        raise HTTPException(404, f"no review {review_id} of yours")


@router.get("/reviews/{review_id}/video", include_in_schema=False)
def review_video(review_id: ReviewId, coach: CoachDep) -> Response:
    return video_response(_own(coach, review_id))


def video_response(review: dict[str, Any]) -> Response:
    """The annotated video (private: never cached; seekable with Range requests)."""
    path = form_reviews.video_file(review)
    if path is None:
        raise HTTPException(404, "this review has no video (yet)")
    return FileResponse(
        path, media_type="video/webm", headers={"Cache-Control": "private, no-store"}
    )


@router.get("/reviews", include_in_schema=False)
def reviews_page(request: Request, coach: CoachDep) -> Response:
    reviews = form_reviews.own_reviews(coach.store, coach.person)
    deleted = request.query_params.get("deleted") == "1"
    return render(request, "reviews.html", {"reviews": reviews, "deleted": deleted})


@router.get("/reviews/{review_id}", include_in_schema=False)
def review_page(review_id: ReviewId, request: Request, coach: CoachDep) -> Response:
    review = _own(coach, review_id)
    context = {"review": review, "video_url": f"/reviews/{review_id}/video", "can_delete": True}
    return render(request, "review.html", context)


def add_reviews(app: Any, analyser: Analyse | None, upload_url: str, limit: int) -> None:
    app.state.reviews = ReviewThread(analyser, upload_url, limit)
    app.include_router(router)


def resume_reviews(app: Any) -> None:
    """On start: analyse what a stopped server left unfinished (nothing if it cannot)."""
    thread: ReviewThread = app.state.reviews
    try:
        thread.resume(app.state.web.store())
    except Exception as exc:  # the pages report a broken database; nothing to resume
        log.warning("form reviews not resumed: %s", type(exc).__name__)


__all__ = ["ReviewThread", "add_reviews", "resume_reviews", "video_response"]
