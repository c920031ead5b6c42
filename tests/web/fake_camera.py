"""Chromium with a fake camera: a .y4m clip played as the webcam (see ../shared/INFRA.md).

The clip is scikit-image's astronaut photo (a real person, head and shoulders) for 6 s, then
6 s of an empty room; Chromium loops it. The placement guide judges over 1.5 s, and on a loaded
machine the server analyses only a few frames a second, so each span is long enough to be seen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from playwright.sync_api import Browser, BrowserType

CLIP_FPS = 5
PERSON_FRAMES = 30


def write_y4m(path: Path, frames: list[np.ndarray], fps: int) -> Path:
    """Frames (BGR 640x480) as a raw YUV4MPEG2 4:2:0 file, what Chromium's fake camera plays."""
    import cv2

    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W640 H480 F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes())
    return path


def astronaut_clip(path: Path) -> Path:
    import cv2
    from skimage import data

    photo = cv2.cvtColor(cv2.resize(data.astronaut(), (400, 400)), cv2.COLOR_RGB2BGR)
    person = np.full((480, 640, 3), 40, np.uint8)
    person[40:440, 120:520] = photo
    empty = np.full((480, 640, 3), 40, np.uint8)
    return write_y4m(path, [person] * PERSON_FRAMES + [empty] * PERSON_FRAMES, CLIP_FPS)


def launch_with_fake_camera(
    browser_type: BrowserType, launch_args: dict[str, Any], folder: Path
) -> Browser:
    """The test session's Chromium with the astronaut clip as its camera, no permission prompt."""
    clip = astronaut_clip(folder / "astronaut.y4m")
    args = [
        *launch_args.get("args", []),
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={clip}",
    ]
    return browser_type.launch(**{**launch_args, "args": args})
