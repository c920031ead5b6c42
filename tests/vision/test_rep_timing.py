"""Reps at any speed, reps cut by the recording's edges, holds and tempo in the person's range.

Real data (UI-PRMD deep squats, played faster and slower and cut mid-rep) and synthetic bridges
with known holds and lift times.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from glutecoach.vision import uiprmd
from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.analyzers.base import SeriesAnalysis, analyze_series_full
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import PoseSeries, concatenate

from . import synth
from .replay import played_at

SUBJECTS = [f"s{k:02d}" for k in range(1, 8)]


def _squats(root: Path, subject: str) -> PoseSeries:
    reps = [
        r
        for r in uiprmd.list_repetitions(root)
        if r.movement == "m01" and r.correct and r.subject == subject
    ]
    return concatenate([r.load() for r in sorted(reps, key=lambda r: r.episode)])


def _analyze(series: PoseSeries, exercise: str = "bodyweight_squat") -> SeriesAnalysis:
    _, profile = load_form_checks().profile_for(exercise)
    return analyze_series_full(series, profile, ANALYZERS[profile.analyzer])


@pytest.mark.parametrize("speed", [0.5, 1.0, 1.5, 2.0])
def test_real_squats_count_exactly_at_any_playback_speed(uiprmd_root: Path, speed: float) -> None:
    counted = {s: len(_analyze(played_at(_squats(uiprmd_root, s), speed)).reps) for s in SUBJECTS}
    assert counted == dict.fromkeys(SUBJECTS, 10)


def test_fast_real_reps_are_kept_not_dropped_by_a_time_floor(uiprmd_root: Path) -> None:
    """At 2x the real reps last well under the 0.8 s floor the profile used to apply."""
    durations = [
        rep.end_s - rep.start_s
        for s in SUBJECTS
        for rep in _analyze(played_at(_squats(uiprmd_root, s), 2.5)).reps
    ]
    assert len(durations) == 70
    assert min(durations) < 0.8


def _bottoms(analysis: SeriesAnalysis) -> list[float]:
    return [rep.start_s + (rep.end_s - rep.start_s) / 2 for rep in analysis.reps]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_reps_cut_at_the_bottom_at_both_ends_are_counted_as_clipped(
    uiprmd_root: Path, subject: str
) -> None:
    series = _squats(uiprmd_root, subject)
    whole = _analyze(series).reps
    first, last = whole[0], whole[-1]
    fps = series.fps
    # cut inside the first rep just after its deepest point, and the last one just before it
    first_bottom = round((first.start_s + 0.55 * (first.end_s - first.start_s)) * fps)
    last_bottom = round((last.start_s + 0.45 * (last.end_s - last.start_s)) * fps)
    cut = _analyze(series.slice(first_bottom, last_bottom))
    assert len(cut.reps) == 10, [(r.start_s, r.end_s, r.clipped) for r in cut.reps]
    assert cut.reps[0].clipped == "start" and cut.reps[-1].clipped == "end"
    assert all(r.clipped is None for r in cut.reps[1:-1])
    assert cut.partial == []


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_rep_cut_before_its_bottom_is_reported_partial_not_counted(
    uiprmd_root: Path, subject: str
) -> None:
    series = _squats(uiprmd_root, subject)
    last = _analyze(series).reps[-1]
    early = round((last.start_s + 0.22 * (last.end_s - last.start_s)) * series.fps)
    cut = _analyze(series.slice(0, early))
    assert len(cut.reps) == 9
    assert [r.clipped for r in cut.partial] == ["end"]


def _bridge_effort(lift_s: float, hold_s: float, settle: float, reps: int = 2) -> np.ndarray:
    """Rest, lift to the top (1.0) in ``lift_s``, settle to ``settle`` and hold, lower, rest."""
    fps = synth.FPS
    rise = np.sin(np.linspace(0, np.pi / 2, round(lift_s * fps))) ** 2
    down_to_hold = np.linspace(1.0, settle, round(0.3 * fps))
    lower = np.sin(np.linspace(np.pi / 2, 0, round(1.0 * fps))) ** 2 * settle
    one = np.concatenate([rise, down_to_hold, np.full(round(hold_s * fps), settle), lower])
    rest = np.zeros(round(1.5 * fps))
    return np.concatenate([rest, *[np.concatenate([one, rest]) for _ in range(reps)]])


@pytest.mark.parametrize("hold_s", [2.0, 3.0, 4.0])
@pytest.mark.parametrize("settle", [0.75, 0.85, 1.0])
def test_a_hold_is_the_plateau_near_the_persons_own_top(hold_s: float, settle: float) -> None:
    """The hold sits below the brief top of the lift (as real hips settle): it still counts."""
    reps = _analyze(synth.bridge(_bridge_effort(1.5, hold_s, settle), noise=0.3), "glute_bridge")
    assert len(reps.reps) == 2
    for rep in reps.reps:
        assert rep.hold_seconds == pytest.approx(hold_s, abs=0.5), rep.hold_seconds


def test_a_rep_without_a_hold_has_almost_none() -> None:
    reps = _analyze(synth.bridge(synth.profile(3, rep_s=3.0), noise=0.3), "glute_bridge").reps
    assert len(reps) == 3 and all(r.hold_seconds < 0.6 for r in reps)


def _front_loaded_lift(lift_s: float) -> np.ndarray:
    """A lift that covers 85 % of its range in under half its time, then slows into the top."""
    t = np.linspace(0, 1, round(lift_s * synth.FPS))
    rise = 1 - (1 - t) ** 3
    lower = np.sin(np.linspace(np.pi / 2, 0, 30)) ** 2
    one = np.concatenate([rise, np.ones(30), lower, np.zeros(45)])
    return np.concatenate([np.zeros(45), one, one, one])


@pytest.mark.parametrize("lift_s", [1.2, 1.4])
def test_tempo_spans_the_whole_lift_so_a_steady_lift_is_not_rushed(lift_s: float) -> None:
    reps = _analyze(synth.bridge(_front_loaded_lift(lift_s), noise=0.2), "glute_bridge").reps
    assert len(reps) == 3
    assert all("rushed_lift" not in r.faults for r in reps), [r.metrics for r in reps]
    assert all(r.metrics["up_seconds"] >= 0.6 * lift_s for r in reps)


def test_a_really_rushed_lift_is_still_flagged() -> None:
    reps = _analyze(synth.bridge(_front_loaded_lift(0.4), noise=0.2), "glute_bridge").reps
    assert len(reps) == 3 and all("rushed_lift" in r.faults for r in reps)
