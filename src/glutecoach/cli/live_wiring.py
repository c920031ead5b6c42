"""The composition root for the web app's camera coach: the CLI may import both adapters, the
web adapter does not import the vision adapter, so ``glutecoach serve`` receives the factory
from here (through click's ``ctx.meta``)."""

from __future__ import annotations

from typing import Any

LIVE_META = "glutecoach.live_coach"  # same key as glutecoach.web.cli.LIVE_META


def live_coach_provider() -> tuple[Any, str]:
    """(the live-session factory, '') where the camera extra works, else (None, what it needs)."""
    try:
        from glutecoach.vision.live_session import camera_extra_problem, make_live_session
    except ImportError:
        return None, ""
    problem = camera_extra_problem()
    return (None, problem) if problem else (make_live_session, "")
