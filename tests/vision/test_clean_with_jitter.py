"""Clean reps with tracking jitter get no fault, in every exercise with an analyzer (and a
real fault still shows through the same jitter)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from glutecoach.vision.joints import PoseSeries
from glutecoach.vision.models import AnalysisResult
from glutecoach.vision.pipeline import PoseTrack, analyze_track
from glutecoach.vision.recording import LandmarkRecording
from glutecoach.vision.skeletons import to_mediapipe

from . import synth

SET = synth.profile(8, rep_s=2.0, hold_s=0.5)

CLEAN: dict[str, Callable[[float, int], PoseSeries]] = {
    "glute_bridge": lambda n, s: synth.bridge(SET, noise=n, seed=s, view="oblique"),
    "bodyweight_squat": lambda n, s: synth.squat(SET, noise=n, seed=s, view="oblique"),
    "goblet_squat": lambda n, s: synth.squat(SET, noise=n, seed=s, view="front"),
    "clamshell": lambda n, s: synth.clamshell(SET, noise=n, seed=s),
    "side_lying_hip_abduction": lambda n, s: synth.clamshell(SET, noise=n, seed=s),
    "single_leg_deadlift": lambda n, s: synth.single_leg_deadlift(SET, noise=n, seed=s),
    "step_up": lambda n, s: synth.step_up(SET, ["left", "right"], noise=n, seed=s),
}


def _analyze(exercise: str, series: PoseSeries) -> AnalysisResult:
    rec = LandmarkRecording(
        to_mediapipe(series, synth.WIDTH, synth.HEIGHT), series.fps, synth.WIDTH, synth.HEIGHT
    )
    return analyze_track(PoseTrack("clip", rec), exercise)


@pytest.mark.parametrize("exercise", sorted(CLEAN))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clean_reps_with_jitter_have_no_fault(exercise: str, seed: int) -> None:
    result = _analyze(exercise, CLEAN[exercise](4.0, seed))  # 4 px per joint, every frame
    assert result.view.ok and len(result.reps) == 8
    assert [r.faults for r in result.reps if r.faults] == []


def test_a_clamshell_pelvis_rolling_back_shows_through_the_jitter() -> None:
    result = _analyze("clamshell", synth.clamshell(SET, roll_deg=35, noise=3.0, seed=4))
    assert sum("pelvis_rolling_back" in r.faults for r in result.reps) >= 7
