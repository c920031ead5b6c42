"""Cut reps out of a phase signal, in the person's own range.

- No minimum rep duration: tracking glitches are removed by a running median before smoothing
  (``signal.despike``), so a real fast rep keeps its shape and is counted.
- The range is calibrated from the person's own reps (their rest and top, medians over the
  reps seen so far), not from a fixed range.
- A rep already under way at the first frame, or unfinished at the last, is counted when it
  shows the person's top (``clipped`` says which end is missing) and reported as partial
  otherwise.
- A hold is a still plateau in the upper part of the rep's own range, not a fixed level, and
  "still" is judged against the rep's own speed, so a slow rep's creep into the top is no hold.
- Tempo (``up_seconds``) runs over the whole concentric phase: from leaving rest to arriving at
  the held top.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glutecoach.vision.form_model import RepRule
from glutecoach.vision.joints import BoolArray, FloatArray
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
STILL_SHARE = 0.15  # ... moving slower than this share of the rep's own lift (lowering) speed
MOVE_BAND = (0.2, PLATEAU_FLOOR)  # the rep's own speed: this share of its range / time taken
SPEED_SPAN_SHARE = 0.45  # speed measured over +- this share of the time the rep's own speed takes
#                          over its whole range ...
SPEED_BASELINE_S = 0.15  # ... and over at least +- this many seconds (tracking jitter averages out)
PLATEAU_GAP_S = 0.2  # a hold interrupted for less than this is one hold
DEFAULT_MOVE_S = 0.4  # the MOVE_BAND time assumed when neither the lift nor the lowering was seen
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


def _speed(window: FloatArray, half_span: int) -> FloatArray:
    """|d phase / d frame| over +- ``half_span`` frames (edges use what there is)."""
    index = np.arange(window.size)
    lo = np.clip(index - half_span, 0, window.size - 1)
    hi = np.clip(index + half_span, 0, window.size - 1)
    speed: FloatArray = np.abs(window[hi] - window[lo]) / np.maximum(hi - lo, 1)
    return speed


def _move_frames(window: FloatArray, base: float, spread: float) -> tuple[int, int, int, int]:
    """(frames the lift takes across MOVE_BAND of the rep's range, frames the lowering takes,
    first and last frame above the band); 0 for a lift or lowering the window does not show."""
    low, high = (base + share * spread for share in MOVE_BAND)
    above = np.flatnonzero(window >= high)
    first_high, last_high = int(above[0]), int(above[-1])
    low_before = np.flatnonzero(window[:first_high] <= low)
    low_after = np.flatnonzero(window[last_high:] <= low)
    up = first_high - int(low_before[-1]) if low_before.size else 0
    down = int(low_after[0]) if low_after.size else 0
    return up, down, first_high, last_high


def _still(window: FloatArray, base: float, spread: float, fps: float) -> BoolArray:
    """Frames moving slower than STILL_SHARE of the rep's own speed: the lift's before the
    middle of the top, the lowering's after it. The speed is measured over a span that scales
    with the rep's own tempo too, so that a slow rep's creep into and out of the top is not
    "still" and tracking jitter weighs the same at every tempo."""
    up, down, first_high, last_high = _move_frames(window, base, spread)
    seen = [frames for frames in (up, down) if frames]
    typical = min(seen) if seen else round(DEFAULT_MOVE_S * fps)
    band = MOVE_BAND[1] - MOVE_BAND[0]
    half_span = max(round(SPEED_BASELINE_S * fps), round(SPEED_SPAN_SHARE * typical / band))
    covered = band * spread
    middle = (first_high + last_high) // 2
    limit = np.empty(window.size)
    limit[:middle] = STILL_SHARE * covered / (up or typical)
    limit[middle:] = STILL_SHARE * covered / (down or typical)
    still: BoolArray = _speed(window, half_span) <= limit
    return still


def hold_and_tempo(unit: FloatArray, seg: Segment, fps: float) -> tuple[float, float]:
    """(seconds held still near the rep's own top, seconds of the whole concentric phase).

    The hold: the longest run of frames in the upper part of the rep's range (``PLATEAU_FLOOR``)
    that are still by the rep's own tempo (``_still``), gaps under ``PLATEAU_GAP_S`` bridged.
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
    still = _still(window, base, spread, fps)
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
