from __future__ import annotations

from pathlib import Path

import pytest

from glutecoach.core.models import FormSummary
from glutecoach.vision import measure_set, summarize
from glutecoach.vision.errors import UnknownExerciseError, ViewProblem
from glutecoach.vision.models import RepObservation

from . import synth
from .conftest import record


def rep(
    index: int,
    side: str = "both",
    faults: tuple[str, ...] = (),
    quality: float = 1.0,
    hold: float = 0.0,
) -> RepObservation:
    return RepObservation(
        index=index,
        side=side,
        start_s=index,
        end_s=index + 1,
        range_of_motion=40.0,  # type: ignore[arg-type]
        hold_seconds=hold,
        faults=faults,
        quality=quality,
        tracking_confidence=0.9,
    )


def test_summary_counts_good_form_faults_and_holds() -> None:
    reps = [
        rep(1, hold=2.0),
        rep(2, faults=("knee_valgus",), quality=0.6, hold=4.0),
        rep(3, faults=("knee_valgus", "heels_lifting"), quality=0.4),
    ]
    summary = summarize(reps)
    assert isinstance(summary, FormSummary)
    assert summary.reps_observed == 3 and summary.good_form_reps == 1
    assert summary.good_form_share == pytest.approx(1 / 3, abs=1e-3)
    assert summary.mean_hold_seconds == pytest.approx(3.0)
    assert summary.faults == {"heels_lifting": 1, "knee_valgus": 2}
    assert summary.symmetry is None and summary.source == "camera"


def test_symmetry_is_min_over_max_of_quality_weighted_reps_per_side() -> None:
    reps = [
        rep(1, "left"),
        rep(2, "left"),
        rep(3, "right", quality=0.5),
        rep(4, "right", quality=0.5),
    ]
    assert summarize(reps).symmetry == pytest.approx(0.5)
    balanced = [rep(1, "left"), rep(2, "right")]
    assert summarize(balanced).symmetry == pytest.approx(1.0)


def test_empty_summary() -> None:
    summary = summarize([])
    assert summary.reps_observed == 0 and summary.good_form_share == 0.0
    assert summary.mean_hold_seconds is None


def test_measure_set_from_a_recording(tmp_path: Path) -> None:
    path = record(synth.step_up(synth.profile(4, rep_s=4.0), ["left", "right"]), tmp_path / "s.npz")
    reps, summary = measure_set("low_step_up", path)
    assert len(reps) == 4 and summary.reps_observed == 4
    assert summary.symmetry == pytest.approx(1.0)
    with pytest.raises(UnknownExerciseError):
        measure_set("bird_dog", path)


def test_measure_set_refuses_a_bad_view(tmp_path: Path) -> None:
    path = record(synth.bridge(synth.profile(2, rep_s=3.0), view="front"), tmp_path / "f.npz")
    with pytest.raises(ViewProblem, match="side or oblique view"):
        measure_set("glute_bridge", path)


def test_calibration_offsets_each_person_by_their_own_reference_reps() -> None:
    import numpy as np

    from glutecoach.vision.classify import calibrated_to_person

    features = np.array([[1.0, 10.0], [3.0, 14.0], [5.0, 20.0], [9.0, 30.0]])
    groups = ["a", "a", "b", "b"]
    reference = np.array([True, False, True, False])
    out = calibrated_to_person(features, groups, reference)
    np.testing.assert_allclose(out, [[0, 0], [2, 4], [0, 0], [4, 10]])
    untouched = calibrated_to_person(features, groups, np.zeros(4, dtype=bool))
    np.testing.assert_allclose(untouched, features)
