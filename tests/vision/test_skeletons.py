from __future__ import annotations

import numpy as np
import pytest

from glutecoach.vision.joints import JOINT_INDEX, PoseSeries, concatenate
from glutecoach.vision.skeletons import (
    KINECT_MAP,
    MEDIAPIPE_MAP,
    from_kinect,
    from_mediapipe,
    to_mediapipe,
)

from . import synth


def test_mediapipe_round_trip_keeps_positions_and_confidence() -> None:
    series = synth.squat(synth.profile(1), view="front")
    back = from_mediapipe(to_mediapipe(series, 640, 480), 640, 480, series.fps)
    np.testing.assert_allclose(back.positions[:, :, :2], series.positions[:, :, :2], atol=1e-9)
    np.testing.assert_allclose(back.confidence, series.confidence)


def test_mediapipe_axes_are_pixels_with_y_up() -> None:
    landmarks = np.full((1, 33, 4), np.nan)
    landmarks[0, MEDIAPIPE_MAP["left_hip"]] = (0.25, 0.5, -0.1, 0.9)
    landmarks[0, MEDIAPIPE_MAP["left_knee"]] = (0.25, 0.75, 0.0, 0.9)
    series = from_mediapipe(landmarks, 640, 480, 30.0)
    hip = series.positions[0, JOINT_INDEX["left_hip"]]
    knee = series.positions[0, JOINT_INDEX["left_knee"]]
    assert hip[0] == pytest.approx(160.0) and hip[1] == pytest.approx(-240.0)
    assert hip[1] > knee[1]  # the hip is above the knee
    assert hip[2] == pytest.approx(64.0)  # MediaPipe's negative z (towards camera) -> positive


def test_landmarks_outside_the_picture_are_not_tracked() -> None:
    landmarks = np.zeros((1, 33, 4))
    landmarks[0, :, :2] = 0.5
    landmarks[0, :, 3] = 0.99
    landmarks[0, MEDIAPIPE_MAP["left_ankle"], 1] = 1.3
    series = from_mediapipe(landmarks, 640, 480, 30.0)
    assert series.conf("left_ankle")[0] == 0.0
    assert series.conf("left_knee")[0] == pytest.approx(0.99)


def test_kinect_mapping_uses_the_readme_joint_numbers() -> None:
    positions = np.zeros((2, 22, 3))
    positions[:, 15] = (1.0, 2.0, 3.0)  # left lower leg (knee)
    positions[:, 20] = (4.0, 5.0, 6.0)  # right foot (ankle)
    series = from_kinect(positions)
    np.testing.assert_allclose(series.joint("left_knee")[0], (1, 2, 3))
    np.testing.assert_allclose(series.joint("right_ankle")[0], (4, 5, 6))
    assert np.isnan(series.joint("left_heel")).all() and series.conf("left_heel").max() == 0
    assert series.depth_reliable
    assert set(KINECT_MAP) < set(MEDIAPIPE_MAP)


def test_shapes_are_checked() -> None:
    with pytest.raises(ValueError):
        from_mediapipe(np.zeros((3, 32, 4)), 640, 480, 30.0)
    with pytest.raises(ValueError):
        from_kinect(np.zeros((3, 21, 3)))
    with pytest.raises(ValueError):
        PoseSeries(np.zeros((3, 17, 3)), np.zeros((3, 16)), 30.0, False)


def test_concatenate_plays_back_to_back() -> None:
    a = synth.squat(synth.profile(1))
    joined = concatenate([a, a])
    assert joined.frames == 2 * a.frames
