"""Vectorised signal helpers: gap filling, smoothing, geometry, and hysteresis rep segmentation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from glutecoach.vision.joints import BoolArray, FloatArray

UP = np.array([0.0, 1.0, 0.0])


def fill_gaps(values: FloatArray) -> FloatArray:
    """Linear interpolation over NaNs (edges held); all-NaN input is returned unchanged."""
    values = np.asarray(values, dtype=np.float64)
    known = ~np.isnan(values)
    if known.all() or not known.any():
        return values
    index = np.arange(values.size)
    return np.interp(index, index[known], values[known])


def smooth(values: FloatArray, window: int) -> FloatArray:
    """Centred moving average of odd width ``window`` (edges use a shrinking window)."""
    values = fill_gaps(values)
    if window <= 1 or values.size == 0 or np.isnan(values).all():
        return values
    half = window // 2
    padded = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(values.size)
    lo = np.clip(index - half, 0, values.size)
    hi = np.clip(index + half + 1, 0, values.size)
    averaged: FloatArray = (padded[hi] - padded[lo]) / (hi - lo)
    return averaged


def despike(values: FloatArray, window: int) -> FloatArray:
    """Running median of odd width ``window``: removes tracking glitches shorter than half of it.

    A glitch of a frame or two is not a movement; a real rep, however fast, lasts far longer
    than the window, so its shape survives (unlike a minimum rep duration, which drops it).
    """
    values = fill_gaps(values)
    if window < 3 or values.size < window or np.isnan(values).all():
        return values
    half = window // 2
    padded = np.concatenate([np.full(half, values[0]), values, np.full(half, values[-1])])
    medians: FloatArray = np.median(sliding_window_view(padded, window), axis=1)
    return medians


def angle_at(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """Angle a-b-c at b in degrees, per frame ((frames, 3) inputs)."""
    u, v = a - b, c - b
    return _degrees_between(u, v)


def _degrees_between(u: FloatArray, v: FloatArray) -> FloatArray:
    cos = np.einsum("fi,fi->f", u, v) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
    degrees: FloatArray = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return degrees


def angle_between(u: FloatArray, v: FloatArray) -> FloatArray:
    """Angle between per-frame vectors u (frames, 3) and v (frames, 3) or (3,), degrees."""
    return _degrees_between(u, np.broadcast_to(v, u.shape))


def from_vertical(lower: FloatArray, upper: FloatArray) -> FloatArray:
    """Angle of the segment lower->upper from straight up, degrees (0 = upright)."""
    return angle_between(upper - lower, UP)


def segment_length(a: FloatArray, b: FloatArray) -> float:
    """Robust length of a segment over a recording (90th percentile: least foreshortened)."""
    stride = max(1, a.shape[0] // 4096)  # a long recording: a sample is plenty
    lengths = np.linalg.norm(a[::stride] - b[::stride], axis=1)
    lengths = lengths[~np.isnan(lengths)]
    return float(np.percentile(lengths, 90)) if lengths.size else float("nan")


Clipped = Literal["start", "end"]


@dataclass(frozen=True)
class Segment:
    """One rep in frame indices: start (left rest), top (first frame at full effort), end.

    clipped: "start" when the recording begins mid-rep, "end" when it stops before the rep is
    over; None for a rep seen from rest to rest.
    """

    start: int
    top: int
    end: int
    clipped: Clipped | None = None


def normalise(signal: FloatArray, min_range: float) -> tuple[FloatArray, float, float] | None:
    """Map a signal to 0 (rest, 5th percentile) .. 1 (peak, 95th percentile).

    Returns None when the spread is below ``min_range`` (source units): noise alone never gets
    stretched into reps.
    """
    finite = signal[~np.isnan(signal)]
    if finite.size == 0:
        return None
    rest, peak = np.percentile(finite, [5, 95])
    if peak - rest < min_range:
        return None
    return (signal - rest) / (peak - rest), float(rest), float(peak)


def hysteresis_segments(
    phase: FloatArray, enter: float, exit: float, edges: bool = False
) -> list[Segment]:
    """Reps as excursions of ``phase`` above ``enter`` that start and end at or below ``exit``.

    A rep starts at the last frame at rest (<= exit) before the phase crosses ``enter`` and ends
    at the first frame back at rest. Jitter between the two thresholds never changes state, so
    it can never make a rep. An excursion already under way at the first frame or still open at
    the last is returned only with ``edges``, marked ``clipped`` ("start" / "end").
    """
    if not exit < enter:
        raise ValueError("exit threshold must be below enter threshold")
    n = phase.size
    if n == 0:
        return []
    index = np.arange(n)
    events = np.where(phase >= enter, 1, np.where(phase <= exit, 0, -1))
    if events[0] == -1:  # a recording starts before the movement: count its first frame as rest
        events[0] = 0
    last_event = np.maximum.accumulate(np.where(events >= 0, index, -1))
    state = np.where(last_event >= 0, events[np.maximum(last_event, 0)], -1)
    last_rest = np.maximum.accumulate(np.where(events == 0, index, -1))
    rises = np.flatnonzero((state[1:] == 1) & (state[:-1] == 0)) + 1
    falls = np.flatnonzero((state[1:] == 0) & (state[:-1] == 1)) + 1
    ends = np.searchsorted(falls, rises)
    found = [
        Segment(int(last_rest[top - 1]), int(top), int(falls[end]))
        for top, end in zip(rises, ends, strict=True)
        if end < falls.size
    ]
    if not edges:
        return found
    leading, trailing = _edge_segments(phase, state, rises, falls, last_rest, exit)
    if found and found[0].start == 0 and phase[0] > exit:  # its lift began before the recording
        found[0] = Segment(0, found[0].top, found[0].end, "start")
    return leading + found + trailing


def _edge_segments(
    phase: FloatArray,
    state: NDArray[np.int_],
    rises: NDArray[np.intp],
    falls: NDArray[np.intp],
    last_rest: NDArray[np.intp],
    exit: float,
) -> tuple[list[Segment], list[Segment]]:
    """Excursions cut by the recording's first frame, and by its last one."""
    n = phase.size
    first_rest = int(np.argmax(phase <= exit)) if (phase <= exit).any() else n
    leading: list[Segment] = []
    if state[0] == 1 and falls.size:  # under way at the first frame, back to rest later
        leading.append(Segment(0, 0, int(falls[0]), "start"))
    elif phase[0] > exit and 0 < first_rest < n and (not rises.size or rises[0] > first_rest):
        leading.append(Segment(0, 0, first_rest, "start"))  # coming down from part-way up
    trailing: list[Segment] = []
    if rises.size and (not falls.size or rises[-1] > falls[-1]):  # still open at the end
        top = int(rises[-1])
        trailing.append(Segment(int(last_rest[top - 1]), top, n - 1, "end"))
    elif phase[-1] > exit and last_rest[-1] >= 0:  # on the way up, not yet past ``enter``
        trailing.append(Segment(int(last_rest[-1]), n - 1, n - 1, "end"))
    return leading, trailing


def refine_segments(phase: FloatArray, segments: list[Segment], low: float) -> list[Segment]:
    """Widen each rep to where the movement really starts and ends.

    Hysteresis cuts at the ``exit`` level; the movement starts earlier, at the last frame at or
    below ``low`` before the rep (never before the previous rep's end), and ends at the first
    frame at or below ``low`` after it (never after the next rep's start).
    """
    if not segments:
        return segments
    n = phase.size
    index = np.arange(n)
    at_low = phase <= low
    last_low = np.maximum.accumulate(np.where(at_low, index, -1))
    next_low = np.minimum.accumulate(np.where(at_low, index, n)[::-1])[::-1]
    refined: list[Segment] = []
    for k, seg in enumerate(segments):
        floor = refined[-1].end if refined else 0
        ceiling = segments[k + 1].start if k + 1 < len(segments) else n - 1
        start = int(last_low[seg.top])
        end = int(next_low[seg.end])
        refined.append(
            Segment(
                start if start >= floor else seg.start,
                seg.top,
                end if end <= ceiling else seg.end,
                seg.clipped,
            )
        )
    return refined


def typical_peak(unit: FloatArray, enter: float, exit: float) -> float:
    """Median height of the excursions found with ``enter``/``exit`` (1.0 if there are none).

    Used to rescale a signal so that one unusually deep rep does not make the others look
    shallow.
    """
    peaks = [float(unit[s.start : s.end + 1].max()) for s in hysteresis_segments(unit, enter, exit)]
    return float(np.median(peaks)) if peaks else 1.0


def longest_run(mask: BoolArray) -> int:
    """Length of the longest run of True values."""
    if mask.size == 0 or not mask.any():
        return 0
    padded = np.concatenate([[False], mask.astype(bool), [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return int((edges[1::2] - edges[::2]).max())


def close_gaps(mask: BoolArray, max_gap: int) -> BoolArray:
    """Fill runs of False no longer than ``max_gap`` that have True on both sides."""
    mask = mask.astype(bool)
    if max_gap <= 0 or not mask.any():
        return mask
    starts, stops = run_edges(~mask)
    fill = (starts > 0) & (stops < mask.size) & (stops - starts <= max_gap)
    if not fill.any():
        return mask
    change = np.zeros(mask.size + 1, dtype=np.int64)
    np.add.at(change, starts[fill], 1)
    np.add.at(change, stops[fill], -1)
    filled: BoolArray = mask | (np.cumsum(change[:-1]) > 0)
    return filled


def run_edges(mask: BoolArray) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Starts and stops (exclusive) of the runs of True values, as arrays."""
    padded = np.concatenate([[False], mask.astype(bool), [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return edges[::2], edges[1::2]


def longest_span(mask: BoolArray) -> tuple[int, int]:
    """(start, stop) of the first longest run of True values; (0, 0) when there is none."""
    starts, stops = run_edges(mask)
    if not starts.size:
        return 0, 0
    best = int(np.argmax(stops - starts))
    return int(starts[best]), int(stops[best])


def runs(mask: BoolArray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True values."""
    starts, stops = run_edges(mask)
    return [(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


def longest_bridged_run(mask: BoolArray, max_gap: int) -> tuple[int, int]:
    """(start, stop) of the longest run of True once gaps of at most ``max_gap`` False values
    between two runs are bridged (``close_gaps`` then ``longest_span``, in one pass over the
    run edges); (0, 0) when there is none."""
    starts, stops = run_edges(mask)
    if not starts.size:
        return 0, 0
    if max_gap > 0 and starts.size > 1:
        joined = np.concatenate([[False], starts[1:] - stops[:-1] <= max_gap])
        first = np.flatnonzero(~joined)  # runs that start a bridged run
        last = np.concatenate([first[1:], [starts.size]]) - 1
        starts, stops = starts[first], stops[last]
    best = int(np.argmax(stops - starts))
    return int(starts[best]), int(stops[best])


def fast_median(values: FloatArray) -> float:
    """Median of a small array without NaNs (partition, no copies of the caller's array)."""
    n = values.size
    half = n // 2
    if n % 2:
        return float(np.partition(values, half)[half])
    pair = np.partition(values, (half - 1, half))
    return float(0.5 * (pair[half - 1] + pair[half]))
