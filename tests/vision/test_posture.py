"""'This does not look like a glute bridge': the posture at rest must match the exercise."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import PoseSeries
from glutecoach.vision.pipeline import PoseTrack, analyze_track
from glutecoach.vision.posture import posture_mismatch
from glutecoach.vision.recording import LandmarkRecording
from glutecoach.vision.skeletons import to_mediapipe
from glutecoach.vision.view import detect_view

from . import synth
from .conftest import record
from .test_cli import invoke

MOVING = synth.profile(3, rep_s=3.0)
STILL = np.ones(240)


def mismatch(exercise: str, series: PoseSeries) -> str:
    _, profile = load_form_checks().profile_for(exercise)
    with np.errstate(invalid="ignore", divide="ignore"):
        phase = ANALYZERS[profile.analyzer].features(series, None)["phase"]
    return posture_mismatch(series, profile, phase, exercise.replace("_", " "), detect_view(series))


def _analyze(exercise: str, series: PoseSeries):  # type: ignore[no-untyped-def]
    rec = LandmarkRecording(
        to_mediapipe(series, synth.WIDTH, synth.HEIGHT), series.fps, synth.WIDTH, synth.HEIGHT
    )
    return analyze_track(PoseTrack("clip", rec), exercise)


def _prone_plank() -> PoseSeries:
    """A front plank filmed from the side: the bridge's body with straight legs, held still."""
    return synth.single_leg_deadlift(np.ones(240), hinge_deg=90, leg_lag_deg=0, knee_soft_deg=0)


WRONG = [
    ("glute_bridge", lambda: synth.squat(MOVING), "you seem to be upright"),
    ("glute_bridge", lambda: synth.squat(MOVING, view="front"), "you seem to be upright"),
    ("goblet_squat", lambda: synth.squat(STILL, lean_deg=10), "bent knees"),  # a wall sit
    ("single_leg_deadlift", lambda: synth.bridge(MOVING), "lying down or on all fours"),
    ("bodyweight_squat", lambda: synth.bridge(MOVING), "lying down or on all fours"),
]


@pytest.mark.parametrize(("exercise", "build", "seen"), WRONG, ids=[w[2] for w in WRONG])
def test_the_wrong_posture_is_named(exercise: str, build, seen: str) -> None:  # type: ignore[no-untyped-def]
    said = mismatch(exercise, build())
    name = exercise.replace("_", " ")
    assert said.startswith(f"This does not look like a {name}: ") and seen in said


def test_a_kickback_on_all_fours_is_not_a_single_leg_deadlift() -> None:
    quadruped = synth.single_leg_deadlift(
        0.3 * synth.profile(3, rep_s=3.0) + 0.7, hinge_deg=95, knee_soft_deg=60
    )
    assert "lying down or on all fours" in mismatch("single_leg_deadlift", quadruped)


def test_a_plank_is_not_a_glute_bridge() -> None:
    assert "legs straight" in mismatch("glute_bridge", _prone_plank())


RIGHT = [
    ("glute_bridge", lambda: synth.bridge(MOVING)),
    ("glute_bridge", lambda: synth.bridge(MOVING, view="oblique")),
    ("glute_bridge", lambda: synth.bridge(MOVING, view="front")),  # filmed from the feet
    ("bodyweight_squat", lambda: synth.squat(MOVING)),
    ("goblet_squat", lambda: synth.squat(MOVING, view="front")),
    ("single_leg_deadlift", lambda: synth.single_leg_deadlift(MOVING)),
    ("clamshell", lambda: synth.clamshell(MOVING)),
    ("step_up", lambda: synth.step_up(MOVING, ["left", "right"])),
]


@pytest.mark.parametrize(
    ("exercise", "build"), RIGHT, ids=[f"{r[0]}-{i}" for i, r in enumerate(RIGHT)]
)
def test_the_right_posture_passes(exercise: str, build) -> None:  # type: ignore[no-untyped-def]
    assert mismatch(exercise, build()) == ""


def test_a_wrong_exercise_is_not_scored_and_says_so() -> None:
    result = analyze_track(
        PoseTrack(
            "plank",
            LandmarkRecording(
                to_mediapipe(_prone_plank(), synth.WIDTH, synth.HEIGHT), 30.0, 640, 480
            ),
        ),
        "glute_bridge",
    )
    assert not result.view.ok and result.reps == ()
    assert result.view.wrong_exercise.startswith("This does not look like a glute bridge")


def test_the_cli_exits_3_and_prints_the_mismatch(tmp_path: Path) -> None:
    path = record(synth.squat(MOVING), tmp_path / "squat.npz")
    code, out, _ = invoke("analyze", str(path), "--exercise", "glute_bridge")
    assert code == 3 and "does not look like a glute bridge" in out
    code, out, _ = invoke("analyze", str(path), "--exercise", "glute_bridge", "--json")
    assert code == 3
    assert json.loads(out)[0]["result"]["view"]["wrong_exercise"]
