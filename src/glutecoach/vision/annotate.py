"""Draw the skeleton, the rep counter, the hold timer, the view and fault labels on frames
(OpenCV, imported lazily); write them as mp4 (``vision analyze --out``) or as WebM VP8, which
every browser plays (the form-review video)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from glutecoach.vision.joints import BONES, FloatArray, Image
from glutecoach.vision.models import RepObservation
from glutecoach.vision.skeletons import MEDIAPIPE_MAP

FAULT_LINGER_S = 1.5
GREEN, RED, WHITE, YELLOW = (80, 200, 80), (60, 60, 230), (240, 240, 240), (40, 200, 230)


@dataclass(frozen=True)
class Overlay:
    """What to write on one frame."""

    reps_done: int
    faults: tuple[str, ...] = ()
    message: str = ""
    hold_s: float | None = None  # the hold timer (None: not shown)
    view: str = ""  # the camera view the analysis used ("side", "front", ...)


def overlay_at(time_s: float, reps: Sequence[RepObservation]) -> Overlay:
    """Counter = reps finished by now; faults of a rep shown from its start until shortly after."""
    done = sum(1 for r in reps if r.end_s <= time_s)
    faults = tuple(
        dict.fromkeys(
            f for r in reps if r.start_s <= time_s <= r.end_s + FAULT_LINGER_S for f in r.faults
        )
    )
    return Overlay(done, faults)


def _points(landmarks: FloatArray, width: int, height: int) -> dict[str, tuple[int, int]]:
    points = {}
    for name, index in MEDIAPIPE_MAP.items():
        x, y, _, visibility = landmarks[index]
        if np.isfinite(x) and np.isfinite(y) and visibility >= 0.5:
            points[name] = (int(x * width), int(y * height))
    return points


def draw(frame: Image, landmarks: FloatArray | None, overlay: Overlay) -> Image:
    """Draw in place on a BGR frame and return it."""
    cv2: Any = __import__("cv2")
    height, width = frame.shape[:2]
    if landmarks is not None:
        points = _points(landmarks, width, height)
        for a, b in BONES:
            if a in points and b in points:
                cv2.line(frame, points[a], points[b], GREEN, 2, cv2.LINE_AA)
        for point in points.values():
            cv2.circle(frame, point, 4, WHITE, -1, cv2.LINE_AA)
    scale = max(0.5, height / 720)
    cv2.putText(
        frame,
        f"Reps: {overlay.reps_done}",
        (12, int(36 * scale)),
        cv2.FONT_HERSHEY_SIMPLEX,
        scale,
        YELLOW,
        2,
        cv2.LINE_AA,
    )
    corner = [f"Hold: {overlay.hold_s:.1f} s"] if overlay.hold_s is not None else []
    corner += [f"View: {overlay.view}"] if overlay.view else []
    for i, text in enumerate(corner):
        cv2.putText(
            frame,
            text,
            (max(12, width - int(190 * scale)), int((36 + 30 * i) * scale)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.7 * scale,
            WHITE,
            2,
            cv2.LINE_AA,
        )
    for i, fault in enumerate(overlay.faults):
        y = int((72 + 30 * i) * scale)
        cv2.putText(
            frame,
            fault.replace("_", " "),
            (12, y),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.8 * scale,
            RED,
            2,
            cv2.LINE_AA,
        )
    if overlay.message:
        cv2.putText(
            frame,
            overlay.message[:90],
            (12, height - 16),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5 * scale,
            WHITE,
            1,
            cv2.LINE_AA,
        )
    return frame


class VideoWriter:
    """A video writer (mp4v in .mp4 by default; "VP80" in .webm plays in every browser);
    raises VideoError if OpenCV cannot open the output."""

    def __init__(
        self, path: str, fps: float, width: int, height: int, fourcc: str = "mp4v"
    ) -> None:
        from glutecoach.vision.backends import native_stderr_silenced
        from glutecoach.vision.errors import VideoError

        cv2: Any = __import__("cv2")
        with native_stderr_silenced():  # FFmpeg names the codec tag it picks for WebM
            self._writer = cv2.VideoWriter(
                path, cv2.VideoWriter_fourcc(*fourcc), fps, (width, height)
            )
        if not self._writer.isOpened():
            raise VideoError(f"{path}: cannot write a video here")

    def write(self, frame: Image) -> None:
        self._writer.write(frame)

    def close(self) -> None:
        self._writer.release()
