from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glutecoach.vision.signal import (
    despike,
    fill_gaps,
    hysteresis_segments,
    longest_run,
    normalise,
    refine_segments,
    runs,
    smooth,
)

from . import synth


def test_hysteresis_counts_clean_reps_and_ignores_an_unfinished_one() -> None:
    phase = np.concatenate([synth.profile(3), np.linspace(0, 1, 20)])
    segments = hysteresis_segments(phase, enter=0.5, exit=0.25)
    assert len(segments) == 3
    assert all(s.start < s.top < s.end for s in segments)
    assert all(phase[s.end] <= 0.25 for s in segments)


def test_jitter_between_thresholds_makes_no_rep() -> None:
    phase = 0.375 + 0.12 * np.sin(np.arange(300) * 1.7)  # crosses 0.3 .. 0.45 constantly
    assert hysteresis_segments(phase, enter=0.5, exit=0.25) == []


def test_single_threshold_would_have_counted_the_jitter() -> None:
    """The same jitter across one threshold is many 'reps': why separate thresholds matter."""
    phase = 0.5 + 0.1 * np.sin(np.arange(300) * 1.7)
    crossings = np.sum((phase[1:] >= 0.5) & (phase[:-1] < 0.5))
    assert crossings > 10
    assert hysteresis_segments(phase, enter=0.65, exit=0.3) == []


@settings(max_examples=60, deadline=None)
@given(
    reps=st.integers(min_value=1, max_value=6),
    amplitude=st.floats(min_value=0.0, max_value=0.1),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_noise_below_the_hysteresis_gap_never_changes_the_count(
    reps: int, amplitude: float, seed: int
) -> None:
    clean = synth.profile(reps)
    noisy = clean + np.random.default_rng(seed).uniform(-amplitude, amplitude, clean.size)
    assert len(hysteresis_segments(noisy, enter=0.5, exit=0.25)) == reps


def test_exit_must_be_below_enter() -> None:
    with pytest.raises(ValueError, match="exit"):
        hysteresis_segments(np.zeros(10), enter=0.3, exit=0.3)


def test_normalise_refuses_to_stretch_noise_into_reps() -> None:
    rng = np.random.default_rng(1)
    assert normalise(rng.normal(0, 0.5, 500), min_range=10.0) is None
    scaled = normalise(np.concatenate([np.zeros(50), np.full(50, 40.0)]), min_range=10.0)
    assert scaled is not None
    assert scaled[0].min() == pytest.approx(0.0) and scaled[0].max() == pytest.approx(1.0)


def test_refine_widens_reps_to_the_real_start_and_end() -> None:
    phase = synth.profile(2)
    raw = hysteresis_segments(phase, 0.5, 0.25)
    refined = refine_segments(phase, raw, low=0.1)
    for before, after in zip(raw, refined, strict=True):
        assert after.start < before.start and after.end > before.end
        assert phase[after.start] <= 0.1 and phase[after.end] <= 0.1


def test_smooth_and_fill_gaps() -> None:
    values = np.array([0.0, np.nan, 2.0, np.nan, np.nan, 5.0])
    np.testing.assert_allclose(fill_gaps(values), [0, 1, 2, 3, 4, 5])
    steps = np.repeat([0.0, 9.0], 10)
    smoothed = smooth(steps, 3)
    assert smoothed[9] == pytest.approx(3.0) and smoothed[10] == pytest.approx(6.0)
    np.testing.assert_array_equal(smooth(steps, 1), steps)


def test_runs() -> None:
    mask = np.array([0, 1, 1, 0, 1, 1, 1, 0], dtype=bool)
    assert runs(mask) == [(1, 3), (4, 7)]
    assert longest_run(mask) == 3
    assert longest_run(np.zeros(4, dtype=bool)) == 0


def test_reps_cut_by_the_recordings_edges_are_returned_only_when_asked() -> None:
    whole = synth.profile(3)
    top = int(np.argmax(whole > 0.99))
    clipped = whole[top:-45]  # starts at a top, ends halfway down the last rep
    assert all(s.clipped is None for s in hysteresis_segments(clipped, 0.5, 0.25))
    edged = hysteresis_segments(clipped, 0.5, 0.25, edges=True)
    assert edged[0].clipped == "start" and edged[0].start == 0
    assert edged[-1].clipped == "end" and edged[-1].end == clipped.size - 1
    assert [s.clipped for s in edged[1:-1]] == [None] * (len(edged) - 2)


def test_a_rising_edge_below_enter_is_a_partial_excursion() -> None:
    phase = np.concatenate([synth.profile(1), np.linspace(0, 0.4, 10)])
    edged = hysteresis_segments(phase, 0.5, 0.25, edges=True)
    assert [s.clipped for s in edged] == [None, "end"]


def test_despike_removes_glitches_and_keeps_fast_reps() -> None:
    fast = np.sin(np.linspace(0, np.pi, 15)) ** 2  # a 0.5 s rep at 30 fps
    signal = np.concatenate([np.zeros(20), fast, np.zeros(20)])
    glitched = signal.copy()
    glitched[5:7] = 1.0  # a two-frame tracking jump
    cleaned = despike(glitched, 7)
    assert cleaned[:15].max() < 0.01
    assert cleaned.max() > 0.75  # the rep keeps its shape: still far above any enter level


def test_a_rep_whose_lift_began_before_the_recording_is_marked_clipped() -> None:
    whole = synth.profile(2)
    start = int(np.argmax(whole > 0.35))  # part-way up the first lift
    edged = hysteresis_segments(whole[start:], 0.5, 0.25, edges=True)
    assert [s.clipped for s in edged] == ["start", None]
    assert [s.clipped for s in hysteresis_segments(whole, 0.5, 0.25, edges=True)] == [None, None]


def test_the_one_pass_hold_plateau_equals_closing_gaps_then_the_longest_run() -> None:
    from glutecoach.vision.signal import close_gaps, longest_bridged_run, longest_span

    rng = np.random.default_rng(7)
    for _ in range(300):
        mask = rng.random(int(rng.integers(0, 60))) < rng.random()
        gap = int(rng.integers(0, 5))
        assert longest_bridged_run(mask, gap) == longest_span(close_gaps(mask, gap))


def test_the_fast_median_is_the_median() -> None:
    from glutecoach.vision.signal import fast_median

    rng = np.random.default_rng(3)
    for size in range(1, 40):
        values = rng.normal(size=size)
        assert fast_median(values) == pytest.approx(float(np.median(values)))
