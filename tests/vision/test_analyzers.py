"""Each analyzer on synthetic movements: good reps count and pass, each injected fault fires."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from glutecoach.vision.analyzers import ANALYZERS, analyze_series
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import PoseSeries
from glutecoach.vision.models import RepObservation
from glutecoach.vision.view import check_view

from . import synth
from .conftest import nan_frames

SLOW = synth.profile(4, rep_s=4.0, rest_s=1.0)


def analyze(exercise: str, series: PoseSeries, side: str | None = None) -> list[RepObservation]:
    _, profile = load_form_checks().profile_for(exercise)
    view = check_view(series, profile)
    assert view.ok, view.advice
    return analyze_series(series, profile, ANALYZERS[profile.analyzer], side, view.skipped_checks)


GOOD: dict[str, Callable[[], PoseSeries]] = {
    "bodyweight_squat": lambda: synth.squat(SLOW, noise=0.3),
    "goblet_squat": lambda: synth.squat(SLOW, view="front", noise=0.3),
    "glute_bridge": lambda: synth.bridge(synth.profile(4, rep_s=4.0, hold_s=3.0), noise=0.3),
    "clamshell": lambda: synth.clamshell(SLOW, noise=0.2),
    "single_leg_deadlift": lambda: synth.single_leg_deadlift(SLOW, noise=0.3),
    "step_up": lambda: synth.step_up(SLOW, ["left", "right"], noise=0.3),
}


@pytest.mark.parametrize("exercise", sorted(GOOD))
def test_good_reps_are_counted_and_clean(exercise: str) -> None:
    reps = analyze(exercise, GOOD[exercise]())
    assert len(reps) == 4
    assert [r.faults for r in reps] == [()] * 4
    assert all(r.quality == 1.0 and r.tracking_confidence > 0.9 for r in reps)
    assert all(r.end_s > r.start_s and r.range_of_motion > 0 for r in reps)


FAULTY: list[tuple[str, Callable[[], PoseSeries], str]] = [
    ("bodyweight_squat", lambda: synth.squat(SLOW, depth_deg=55), "shallow_depth"),
    ("bodyweight_squat", lambda: synth.squat(SLOW, lean_deg=65), "excessive_forward_lean"),
    ("bodyweight_squat", lambda: synth.squat(SLOW, view="front", valgus=0.6), "knee_valgus"),
    ("goblet_squat", lambda: synth.squat(SLOW, heel_rise=8.0), "heels_lifting"),
    (
        "glute_bridge",
        lambda: synth.bridge(synth.profile(3, rep_s=4.0), extension=0.6),
        "incomplete_hip_extension",
    ),
    (
        "glute_bridge",
        lambda: synth.bridge(synth.profile(3, rep_s=4.0), hip_drop=9.0, view="oblique"),
        "hip_drop_one_side",
    ),
    ("glute_bridge", lambda: synth.bridge(synth.profile(3, rep_s=1.2)), "rushed_lift"),
    ("clamshell", lambda: synth.clamshell(SLOW, feet_apart=0.8), "feet_separated"),
    ("clamshell", lambda: synth.clamshell(SLOW, roll_deg=40), "pelvis_rolling_back"),
    ("clamshell", lambda: synth.clamshell(SLOW, opening_deg=15), "small_opening"),
    (
        "single_leg_deadlift",
        lambda: synth.single_leg_deadlift(SLOW, leg_lag_deg=50),
        "back_not_straight",
    ),
    (
        "single_leg_deadlift",
        lambda: synth.single_leg_deadlift(SLOW, knee_soft_deg=0),
        "standing_knee_locked",
    ),
    (
        "single_leg_deadlift",
        lambda: synth.single_leg_deadlift(SLOW, pelvis_open=15, depth_measured=True),
        "pelvis_not_level",
    ),
    ("single_leg_deadlift", lambda: synth.single_leg_deadlift(SLOW, hinge_deg=35), "shallow_hinge"),
    ("step_up", lambda: synth.step_up(SLOW, ["left"], knee_in=0.8), "knee_caving"),
    ("step_up", lambda: synth.step_up(SLOW, ["left"], pelvis_drop=10), "pelvis_not_level"),
    ("step_up", lambda: synth.step_up(SLOW, ["left"], trail_push=20), "pushing_off_back_foot"),
]


@pytest.mark.parametrize(("exercise", "build", "fault"), FAULTY, ids=[f[2] for f in FAULTY])
def test_each_fault_is_flagged_on_every_rep(
    exercise: str, build: Callable[[], PoseSeries], fault: str
) -> None:
    reps = analyze(exercise, build())
    assert reps
    assert all(fault in r.faults and r.quality < 1.0 for r in reps), [r.faults for r in reps]


def test_bridge_hold_at_the_top_is_timed() -> None:
    reps = analyze("glute_bridge", synth.bridge(synth.profile(2, rep_s=4.0, hold_s=5.0)))
    assert [round(r.hold_seconds) for r in reps] == [pytest.approx(6, abs=1)] * 2
    short = analyze("glute_bridge", synth.bridge(synth.profile(2, rep_s=4.0, hold_s=0.0)))
    assert all(r.hold_seconds < reps[0].hold_seconds - 3 for r in short)


def test_single_leg_bridge_reports_the_working_side() -> None:
    reps = analyze(
        "single_leg_glute_bridge", synth.bridge(synth.profile(2, rep_s=4.0), lifted_foot="right")
    )
    assert [r.side for r in reps] == ["left", "left"]
    both = analyze("glute_bridge", synth.bridge(synth.profile(2, rep_s=4.0)))
    assert [r.side for r in both] == ["both", "both"]


def test_clamshell_side_is_the_top_leg() -> None:
    assert {r.side for r in analyze("clamshell", synth.clamshell(SLOW, top="right"))} == {"right"}
    assert {r.side for r in analyze("clamshell", synth.clamshell(SLOW, top="left"))} == {"left"}


def test_single_leg_deadlift_side_is_the_standing_leg() -> None:
    assert {
        r.side
        for r in analyze("single_leg_deadlift", synth.single_leg_deadlift(SLOW, stand="right"))
    } == {"right"}
    assert {
        r.side
        for r in analyze("single_leg_deadlift", synth.single_leg_deadlift(SLOW, stand="left"))
    } == {"left"}


def test_step_up_sides_follow_the_leading_leg() -> None:
    reps = analyze("step_up", synth.step_up(SLOW, ["left", "right"]))
    assert [r.side for r in reps] == ["left", "right", "left", "right"]


def test_explicit_side_overrides_detection() -> None:
    reps = analyze("step_up", synth.step_up(SLOW, ["left", "right"]), side="right")
    assert {r.side for r in reps} == {"right"}


def test_half_kneeling_stretch_times_each_hold_per_side() -> None:
    reps = analyze(
        "half_kneeling_hip_flexor_stretch", synth.half_kneeling([20.0, 12.0], back="right")
    )
    assert [r.side for r in reps] == ["right", "right"]
    assert [r.hold_seconds for r in reps] == [
        pytest.approx(20, abs=0.5),
        pytest.approx(12, abs=0.5),
    ]
    assert all(not r.faults for r in reps)
    leaning = analyze("half_kneeling_hip_flexor_stretch", synth.half_kneeling([15.0], lean_deg=35))
    assert leaning[0].faults == ("torso_not_upright",)
    brief = analyze("half_kneeling_hip_flexor_stretch", synth.half_kneeling([7.0]))
    assert brief[0].faults == ("hold_too_short",)


def test_standing_still_with_jitter_makes_no_rep() -> None:
    still = synth.squat(np.zeros(300), noise=1.5, seed=7)
    assert analyze("bodyweight_squat", still) == []


@pytest.mark.parametrize("seed", range(5))
def test_tracking_jitter_never_adds_or_drops_reps(seed: int) -> None:
    noisy = synth.squat(SLOW, noise=2.5, seed=seed)  # ~1.5 % of body height per joint
    assert len(analyze("bodyweight_squat", noisy)) == 4


def test_short_tracking_dropouts_are_bridged() -> None:
    series = nan_frames(synth.squat(SLOW), 100, 106)
    assert len(analyze("bodyweight_squat", series)) == 4


def test_a_3d_skeleton_measures_knee_width_from_any_view() -> None:
    """With measured depth (Kinect), front-view checks run on a side view too."""
    effort = synth.profile(3, rep_s=4.0)
    caving = synth.bridge(effort, knee_spread=0.5, depth_measured=True)
    flaring = synth.bridge(effort, knee_spread=2.0, depth_measured=True)
    assert all("knees_caving" in r.faults for r in analyze("glute_bridge", caving))
    assert all("knees_flaring" in r.faults for r in analyze("glute_bridge", flaring))
    clean = analyze("glute_bridge", synth.bridge(effort, depth_measured=True))
    assert all(not r.faults for r in clean)


def test_analyzers_are_vectorised_over_frames() -> None:
    """A long recording is analysed in one pass (throughput is measured by the benchmark)."""
    long = synth.squat(synth.profile(200, rep_s=3.0), noise=0.5)
    reps = analyze("bodyweight_squat", long)
    assert len(reps) == 200
    assert [r.index for r in reps] == list(range(1, 201))


def test_side_plank_hold_and_sagging_hips() -> None:
    [held] = analyze("side_plank", synth.side_plank(12.0))
    assert held.hold_seconds == pytest.approx(12.0, abs=0.5) and held.faults == ()
    assert held.side == "left"
    [sagging] = analyze("side_plank", synth.side_plank(12.0, sag=20.0, support="right"))
    assert sagging.faults == ("hips_sagging",) and sagging.side == "right"
