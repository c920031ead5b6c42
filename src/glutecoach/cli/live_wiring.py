"""The composition root for the web app's camera coach and form review: the CLI may import both
adapters, the web adapter does not import the vision adapter, so ``glutecoach serve`` receives
the live-session factory and the review analyser from here (through click's ``ctx.meta``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

LIVE_META = "glutecoach.live_coach"  # same key as glutecoach.web.cli.LIVE_META
REVIEW_META = "glutecoach.review_analyser"  # same key as glutecoach.web.cli.REVIEW_META


def live_coach_provider() -> tuple[Any, str]:
    """(the live-session factory, '') where the camera extra works, else (None, what it needs)."""
    try:
        from glutecoach.vision.live_session import camera_extra_problem, make_live_session
    except ImportError:
        return None, ""
    problem = camera_extra_problem()
    return (None, problem) if problem else (make_live_session, "")


def analyse_for_review(clip: Path, exercise_id: str, video: Path, report: Any) -> dict[str, Any]:
    """The home server's form review: the vision analysis and its annotated video; a clip
    the analysis cannot use fails the review with the reason (never retried)."""
    from glutecoach.form_reviews import ClipUnusable
    from glutecoach.vision.errors import VisionError
    from glutecoach.vision.review_video import review_clip

    try:
        return review_clip(clip, exercise_id, video, report)
    except VisionError as exc:
        raise ClipUnusable(str(exc)) from None


def review_analyser_provider() -> Any:
    """The review analyser where the camera extra works, else None."""
    try:
        from glutecoach.vision.live_session import camera_extra_problem
    except ImportError:
        return None
    return None if camera_extra_problem() else analyse_for_review
