"""Holds inside reps are timed right at every tempo, for every rep exercise with a hold.

The synthetic reps (``synth.profile``: raised-cosine lift and lowering, 1 s each at 1x) are
played at 0.5x-2x: the lift and lowering take 1/tempo as long, the hold at the top keeps its
true length (0 s: no pause at the top). Before the hold was judged against the rep's own speed,
a slow rep's creep into and out of the top counted as held: 0.5x, true 0 s read 0.47 s (0.83 s
with jitter), true 2 s read 2.47 s (2.80 s).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from glutecoach.catalog.loader import load_catalog
from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.analyzers.base import SeriesAnalysis, analyze_series_full
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import PoseSeries

from . import synth

TEMPOS = [0.5, 0.75, 1.0, 1.5, 2.0]
TRUE_HOLDS = [0.0, 2.0, 5.0]
REPS = 4
JITTER_PX = 4.0
Builder = Callable[[np.ndarray, float, int], PoseSeries]

BUILDERS: dict[str, Builder] = {
    "glute_bridge": lambda e, n, s: synth.bridge(e, noise=n, seed=s),
    "banded_glute_bridge": lambda e, n, s: synth.bridge(e, knee_spread=1.05, noise=n, seed=s),
    "single_leg_glute_bridge": lambda e, n, s: synth.bridge(e, lifted_foot="left", noise=n, seed=s),
    "clamshell": lambda e, n, s: synth.clamshell(e, noise=n, seed=s),
    "banded_clamshell": lambda e, n, s: synth.clamshell(e, noise=n, seed=s),
    "side_lying_hip_abduction": lambda e, n, s: synth.clamshell(e, noise=n, seed=s),
}
# The clamshell's phase (the thighs' opening angle, from small limbs side-lying) carries about
# twice the bridge's jitter at the top (0.05-0.06 of the range vs 0.023 at 4 px): its holds
# are checked without jitter here; docs/vision.md ("Holds") gives what jitter does to them.
JITTERED = ["glute_bridge", "banded_glute_bridge", "single_leg_glute_bridge"]


def _rep_exercises_with_a_hold() -> set[str]:
    analysed = load_form_checks().exercises
    return {
        ex.id
        for ex in load_catalog().exercises.values()
        if ex.dose.reps and ex.dose.hold_seconds and ex.id in analysed
    }


def test_every_rep_exercise_with_a_hold_in_the_catalog_is_covered() -> None:
    assert set(BUILDERS) == _rep_exercises_with_a_hold()


def _analyze(
    exercise: str, tempo: float, hold_s: float, jitter: float, seed: int
) -> SeriesAnalysis:
    effort = synth.profile(REPS, rep_s=2.0 / tempo, hold_s=hold_s, rest_s=1.0)
    _, profile = load_form_checks().profile_for(exercise)
    series = BUILDERS[exercise](effort, jitter, seed)
    return analyze_series_full(series, profile, ANALYZERS[profile.analyzer])


def _assert_holds(analysis: SeriesAnalysis, hold_s: float) -> None:
    tolerance = max(0.3, 0.15 * hold_s) + 1e-6
    measured = [rep.hold_seconds for rep in analysis.reps]
    assert len(measured) == REPS, measured
    assert all(abs(m - hold_s) <= tolerance for m in measured), (hold_s, measured)


@pytest.mark.parametrize("tempo", TEMPOS)
@pytest.mark.parametrize("hold_s", TRUE_HOLDS)
@pytest.mark.parametrize("exercise", sorted(BUILDERS))
def test_hold_is_right_at_every_tempo(exercise: str, hold_s: float, tempo: float) -> None:
    _assert_holds(_analyze(exercise, tempo, hold_s, 0.0, 0), hold_s)


@pytest.mark.parametrize("tempo", TEMPOS)
@pytest.mark.parametrize("hold_s", TRUE_HOLDS)
@pytest.mark.parametrize("exercise", JITTERED)
def test_hold_is_right_at_every_tempo_with_jitter(
    exercise: str, hold_s: float, tempo: float
) -> None:
    for seed in (0, 1, 2):
        _assert_holds(_analyze(exercise, tempo, hold_s, JITTER_PX, seed), hold_s)


def test_a_slow_rep_without_a_pause_gets_no_long_hold() -> None:
    """The quoted defect: at half speed the approach to the top was counted as held."""
    reps = _analyze("glute_bridge", 0.5, 0.0, JITTER_PX, 0).reps
    assert len(reps) == REPS and max(r.hold_seconds for r in reps) <= 0.3 + 1e-6
