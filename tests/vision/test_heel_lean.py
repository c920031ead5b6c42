"""Heel rise and forward lean, both ways: flagged when there, not when not; fast reps too;
and oblique squats scored on what an oblique camera can measure."""

from __future__ import annotations

import numpy as np
import pytest

from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.analyzers.base import analyze_series
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import JOINT_INDEX, PoseSeries
from glutecoach.vision.models import RepObservation
from glutecoach.vision.view import check_view

from . import synth

SLOW = synth.profile(4, rep_s=3.0)
FAST = synth.profile(4, rep_s=1.2, rest_s=0.6)  # 0.6 s down, 0.6 s up


def _analyze(series: PoseSeries) -> tuple[list[RepObservation], tuple[str, ...]]:
    _, profile = load_form_checks().profile_for("bodyweight_squat")
    view = check_view(series, profile)
    assert view.ok, view.advice
    reps = analyze_series(series, profile, ANALYZERS["squat"], None, view.skipped_checks)
    return reps, view.skipped_checks


def _flickering_heels(series: PoseSeries, seed: int = 0) -> PoseSeries:
    """Backlight: the heel landmarks jump up and down by a quarter of a shin in 15 % of frames."""
    positions = series.positions.copy()
    rng = np.random.default_rng(seed)
    for side in ("left", "right"):
        j = JOINT_INDEX[f"{side}_heel"]
        flicker = rng.random(series.frames) < 0.15
        positions[flicker, j, 1] += rng.choice([-1.0, 1.0], flicker.sum()) * 0.25 * 2 * synth.SHIN
    return PoseSeries(positions, series.confidence, series.fps, False)


def _camera_tilting(series: PoseSeries, effort: np.ndarray) -> PoseSeries:
    """The camera tips during each rep: the whole body moves up the picture by 15 px."""
    positions = series.positions.copy()
    positions[:, :, 1] += 15.0 * effort[:, None]
    return PoseSeries(positions, series.confidence, series.fps, False)


@pytest.mark.parametrize("seed", range(3))
def test_flat_heels_under_a_flickering_heel_landmark_are_not_lifting(seed: int) -> None:
    reps, _ = _analyze(_flickering_heels(synth.squat(SLOW, noise=0.3), seed))
    assert len(reps) == 4
    assert all("heels_lifting" not in r.faults for r in reps), [r.metrics for r in reps]


@pytest.mark.parametrize("seed", range(3))
def test_lifted_heels_under_a_flickering_heel_landmark_are_lifting(seed: int) -> None:
    reps, _ = _analyze(_flickering_heels(synth.squat(SLOW, heel_rise=8.0, noise=0.3), seed))
    assert len(reps) == 4 and all("heels_lifting" in r.faults for r in reps)


def test_a_moving_camera_is_not_a_heel_rise() -> None:
    reps, _ = _analyze(_camera_tilting(synth.squat(SLOW), SLOW))
    assert len(reps) == 4 and all(r.faults == () for r in reps), [r.metrics for r in reps]


@pytest.mark.parametrize(("lean", "flagged"), [(25.0, False), (65.0, True)])
def test_forward_lean_is_judged_on_fast_reps_both_ways(lean: float, flagged: bool) -> None:
    reps, _ = _analyze(synth.squat(FAST, lean_deg=lean, noise=0.3))
    assert len(reps) == 4
    assert all(("excessive_forward_lean" in r.faults) == flagged for r in reps)
    assert all(r.end_s - r.start_s < 1.3 for r in reps)


def test_an_oblique_squat_is_scored_on_depth_and_skips_lean() -> None:
    series = synth.squat(SLOW, view="oblique", noise=0.3)
    _, profile = load_form_checks().profile_for("bodyweight_squat")
    view = check_view(series, profile)
    assert view.ok and view.view == "oblique"
    assert "excessive_forward_lean" in view.skipped_checks
    assert "shallow_depth" not in view.skipped_checks
    deep, _ = _analyze(series)
    assert len(deep) == 4 and all("shallow_depth" not in r.faults for r in deep)
    shallow, _ = _analyze(synth.squat(SLOW, view="oblique", depth_deg=55, noise=0.3))
    assert len(shallow) == 4 and all("shallow_depth" in r.faults for r in shallow)
