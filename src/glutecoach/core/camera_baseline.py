"""The person's camera form baseline, carried from one camera set to the next (pure)."""

from __future__ import annotations

from glutecoach.core.models import History


def latest_camera_baseline(history: History, exercise_id: str) -> dict[str, float]:
    """The clean-rep baseline stored with the person's most recent camera set of this exercise
    (``FormSummary.baseline``); empty when no camera set of it has one."""
    for session in sorted(history.sessions, key=lambda s: s.performed_on, reverse=True):
        for logged in reversed(session.sets):
            if logged.exercise_id == exercise_id and logged.form and logged.form.baseline:
                return dict(logged.form.baseline)
    return {}
