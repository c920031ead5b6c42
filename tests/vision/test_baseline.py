"""Per-person calibration of the fault checks: the person's first clean reps are the reference
later reps (and later sets) are judged against, as well as the catalog's fixed thresholds."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests.vision import synth

from builders import MONDAY, answers
from glutecoach.core.camera_baseline import latest_camera_baseline
from glutecoach.core.models import FormSummary, History, Phase, SessionLog, SetLog
from glutecoach.vision import uiprmd
from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.analyzers.base import SeriesAnalysis, analyze_series_full
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.form_model import Profile
from glutecoach.vision.joints import PoseSeries, concatenate
from glutecoach.vision.models import FormBaseline
from glutecoach.vision.summary import summarize

SQUAT = load_form_checks().profiles["squat"]


def _uncalibrated(profile: Profile) -> Profile:
    checks = tuple(c.model_copy(update={"personal_margin": None}) for c in profile.checks)
    return profile.model_copy(update={"checks": checks})


def _analyse(
    series: PoseSeries, profile: Profile = SQUAT, carried: FormBaseline | None = None
) -> SeriesAnalysis:
    return analyze_series_full(series, profile, ANALYZERS["squat"], baseline=carried)


def _scaled(series: PoseSeries, factor: float) -> PoseSeries:
    """The same movement by a smaller or larger body (every length times ``factor``)."""
    return replace(series, positions=series.positions * factor)


def _squats(root: Path, subject: str, correct: bool) -> list[PoseSeries]:
    reps = [
        r
        for r in uiprmd.list_repetitions(root)
        if r.movement == "m01" and r.subject == subject and r.correct == correct
    ]
    return [r.load() for r in sorted(reps, key=lambda r: r.episode)]


@pytest.mark.parametrize("factor", [0.6, 1.0, 1.5])
def test_faults_past_the_persons_own_clean_reps_are_found_at_any_body_size(
    uiprmd_root: Path, factor: float
) -> None:
    """UI-PRMD s01: three correct deep squats, then the ten incorrect ones. Some incorrect reps
    stay inside the fixed thresholds but are far shallower than the person's own good reps."""
    series = _scaled(
        concatenate(_squats(uiprmd_root, "s01", True)[:3] + _squats(uiprmd_root, "s01", False)),
        factor,
    )
    calibrated = _analyse(series)
    fixed_only = _analyse(series, _uncalibrated(SQUAT))
    assert len(calibrated.reps) == len(fixed_only.reps) == 13
    assert calibrated.baseline is not None and calibrated.baseline.reps_used == 3
    later = calibrated.reps[3:]
    flagged = sum(bool(r.faults) for r in later)
    flagged_fixed = sum(bool(r.faults) for r in fixed_only.reps[3:])
    assert flagged >= flagged_fixed + 2
    assert any("shallow_depth" in r.calibrated_faults for r in later)
    assert all(set(r.calibrated_faults) <= set(r.faults) for r in later)


def test_clean_reps_get_no_fault_from_the_baseline(uiprmd_root: Path) -> None:
    """Every subject's ten correct deep squats: the baseline adds no fault to any of them."""
    for subject in ("s01", "s02", "s03", "s04", "s05", "s06", "s07"):
        analysis = _analyse(concatenate(_squats(uiprmd_root, subject, True)))
        assert len(analysis.reps) == 10
        assert analysis.baseline is not None
        assert [r.calibrated_faults for r in analysis.reps if r.calibrated_faults] == [], subject


def _deep_then_shallow(deep: int, shallow: int) -> PoseSeries:
    """Squats to 110° of thigh rotation, then to 80° (hip still above the fixed limit)."""
    effort = np.concatenate([synth.profile(deep), 0.73 * synth.profile(shallow)])
    return synth.squat(effort, view="side", depth_deg=110.0)


def test_a_set_calibrates_from_its_first_clean_reps() -> None:
    series = _deep_then_shallow(3, 3)
    fixed = _analyse(series, _uncalibrated(SQUAT))
    assert [r.faults for r in fixed.reps] == [()] * 6  # inside the fixed limit
    calibrated = _analyse(series)
    assert [r.faults for r in calibrated.reps[:3]] == [()] * 3
    assert [r.calibrated_faults for r in calibrated.reps[3:]] == [("shallow_depth",)] * 3
    assert all(r.quality < 1.0 for r in calibrated.reps[3:])
    assert summarize(calibrated.reps, calibrated.baseline).good_form_reps == 3


def test_the_baseline_is_carried_to_the_next_set() -> None:
    first = _analyse(_deep_then_shallow(3, 0))
    assert first.baseline is not None
    form = summarize(first.reps, first.baseline)
    assert form.baseline["hip_below_knee_ratio"] == pytest.approx(0.33, abs=0.03)
    second_set = synth.squat(0.73 * synth.profile(4), view="side", depth_deg=110.0)
    alone = _analyse(second_set)
    assert [r.faults for r in alone.reps] == [()] * 4  # on its own, shallow is all it knows
    carried = FormBaseline(metrics=form.baseline, reps_used=0)
    judged = _analyse(second_set, carried=carried)
    assert [r.calibrated_faults for r in judged.reps] == [("shallow_depth",)] * 4
    assert judged.baseline == carried  # no clean reps of its own: the carried one is kept


def test_faulty_first_reps_never_become_the_baseline() -> None:
    """A person whose reps all cave in gets no baseline: the fixed limit keeps flagging them."""
    series = synth.squat(synth.profile(5), view="front", valgus=0.6)
    analysis = _analyse(series)
    assert all("knee_valgus" in r.faults for r in analysis.reps)
    assert analysis.baseline is None


def _camera_set(exercise: str, baseline: dict[str, float]) -> SetLog:
    form = FormSummary(reps_observed=5, good_form_reps=5, good_form_share=1.0, baseline=baseline)
    return SetLog(exercise_id=exercise, set_index=1, reps=5, form=form)


def test_the_latest_camera_baseline_of_the_exercise_is_carried() -> None:
    history = History(
        screening=answers(),
        screened_on=MONDAY,
        sessions=(
            SessionLog(
                performed_on=MONDAY,
                phase=Phase(2),
                sets=(_camera_set("goblet_squat", {"trunk_lean_deg": 30.0}),),
            ),
            SessionLog(
                performed_on=MONDAY + dt.timedelta(days=2),
                phase=Phase(2),
                sets=(
                    _camera_set("goblet_squat", {"trunk_lean_deg": 25.0}),
                    _camera_set("goblet_squat", {}),  # a set without one does not erase it
                    _camera_set("glute_bridge", {"peak_hip_angle_deg": 170.0}),
                ),
            ),
        ),
    )
    assert latest_camera_baseline(history, "goblet_squat") == {"trunk_lean_deg": 25.0}
    assert latest_camera_baseline(history, "glute_bridge") == {"peak_hip_angle_deg": 170.0}
    assert latest_camera_baseline(history, "step_up") == {}
