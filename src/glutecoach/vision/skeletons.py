"""Map source skeletons (MediaPipe's 33 landmarks, UI-PRMD's 22 Kinect joints) to named joints."""

from __future__ import annotations

import numpy as np

from glutecoach.vision.joints import JOINT_INDEX, JOINTS, FloatArray, PoseSeries

MEDIAPIPE_LANDMARKS = 33
KINECT_JOINTS = 22
IN_FRAME_MARGIN = 0.02  # landmarks guessed outside the picture count as not tracked

# Named joint -> MediaPipe Pose landmark index (nose stands for the head).
MEDIAPIPE_MAP: dict[str, int] = {
    "head": 0,
    "left_shoulder": 11,
    "right_shoulder": 12,
    "left_elbow": 13,
    "right_elbow": 14,
    "left_wrist": 15,
    "right_wrist": 16,
    "left_hip": 23,
    "right_hip": 24,
    "left_knee": 25,
    "right_knee": 26,
    "left_ankle": 27,
    "right_ankle": 28,
    "left_heel": 29,
    "right_heel": 30,
    "left_toe": 31,
    "right_toe": 32,
}

# Named joint -> UI-PRMD Kinect joint index (see shared/data/ui-prmd/README.md). No heels.
KINECT_MAP: dict[str, int] = {
    "head": 4,
    "left_shoulder": 7,
    "right_shoulder": 11,
    "left_elbow": 8,
    "right_elbow": 12,
    "left_wrist": 9,
    "right_wrist": 13,
    "left_hip": 14,
    "right_hip": 18,
    "left_knee": 15,
    "right_knee": 19,
    "left_ankle": 16,
    "right_ankle": 20,
    "left_toe": 17,
    "right_toe": 21,
}


# MediaPipe landmark index for each named joint, in JOINTS order (every named joint is mapped).
_MEDIAPIPE_ORDER = np.array([MEDIAPIPE_MAP[name] for name in JOINTS])


def _gather(mapping: dict[str, int]) -> tuple[list[int], list[int]]:
    named = [JOINT_INDEX[name] for name in mapping]
    src = list(mapping.values())
    return named, src


def from_mediapipe(
    landmarks: FloatArray, width: int, height: int, fps: float, source: str = ""
) -> PoseSeries:
    """(frames, 33, 4) normalised landmarks (x, y, z, visibility; NaN rows = no person).

    Landmarks outside the picture get confidence 0. x and y are scaled to pixels so that angles
    in the image are true angles; y is flipped to point up and z (MediaPipe's guess, positive
    away from the camera) to point towards it.
    """
    if landmarks.ndim != 3 or landmarks.shape[1:] != (MEDIAPIPE_LANDMARKS, 4):
        raise ValueError(f"expected (frames, {MEDIAPIPE_LANDMARKS}, 4) landmarks")
    mapped = landmarks[:, _MEDIAPIPE_ORDER]  # one contiguous (frames, joints, 4) copy
    positions = mapped[:, :, :3] * np.array([width, -height, -width], dtype=np.float64)
    inside = (np.abs(mapped[:, :, :2] - 0.5) <= 0.5 + IN_FRAME_MARGIN).all(axis=2)
    confidence = np.where(inside, np.nan_to_num(mapped[:, :, 3], nan=0.0), 0.0)
    return PoseSeries(positions, confidence, fps, depth_reliable=False, source=source)


def to_mediapipe(series: PoseSeries, width: int, height: int) -> FloatArray:
    """Inverse of from_mediapipe for the mapped landmarks (others NaN): for recorded fixtures."""
    out = np.full((series.frames, MEDIAPIPE_LANDMARKS, 4), np.nan)
    named, src = _gather(MEDIAPIPE_MAP)
    scale = np.array([width, -height, -width], dtype=np.float64)
    out[:, src, :3] = series.positions[:, named, :] / scale
    out[:, src, 3] = series.confidence[:, named]
    return out


def from_kinect(positions: FloatArray, fps: float = 30.0, source: str = "") -> PoseSeries:
    """(frames, 22, 3) absolute Kinect joint positions (after forward kinematics), in cm."""
    if positions.ndim != 3 or positions.shape[1:] != (KINECT_JOINTS, 3):
        raise ValueError(f"expected (frames, {KINECT_JOINTS}, 3) joint positions")
    frames = positions.shape[0]
    out = np.full((frames, len(JOINTS), 3), np.nan)
    confidence = np.zeros((frames, len(JOINTS)))
    named, src = _gather(KINECT_MAP)
    out[:, named, :] = positions[:, src, :]
    confidence[:, named] = 1.0
    return PoseSeries(out, confidence, fps, depth_reliable=True, source=source)
