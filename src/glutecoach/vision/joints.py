"""Named joints: the one skeleton every analyzer works on, whatever produced the data.

Coordinates are right-handed: x to the camera's right, y up, z towards the camera. Lengths are
in the source's units (pixels for video, centimetres for Kinect); analyzers only use ratios and
angles, so the unit never matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Image = NDArray[np.uint8]  # an H x W x 3 BGR or RGB frame

SIDES: tuple[str, str] = ("left", "right")

JOINTS: tuple[str, ...] = (
    "head",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_toe",
    "right_toe",
)
JOINT_INDEX: dict[str, int] = {name: i for i, name in enumerate(JOINTS)}

# Bones drawn on the annotated video, as pairs of named joints.
BONES: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    *(
        pair
        for s in SIDES
        for pair in (
            (f"{s}_shoulder", f"{s}_elbow"),
            (f"{s}_elbow", f"{s}_wrist"),
            (f"{s}_shoulder", f"{s}_hip"),
            (f"{s}_hip", f"{s}_knee"),
            (f"{s}_knee", f"{s}_ankle"),
            (f"{s}_ankle", f"{s}_heel"),
            (f"{s}_ankle", f"{s}_toe"),
        )
    ),
)


@dataclass(frozen=True)
class PoseSeries:
    """A time series of named joints.

    positions: (frames, len(JOINTS), 3); NaN where a joint is unknown (no person, or a joint
    the source skeleton does not have). confidence: (frames, len(JOINTS)) in 0..1.
    depth_reliable: whether z is measured (Kinect) rather than guessed (monocular video); when
    it is not, analyzers measure angles in the image plane.
    """

    positions: FloatArray
    confidence: FloatArray
    fps: float
    depth_reliable: bool
    source: str = ""
    frame_offset: int = field(default=0)

    def __post_init__(self) -> None:
        frames = self.positions.shape[0]
        if self.positions.shape != (frames, len(JOINTS), 3):
            raise ValueError(f"positions must be (frames, {len(JOINTS)}, 3)")
        if self.confidence.shape != (frames, len(JOINTS)):
            raise ValueError(f"confidence must be (frames, {len(JOINTS)})")
        if self.fps <= 0:
            raise ValueError("fps must be positive")

    @property
    def frames(self) -> int:
        return int(self.positions.shape[0])

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps

    @cached_property
    def _measured(self) -> FloatArray:
        """Positions as analyzers see them: z zeroed (NaN kept) when depth is a guess."""
        if self.depth_reliable:
            return self.positions
        planar = self.positions.copy()
        planar[:, :, 2] = np.where(np.isnan(planar[:, :, 2]), np.nan, 0.0)
        return planar

    def joint(self, name: str) -> FloatArray:
        """(frames, 3) positions of one joint; z zeroed when depth is not reliable."""
        return self._measured[:, JOINT_INDEX[name], :]

    def conf(self, name: str) -> FloatArray:
        return self.confidence[:, JOINT_INDEX[name]]

    def mid(self, name: str) -> FloatArray:
        """Midpoint of the left and right joints called ``name`` (e.g. "hip")."""
        return 0.5 * (self.joint(f"left_{name}") + self.joint(f"right_{name}"))

    def slice(self, start: int, stop: int) -> PoseSeries:
        return PoseSeries(
            self.positions[start:stop],
            self.confidence[start:stop],
            self.fps,
            self.depth_reliable,
            self.source,
            self.frame_offset + start,
        )


def concatenate(series: list[PoseSeries]) -> PoseSeries:
    """Play several recordings back to back (they must share fps and depth reliability)."""
    if not series:
        raise ValueError("nothing to concatenate")
    first = series[0]
    if any(s.fps != first.fps or s.depth_reliable != first.depth_reliable for s in series):
        raise ValueError("recordings differ in fps or depth reliability")
    return PoseSeries(
        np.concatenate([s.positions for s in series]),
        np.concatenate([s.confidence for s in series]),
        first.fps,
        first.depth_reliable,
        first.source,
    )
