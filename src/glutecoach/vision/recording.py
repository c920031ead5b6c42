"""Recorded landmark files (.npz): what the pose model saw, replayable without the model."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from glutecoach.vision.errors import VideoError
from glutecoach.vision.joints import FloatArray
from glutecoach.vision.skeletons import MEDIAPIPE_LANDMARKS

SUFFIX = ".npz"


@dataclass(frozen=True)
class LandmarkRecording:
    """(frames, 33, 4) normalised MediaPipe landmarks; NaN rows where no person was found.

    others: the same for every other person seen in the picture (see people.py).
    """

    landmarks: FloatArray
    fps: float
    width: int
    height: int
    others: tuple[FloatArray, ...] = field(default=())


def is_recording(path: str | Path) -> bool:
    return str(path).lower().endswith(SUFFIX)


def save_recording(path: Path, rec: LandmarkRecording) -> None:
    extra = {"others": np.stack(rec.others).astype(np.float32)} if rec.others else {}
    np.savez_compressed(
        path,
        landmarks=rec.landmarks.astype(np.float32),
        fps=np.float64(rec.fps),
        size=np.array([rec.width, rec.height]),
        **extra,
    )


def load_recording(path: Path) -> LandmarkRecording:
    try:
        with np.load(path, allow_pickle=False) as data:
            landmarks = data["landmarks"].astype(np.float64)
            fps = float(data["fps"])
            width, height = (int(v) for v in data["size"])
            others = data["others"].astype(np.float64) if "others" in data else None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise VideoError(f"{path}: not a glutecoach landmark recording ({exc})") from exc
    if landmarks.ndim != 3 or landmarks.shape[1:] != (MEDIAPIPE_LANDMARKS, 4) or fps <= 0:
        raise VideoError(f"{path}: landmark recording has the wrong shape")
    if others is not None and others.shape[1:] != landmarks.shape:
        raise VideoError(f"{path}: the other people's landmarks have the wrong shape")
    people = tuple(others) if others is not None else ()
    return LandmarkRecording(landmarks, fps, width, height, people)
