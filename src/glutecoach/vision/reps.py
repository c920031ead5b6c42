"""Cut reps out of a phase signal, in the person's own range.

- No minimum rep duration: tracking glitches are removed by a running median before smoothing
  (``signal.despike``), so a real fast rep keeps its shape and is counted.
- The range is calibrated from the person's own reps (their rest and top, medians over the
  reps seen so far), not from a fixed range.
- A rep already under way at the first frame, or unfinished at the last, is counted when it
  shows the person's top (``clipped`` says which end is missing) and reported as partial
  otherwise.
- A hold is a still plateau in the upper part of the rep's own range, not a fixed level.
- Tempo (``up_seconds``) runs over the whole concentric phase: from leaving rest to arriving at
  the held top.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glutecoach.vision.form_model import RepRule
from glutecoach.vision.joints import FloatArray
from glutecoach.vision.signal import (
    Segment,
    fast_median,
    hysteresis_segments,
    longest_bridged_run,
    normalise,
    refine_segments,
    typical_peak,
)

LOW_LEVEL = 0.1  # share of the person's range counted as "not moving yet" when timing a rep
EDGE_EVIDENCE = 0.8  # a clipped rep counts when it reaches this share of the person's top
PLATEAU_FLOOR = 0.6  # a hold sits above this share of the rep's own range ...
PLATEAU_SPEED = 0.35  # ... moving slower than this share of the range per second
SPEED_BASELINE_S = 0.15  # speed measured over +- this many seconds (tracking jitter averages out)
PLATEAU_GAP_S = 0.2  # a hold interrupted for less than this is one hold
EDGE = 0.03  # the concentric phase starts and ends within this share of the range of rest/top
LOOK_BACK_S = 1.0  # how far before a rep's cut start its lift may have begun


@dataclass(frozen=True)
class Calibration:
    """The person's own rest and top, in the phase signal's units, from their first reps."""

    rest: float
    top: float
    reps_used: int


@dataclass(frozen=True)
class Cut:
    """Counted reps (clipped ones included when they show the top), partial reps, the phase
    scaled to the person's range (0 rest, 1 top), and the calibration used."""

    segments: list[Segment]
    partial: list[Segment]
    unit: FloatArray
    calibration: Calibration | None


def _first_pass(phase: FloatArray, rule: RepRule) -> FloatArray | None:
    scaled = normalise(phase, rule.min_range)
    if scaled is None:
        return None
    unit = np.nan_to_num(scaled[0], nan=0.0)
    result: FloatArray = unit / max(typical_peak(unit, 0.5 * rule.enter, 0.5 * rule.exit), 0.5)
    return result


def calibrate(phase: FloatArray, unit: FloatArray, rule: RepRule) -> Calibration | None:
    """Rest and top (source units): medians over the person's complete reps so far.

    Medians, so that one unusually deep or shallow rep does not make the others look shallow
    or deep; all reps seen so far rather than only the first few, so that a person whose first
    reps are their biggest still has the later ones counted.
    """
    half = hysteresis_segments(unit, 0.5 * rule.enter, 0.5 * rule.exit)  # small reps too
    first = refine_segments(unit, half, 0.5 * LOW_LEVEL)
    if not first:
        return None
    filled = np.where(np.isnan(phase), np.nanmedian(phase), phase)
    rest = float(np.median([filled[s.start : s.end + 1].min() for s in first]))
    top = float(np.median([filled[s.start : s.end + 1].max() for s in first]))
    if top - rest < rule.min_range:
        return None
    return Calibration(rest, top, len(first))


def cut_reps(phase: FloatArray, rule: RepRule) -> Cut:
    """Reps from a smoothed phase signal (see the module docstring)."""
    unit0 = _first_pass(phase, rule)
    if unit0 is None:
        return Cut([], [], np.zeros_like(phase), None)
    calibration = calibrate(phase, unit0, rule)
    unit = unit0
    if calibration is not None:
        filled = np.where(np.isnan(phase), calibration.rest, phase)
        unit = (filled - calibration.rest) / (calibration.top - calibration.rest)
    found = refine_segments(
        unit, hysteresis_segments(unit, rule.enter, rule.exit, edges=True), LOW_LEVEL
    )
    counted: list[Segment] = []
    partial: list[Segment] = []
    for seg in found:
        (counted if seg.clipped is None or _shows_the_top(unit, seg) else partial).append(seg)
    return Cut(counted, partial, unit, calibration)


def _shows_the_top(unit: FloatArray, seg: Segment) -> bool:
    return bool(unit[seg.start : seg.end + 1].max() >= EDGE_EVIDENCE)


def _speed(window: FloatArray, fps: float) -> FloatArray:
    """|d phase / dt| over +- SPEED_BASELINE_S (edges use what there is)."""
    k = max(1, round(SPEED_BASELINE_S * fps))
    index = np.arange(window.size)
    lo = np.clip(index - k, 0, window.size - 1)
    hi = np.clip(index + k, 0, window.size - 1)
    span = np.maximum(hi - lo, 1) / fps
    speed: FloatArray = np.abs(window[hi] - window[lo]) / span
    return speed


def hold_and_tempo(unit: FloatArray, seg: Segment, fps: float) -> tuple[float, float]:
    """(seconds held still near the rep's own top, seconds of the whole concentric phase).

    The concentric phase runs from the last frame at rest (within ``EDGE`` of the rep's own
    range) before the top to the first frame within ``EDGE`` of the held level, so a lift that
    eases out of rest or creeps into the top is timed in full. NaN for a rep whose start is
    clipped (its lift was not seen).
    """
    window = unit[seg.start : seg.end + 1]
    if window.size < 2:
        return 0.0, float("nan")
    base = float(min(window[0], window[-1]))
    peak_at = int(np.argmax(window))
    spread = float(window[peak_at]) - base
    if spread <= 0:
        return 0.0, float("nan")
    high = window >= base + PLATEAU_FLOOR * spread
    still = _speed(window, fps) <= PLATEAU_SPEED * spread
    longest = longest_bridged_run(high & still, round(PLATEAU_GAP_S * fps))
    hold = (longest[1] - longest[0]) / fps
    level = fast_median(window[longest[0] : longest[1]]) if hold > 0 else float(window[peak_at])
    if seg.clipped == "start":
        return hold, float("nan")
    return hold, _concentric_seconds(unit, seg, level, fps)


def _concentric_seconds(unit: FloatArray, seg: Segment, level: float, fps: float) -> float:
    """From the last frame at the person's rest before the rep's top (looking back up to
    LOOK_BACK_S before the rep's cut start, which sits part-way up at LOW_LEVEL) to the first
    frame within EDGE of the held level."""
    first = max(0, seg.start - round(LOOK_BACK_S * fps))
    before = unit[first : seg.top + 1]
    rest = float(before.min())
    spread = level - rest
    if spread <= 0:
        return float("nan")
    left = first + int(np.flatnonzero(before <= rest + EDGE * spread)[-1])
    arrived = np.flatnonzero(unit[left : seg.end + 1] >= level - EDGE * spread)
    top = left + int(arrived[0]) if arrived.size else seg.top
    return max(0, top - left) / fps
