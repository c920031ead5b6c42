"""The wrong exercise is refused from every camera direction: the posture check reads the
body's orientation (trunk upright or not, knees bent or straight, hips above or below the knees)
from any view around the body, not only from the side."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from glutecoach.vision import uiprmd
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import PoseSeries, concatenate
from glutecoach.vision.models import AnalysisResult
from glutecoach.vision.pipeline import PoseTrack, analyze_track
from glutecoach.vision.recording import LandmarkRecording
from glutecoach.vision.skeletons import to_mediapipe

from . import synth
from .test_uiprmd_as_video import _projected

MOVING = synth.profile(3, rep_s=3.0)


def _held(series: PoseSeries) -> PoseSeries:
    """Only the held position (the builder stands up for 2 s before and after)."""
    keep = slice(int(2 * synth.FPS) + 1, -int(2 * synth.FPS) - 1)
    return replace(series, positions=series.positions[keep], confidence=series.confidence[keep])


STILL = np.ones(240)
VIEWS = ("side", "front", "oblique")

BODIES: dict[str, Callable[[str], PoseSeries]] = {
    "standing squats": lambda v: synth.squat(MOVING, view=v),
    "a wall sit": lambda v: synth.squat(STILL, lean_deg=10, view=v),
    "glute bridges": lambda v: synth.bridge(MOVING, view=v),
    "a plank": lambda v: synth.single_leg_deadlift(
        STILL, hinge_deg=90, leg_lag_deg=0, knee_soft_deg=0, view=v
    ),
    "kickbacks on all fours": lambda v: synth.single_leg_deadlift(
        0.3 * MOVING + 0.7, hinge_deg=95, knee_soft_deg=60, view=v
    ),
    "a half-kneeling stretch": lambda v: _held(synth.half_kneeling([6.0], view=v)),
}

# exercise -> the bodies that are not it (each filmed from every view)
WRONG: dict[str, tuple[str, ...]] = {
    "goblet_squat": (
        "a wall sit",
        "glute bridges",
        "a plank",
        "kickbacks on all fours",
        "a half-kneeling stretch",
    ),
    "glute_bridge": (
        "standing squats",
        "a wall sit",
        "a plank",
        "kickbacks on all fours",
        "a half-kneeling stretch",
    ),
    "single_leg_deadlift": (
        "a wall sit",
        "glute bridges",
        "a plank",
        "kickbacks on all fours",
        "a half-kneeling stretch",
    ),
    "step_up": ("a wall sit", "glute bridges", "a plank", "kickbacks on all fours"),
    "half_kneeling_hip_flexor_stretch": ("glute bridges", "a plank", "kickbacks on all fours"),
    "side_plank": ("standing squats", "a wall sit", "a half-kneeling stretch"),
    "clamshell": ("standing squats", "a wall sit", "a half-kneeling stretch"),
}
CASES = [(e, b, v) for e, bodies in WRONG.items() for b in bodies for v in VIEWS]


def _analyze(exercise: str, series: PoseSeries) -> AnalysisResult:
    landmarks = to_mediapipe(series, synth.WIDTH, synth.HEIGHT)
    rec = LandmarkRecording(landmarks, series.fps, synth.WIDTH, synth.HEIGHT)
    return analyze_track(PoseTrack("clip", rec), exercise)


@pytest.mark.parametrize(("exercise", "body", "view"), CASES, ids=[" ".join(c) for c in CASES])
def test_the_wrong_exercise_is_refused_from_any_view(exercise: str, body: str, view: str) -> None:
    result = _analyze(exercise, BODIES[body](view))
    assert not result.view.ok and result.reps == ()
    _, profile = load_form_checks().profile_for(exercise)
    if result.view.view in profile.views and not result.view.missing_joints:
        # a view the exercise is filmed from: refused because of the body, and it says so
        name = exercise.replace("_", " ")
        assert result.view.wrong_exercise.startswith(f"This does not look like a {name}")


RIGHT = (
    [("goblet_squat", "standing squats", v) for v in VIEWS]
    + [("glute_bridge", "glute bridges", v) for v in ("side", "oblique")]
    + [
        ("half_kneeling_hip_flexor_stretch", "a half-kneeling stretch", "side"),
    ]
)


@pytest.mark.parametrize(("exercise", "body", "view"), RIGHT, ids=[" ".join(c) for c in RIGHT])
def test_the_right_exercise_is_scored_from_its_views(exercise: str, body: str, view: str) -> None:
    result = _analyze(exercise, BODIES[body](view))
    assert result.view.ok, result.view.advice
    assert result.view.wrong_exercise == ""


REAL = [
    (movement, view, exercise)
    for movement in ("m01", "m02", "m05")  # deep squat, hurdle step, sit to stand
    for view in ("side", "front")
    for exercise in ("glute_bridge", "clamshell", "side_plank")
]


@pytest.mark.parametrize(("movement", "view", "exercise"), REAL, ids=[" ".join(c) for c in REAL])
def test_real_upright_movements_are_not_lying_exercises(
    uiprmd_root: Path, movement: str, view: str, exercise: str
) -> None:
    """UI-PRMD subject 1's real movements (projected as a camera would see them) analysed as an
    exercise done lying down: refused, from the side and from the front."""
    reps = [
        r
        for r in uiprmd.list_repetitions(uiprmd_root)
        if r.movement == movement and r.subject == "s01" and r.correct
    ]
    series = _projected(
        concatenate([r.load() for r in sorted(reps, key=lambda r: r.episode)]), view
    )
    result = _analyze(exercise, series)
    assert not result.view.ok and result.reps == ()
    assert "upright" in result.view.advice or "hips are above" in result.view.advice
