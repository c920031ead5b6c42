"""Pose backends behind one interface: MediaPipe Pose (the real model) and a replay of recorded
landmarks (for tests, and for re-analysing a session without running the model again)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np

from glutecoach.vision.errors import UnsupportedModelError, VisionError
from glutecoach.vision.joints import FloatArray, Image
from glutecoach.vision.skeletons import MEDIAPIPE_LANDMARKS

SUPPORTED_COMPLEXITY = 1


class PoseBackend(Protocol):
    """Takes one RGB frame, returns (33, 4) normalised landmarks (x, y, z, visibility) or None."""

    def process(self, rgb: Image) -> FloatArray | None: ...

    def close(self) -> None: ...


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Hide C++ log lines (TF-Lite, absl, FFmpeg) written straight to file descriptor 2.

    Set GLUTECOACH_VISION_DEBUG=1 to see them.
    """
    if os.environ.get("GLUTECOACH_VISION_DEBUG"):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def quiet_native_logs() -> None:
    """Silence TF-Lite / absl chatter before mediapipe is imported."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.getLogger("absl").setLevel(logging.ERROR)


def _import_mediapipe() -> Any:
    quiet_native_logs()
    try:
        import mediapipe as mp
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise VisionError(
            "the camera coach needs mediapipe and OpenCV: pip install 'glutecoach[vision]'"
        ) from exc
    return mp


class MediaPipePoseBackend:
    """mediapipe.solutions.pose with model_complexity=1 (the only model shipped in the wheel).

    Complexities 0 and 2 would download weights at run time; they are refused.
    """

    def __init__(
        self,
        model_complexity: int = SUPPORTED_COMPLEXITY,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        static_image_mode: bool = False,
    ) -> None:
        if model_complexity != SUPPORTED_COMPLEXITY:
            raise UnsupportedModelError(
                f"model_complexity={model_complexity} is not supported: only 1 ships with the "
                "mediapipe wheel; 0 and 2 would download weights at run time"
            )
        mp = _import_mediapipe()
        self._quiet_calls = 3  # calls with a person still to silence
        with native_stderr_silenced():
            self._pose = mp.solutions.pose.Pose(
                static_image_mode=static_image_mode,
                model_complexity=SUPPORTED_COMPLEXITY,
                smooth_landmarks=True,
                enable_segmentation=False,
                min_detection_confidence=min_detection_confidence,
                min_tracking_confidence=min_tracking_confidence,
            )

    def process(self, rgb: Image) -> FloatArray | None:
        if self._quiet_calls <= 0:
            result = self._pose.process(rgb)
        else:  # until the landmark model has run a few times (it logs when it first loads)
            with native_stderr_silenced():
                result = self._pose.process(rgb)
            if result.pose_landmarks is not None:
                self._quiet_calls -= 1
        if result.pose_landmarks is None:
            return None
        return np.array(
            [(p.x, p.y, p.z, p.visibility) for p in result.pose_landmarks.landmark],
            dtype=np.float64,
        )

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> MediaPipePoseBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReplayPoseBackend:
    """Returns recorded landmarks, one frame per call, whatever pixels it is given."""

    def __init__(self, landmarks: FloatArray) -> None:
        if landmarks.ndim != 3 or landmarks.shape[1:] != (MEDIAPIPE_LANDMARKS, 4):
            raise VisionError(f"recorded landmarks must be (frames, {MEDIAPIPE_LANDMARKS}, 4)")
        self._landmarks = landmarks
        self._next = 0

    def process(self, rgb: Image) -> FloatArray | None:
        if self._next >= len(self._landmarks):
            return None
        row = self._landmarks[self._next]
        self._next += 1
        return None if np.isnan(row[:, :2]).all() else row

    def close(self) -> None:
        self._next = len(self._landmarks)
