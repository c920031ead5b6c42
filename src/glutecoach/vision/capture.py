"""Frame sources behind one interface: a camera, a video file, or a landmark recording.

``vision live`` and ``vision analyze`` share it, so tests drive the live path with a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from glutecoach.vision.backends import native_stderr_silenced, quiet_native_logs
from glutecoach.vision.errors import VideoError
from glutecoach.vision.joints import Image
from glutecoach.vision.recording import is_recording, load_recording

DEFAULT_FPS = 30.0


class FrameSource(Protocol):
    name: str
    fps: float
    width: int
    height: int
    frame_count: int  # 0 when unknown (a live camera)

    def frames(self) -> Iterator[Image]:
        """BGR frames (height, width, 3) uint8, in order."""
        ...

    def close(self) -> None: ...


def _cv2() -> Any:
    quiet_native_logs()
    try:
        import cv2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise VideoError("video needs OpenCV: pip install 'glutecoach[vision]'") from exc
    return cv2


class OpenCVSource:
    """A camera index (int or a digit string) or a video file, read with OpenCV."""

    def __init__(self, source: int | str | Path) -> None:
        cv2 = _cv2()
        self.name = str(source)
        target: int | str = source if isinstance(source, int) else str(source)
        if isinstance(target, str) and target.isdigit():
            target = int(target)
        if isinstance(target, str) and not Path(target).is_file():
            raise VideoError(f"{target}: no such video file")
        with native_stderr_silenced():
            self._capture = cv2.VideoCapture(target)
        if not self._capture.isOpened():
            raise VideoError(f"{self.name}: cannot open this video or camera")
        fps = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if 1.0 <= fps <= 240.0 else DEFAULT_FPS
        self.width = int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        self.height = int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        self.frame_count = max(0, int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT)))
        if self.width <= 0 or self.height <= 0:
            self.close()
            raise VideoError(f"{self.name}: cannot decode this video (no frame size)")

    def frames(self) -> Iterator[Image]:
        decoded = 0
        while True:
            ok, frame = self._capture.read()
            if not ok or frame is None:
                break
            decoded += 1
            yield frame
        if decoded == 0:
            raise VideoError(f"{self.name}: cannot decode any frame of this video")

    def close(self) -> None:
        self._capture.release()


class RecordingSource:
    """A landmark recording played as blank frames of the recorded size (pair it with replay)."""

    def __init__(self, path: str | Path) -> None:
        self.recording = load_recording(Path(path))
        self.name = str(path)
        self.fps = self.recording.fps
        self.width, self.height = self.recording.width, self.recording.height
        self.frame_count = len(self.recording.landmarks)

    def frames(self) -> Iterator[Image]:
        blank = np.full((self.height, self.width, 3), 40, dtype=np.uint8)
        for _ in range(self.frame_count):
            yield blank.copy()

    def close(self) -> None:
        return None


def open_source(source: int | str | Path) -> OpenCVSource | RecordingSource:
    """Camera index, video file, or .npz landmark recording."""
    if not isinstance(source, int) and is_recording(source):
        return RecordingSource(source)
    return OpenCVSource(source)


class TimeLimited:
    """At most ``seconds`` of another source's frames: a camera set has an end."""

    def __init__(self, source: FrameSource, seconds: float) -> None:
        self.source = source
        self.name = source.name
        self.fps = source.fps
        self.width, self.height = source.width, source.height
        self.limit = max(1, round(seconds * (source.fps or 30.0)))
        known = source.frame_count
        self.frame_count = min(known, self.limit) if known else self.limit
        self.promised_frames = min(known, self.limit) if known else 0  # a camera promises none

    def frames(self) -> Iterator[Image]:
        for index, frame in enumerate(self.source.frames()):
            if index >= self.limit:
                return
            yield frame

    def close(self) -> None:
        self.source.close()
