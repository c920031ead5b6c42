from __future__ import annotations

import numpy as np

from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import JOINT_INDEX, PoseSeries
from glutecoach.vision.view import check_view, detect_view

from . import synth

EFFORT = synth.profile(2, rep_s=3.0)


def _profile(exercise: str):  # type: ignore[no-untyped-def]
    return load_form_checks().profile_for(exercise)[1]


def _hide(series: PoseSeries, *joints: str) -> PoseSeries:
    confidence = series.confidence.copy()
    for joint in joints:
        confidence[:, JOINT_INDEX[joint]] = 0.1
    return PoseSeries(series.positions, confidence, series.fps, series.depth_reliable)


def test_views_are_told_apart() -> None:
    assert detect_view(synth.squat(EFFORT, view="side")) == "side"
    assert detect_view(synth.squat(EFFORT, view="front")) == "front"
    assert detect_view(synth.bridge(EFFORT)) == "side"
    assert detect_view(synth.clamshell(EFFORT)) == "front"


def test_bridge_filmed_from_the_front_asks_for_a_side_view() -> None:
    squat_front = synth.squat(EFFORT, view="front")
    view = check_view(squat_front, _profile("glute_bridge"))
    assert not view.ok
    assert "needs a side or oblique view" in view.advice and "side-on" in view.advice


def test_step_up_filmed_from_the_side_asks_for_a_front_view() -> None:
    view = check_view(synth.squat(EFFORT, view="side"), _profile("step_up"))
    assert not view.ok and "needs a front or oblique view" in view.advice


def test_joints_not_tracked_are_named() -> None:
    hidden = _hide(synth.squat(EFFORT), "left_ankle", "right_ankle")
    view = check_view(hidden, _profile("bodyweight_squat"))
    assert not view.ok
    assert view.missing_joints == ("ankle",)
    assert "can't see your ankles" in view.advice


def test_one_side_hidden_is_fine_from_the_side() -> None:
    far_side_hidden = _hide(synth.squat(EFFORT), "right_knee", "right_ankle", "right_hip")
    assert check_view(far_side_hidden, _profile("bodyweight_squat")).ok


def test_squat_from_the_front_skips_side_only_checks_and_says_so() -> None:
    view = check_view(synth.squat(EFFORT, view="front"), _profile("goblet_squat"))
    assert view.ok
    assert set(view.skipped_checks) == {"shallow_depth", "excessive_forward_lean", "heels_lifting"}
    assert "Not checked from this angle" in view.advice


def test_legs_that_are_too_short_for_the_torso_are_not_in_view() -> None:
    """The pose model guesses legs it cannot see; guessed legs come out far too short."""
    series = synth.squat(EFFORT)
    positions = series.positions.copy()
    hips = positions[:, [JOINT_INDEX["left_hip"], JOINT_INDEX["right_hip"]]]
    for joint in ("knee", "ankle", "heel", "toe"):
        for k, side in enumerate(("left", "right")):
            j = JOINT_INDEX[f"{side}_{joint}"]
            positions[:, j] = hips[:, k] + 0.3 * (positions[:, j] - hips[:, k])
    squashed = PoseSeries(positions, series.confidence, series.fps, False)
    view = check_view(squashed, _profile("bodyweight_squat"))
    assert not view.ok and "legs" in view.missing_joints[0]


def test_no_frames_is_not_ok() -> None:
    empty = PoseSeries(np.zeros((0, 17, 3)), np.zeros((0, 17)), 30.0, False)
    assert not check_view(empty, _profile("clamshell")).ok
