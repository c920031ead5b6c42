"""The squat's sideways hip shift: weight moved onto one leg, measured from the person's own
stance (a wide stance is not a shift)."""

from __future__ import annotations

import pytest
from tests.vision import synth

from glutecoach.vision.analyzers import ANALYZERS, analyze_series
from glutecoach.vision.form_checks import load_form_checks


def _shift(**kwargs: float) -> list[float]:
    profile = load_form_checks().profiles["squat"]
    series = synth.squat(synth.profile(3), view="front", **kwargs)  # type: ignore[arg-type]
    reps = analyze_series(series, profile, ANALYZERS["squat"])
    assert len(reps) == 3
    return [r.metrics["hip_shift_ratio"] for r in reps]


def test_hip_shift_is_measured_from_the_persons_own_stance() -> None:
    assert max(_shift(stance=1.05)) < 0.05
    assert max(_shift(stance=1.8)) < 0.05  # wide feet, hips centred: no shift
    assert min(_shift(hip_shift=0.3)) == pytest.approx(0.3, abs=0.05)
