"""The analyzer contract and the runner shared by every exercise.

An analyzer turns a PoseSeries into per-frame features (numpy arrays, one value per frame,
computed for all frames at once). One of them, "phase", rises with effort; the runner smooths
it, cuts reps with hysteresis, then asks the analyzer for each rep's side and metrics. Faults
come from the profile's checks (catalog data), never from the analyzer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from glutecoach.vision.baseline import apply_baseline
from glutecoach.vision.form_model import Check, Profile, RepRule
from glutecoach.vision.joints import SIDES, FloatArray, PoseSeries
from glutecoach.vision.judge import judge
from glutecoach.vision.models import FormBaseline, RepObservation, RepSide
from glutecoach.vision.reps import Calibration, Cut, cut_reps, hold_and_tempo
from glutecoach.vision.signal import (
    Segment,
    despike,
    fast_median,
    hysteresis_segments,
    longest_run,
    segment_length,
    smooth,
)

Features = dict[str, FloatArray]
GENERIC_METRICS = frozenset({"hold_seconds", "up_seconds", "duration_s"})


class Analyzer(ABC):
    """One exercise family. Subclasses declare the metrics they measure (checked on load)."""

    name: ClassVar[str]
    own_metrics: ClassVar[frozenset[str]]
    bilateral: ClassVar[bool] = True
    phase_unit: ClassVar[str] = "deg"
    # features from landmarks that flicker (heels, toes): cleared of glitches like the phase
    glitchy: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def metric_names(cls) -> frozenset[str]:
        return cls.own_metrics | GENERIC_METRICS

    @abstractmethod
    def features(self, series: PoseSeries, side: str | None) -> Features:
        """Per-frame features, including "phase"."""

    @abstractmethod
    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        """The rep's metrics (names from own_metrics)."""

    def rep_side(self, feats: Features, seg: Segment) -> RepSide:
        return "both"

    def whole_recording(self, feats: Features) -> Features:
        """Values over the whole recording that every rep refers to (computed once, after the
        phase is scaled to the person's range: feats["unit_phase"])."""
        return {}


def leg_length(series: PoseSeries, side: str) -> float:
    return segment_length(series.joint(f"{side}_hip"), series.joint(f"{side}_knee")) + (
        segment_length(series.joint(f"{side}_knee"), series.joint(f"{side}_ankle"))
    )


def mean_leg_length(series: PoseSeries) -> float:
    lengths = [leg_length(series, s) for s in SIDES]
    finite = [x for x in lengths if x == x]
    return float(np.mean(finite)) if finite else float("nan")


def weighted_sides(
    series: PoseSeries, stems: tuple[str, ...], left: FloatArray, right: FloatArray
) -> FloatArray:
    """Per-frame average of a left and a right feature, weighted by the joints' confidence."""
    wl = np.min([series.conf(f"left_{s}") for s in stems], axis=0)
    wr = np.min([series.conf(f"right_{s}") for s in stems], axis=0)
    wl = np.where(np.isnan(left), 0.0, wl)
    wr = np.where(np.isnan(right), 0.0, wr)
    total = wl + wr
    blended = (np.nan_to_num(left) * wl + np.nan_to_num(right) * wr) / np.where(total > 0, total, 1)
    return np.where(total > 0, blended, np.nan)


def lateral_axis(series: PoseSeries) -> FloatArray:
    """Unit vector per frame from the right hip to the left hip (the body's lateral axis)."""
    axis = series.joint("left_hip") - series.joint("right_hip")
    unit: FloatArray = axis / np.linalg.norm(axis, axis=1, keepdims=True)
    return unit


def _odd_window(seconds: float, fps: float) -> int:
    frames = round(seconds * fps)
    return frames + 1 if frames % 2 == 0 else frames


def cut_segments(phase: FloatArray, rule: RepRule, fps: float) -> Cut:
    """Reps (or holds) from a smoothed phase signal, and the phase scaled to 0..1."""
    if rule.kind == "holds":
        unit = np.clip(np.nan_to_num(phase), 0, 1)
        segs = hysteresis_segments(np.concatenate([unit, [0.0]]), rule.enter, rule.exit)
        segs = [s for s in segs if s.end - s.top >= rule.min_hold_seconds * fps]
        held = [Segment(s.top, s.top, min(s.end, unit.size - 1)) for s in segs]
        return Cut(held, [], unit, None)
    return cut_reps(phase, rule)


def tracking_per_frame(series: PoseSeries, profile: Profile) -> FloatArray:
    """Per frame, the confidence of the worst-tracked required joint (best of its two sides)."""
    conf = [
        np.maximum(series.conf(f"left_{s}"), series.conf(f"right_{s}"))
        if s != "head"
        else series.conf("head")
        for s in profile.required_joints
    ]
    worst: FloatArray = np.min(conf, axis=0)
    return worst


def _tracking(tracked: FloatArray, seg: Segment) -> float:
    window = tracked[seg.start : seg.end + 1]
    return float(np.clip(np.mean(window), 0, 1)) if window.size else 0.0


@dataclass(frozen=True)
class SeriesAnalysis:
    """Counted reps, partial reps at the recording's edges (not counted), the person's own
    range the reps were measured in, and the clean-rep baseline their faults were judged by."""

    reps: list[RepObservation]
    partial: list[RepObservation]
    calibration: Calibration | None
    baseline: FormBaseline | None = None
    phase_now: float | None = None  # the last frame's phase in the person's range (0 rest, 1 top)


def analyze_series(
    series: PoseSeries,
    profile: Profile,
    analyzer: Analyzer,
    side: str | None = None,
    skipped_checks: tuple[str, ...] = (),
) -> list[RepObservation]:
    """Cut reps and score each one against the profile's checks (counted reps only)."""
    return analyze_series_full(series, profile, analyzer, side, skipped_checks).reps


def analyze_series_full(
    series: PoseSeries,
    profile: Profile,
    analyzer: Analyzer,
    side: str | None = None,
    skipped_checks: tuple[str, ...] = (),
    baseline: FormBaseline | None = None,
    raw: Features | None = None,
) -> SeriesAnalysis:
    """Counted reps, partial reps and the calibration (see ``reps.cut_reps``); faults judged
    against the person's own clean reps too (``baseline``: carried from an earlier set).
    ``raw``: the analyzer's features of this series when the caller already has them."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return _analyze(series, profile, analyzer, side, skipped_checks, baseline, raw)


def smoothed_features(
    series: PoseSeries,
    profile: Profile,
    analyzer: Analyzer,
    side: str | None,
    raw: Features | None = None,
) -> Features:
    """The analyzer's features, smoothed; the phase is first cleared of tracking glitches.
    ``raw``: the analyzer's features when already computed (not modified)."""
    window = _odd_window(profile.rep.smoothing_seconds, series.fps)
    raw = dict(raw) if raw is not None else analyzer.features(series, side)
    for name in {"phase", *analyzer.glitchy}:
        raw[name] = despike(raw[name], window)
    return {k: smooth(v, window) for k, v in raw.items()}


def _analyze(
    series: PoseSeries,
    profile: Profile,
    analyzer: Analyzer,
    side: str | None,
    skipped_checks: tuple[str, ...],
    carried: FormBaseline | None = None,
    raw: Features | None = None,
) -> SeriesAnalysis:
    feats = smoothed_features(series, profile, analyzer, side, raw)
    cut = cut_segments(feats["phase"], profile.rep, series.fps)
    feats["unit_phase"] = cut.unit
    feats |= analyzer.whole_recording(feats)
    tracked = tracking_per_frame(series, profile)
    checks = [c for c in profile.checks if c.fault not in skipped_checks]

    def observe(index: int, seg: Segment) -> RepObservation:
        return _observe(index, seg, series, profile, analyzer, side, feats, tracked, checks)

    reps = [observe(i, seg) for i, seg in enumerate(cut.segments, start=1)]
    partial = [observe(i, seg) for i, seg in enumerate(cut.partial, start=1)]
    reps, baseline = apply_baseline(reps, checks, profile.min_fault_confidence, carried)
    now = float(cut.unit[-1]) if cut.unit.size and np.isfinite(cut.unit[-1]) else None
    return SeriesAnalysis(reps, partial, cut.calibration, baseline, now)


def _timing(feats: Features, seg: Segment, rule: RepRule, fps: float) -> dict[str, float]:
    if rule.kind == "holds":
        held = longest_run(feats["unit_phase"][seg.start : seg.end + 1] >= 0.5) / fps
        return {"hold_seconds": held, "duration_s": (seg.end - seg.start) / fps}
    hold, tempo = hold_and_tempo(feats["unit_phase"], seg, fps)
    return {"hold_seconds": hold, "up_seconds": tempo, "duration_s": (seg.end - seg.start) / fps}


def _observe(
    index: int,
    seg: Segment,
    series: PoseSeries,
    profile: Profile,
    analyzer: Analyzer,
    side: str | None,
    feats: Features,
    tracked: FloatArray,
    checks: list[Check],
) -> RepObservation:
    rep_side: RepSide = side if side in SIDES else analyzer.rep_side(feats, seg)  # type: ignore[assignment]
    metrics = analyzer.rep_metrics(feats, seg, rep_side)
    metrics |= _timing(feats, seg, profile.rep, series.fps)
    tracking = _tracking(tracked, seg)
    verdict = judge(metrics, checks, tracking, profile.min_fault_confidence)
    rom = metrics.get(profile.range_metric, float("nan"))
    return RepObservation(
        index=index,
        side=rep_side,
        start_s=round(seg.start / series.fps, 3),
        end_s=round(seg.end / series.fps, 3),
        clipped=seg.clipped,
        range_of_motion=round(rom, 3) if rom == rom else 0.0,
        range_unit=profile.range_unit,
        hold_seconds=round(metrics["hold_seconds"], 3),
        faults=verdict.faults,
        uncertain_faults=verdict.uncertain,
        fault_confidence=verdict.confidence,
        quality=round(max(0.0, 1.0 - verdict.penalty), 3),
        tracking_confidence=round(tracking, 3),
        metrics={k: round(float(v), 4) for k, v in metrics.items() if v == v},
    )


def at(values: FloatArray, frame: int) -> float:
    return float(values[frame])


def span(values: FloatArray, seg: Segment) -> FloatArray:
    return values[seg.start : seg.end + 1]


def bottom_frame(feats: Features, seg: Segment) -> int:
    """Frame of peak effort within the rep (NaN frames never chosen, unless all are NaN)."""
    phase = span(feats["phase"], seg)
    return seg.start + int(np.argmax(np.where(np.isnan(phase), -np.inf, phase)))


def nanmax(values: FloatArray) -> float:
    """Largest finite value (NaN when there is none); one ufunc pass, no copies (per rep)."""
    return float(np.fmax.reduce(values)) if values.size else float("nan")


def nanmin(values: FloatArray) -> float:
    return float(np.fmin.reduce(values)) if values.size else float("nan")


def nanmedian(values: FloatArray) -> float:
    """Median of the finite values (NaN when there is none), by partition (per rep: cheap)."""
    finite = values[np.isfinite(values)]
    return fast_median(finite) if finite.size else float("nan")


def measure_whole(series: PoseSeries, profile: Profile, analyzer: Analyzer) -> dict[str, float]:
    """Metrics of a recording that is exactly one rep (a pre-segmented data set file)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return _measure_whole(series, profile, analyzer)


def _measure_whole(series: PoseSeries, profile: Profile, analyzer: Analyzer) -> dict[str, float]:
    feats = smoothed_features(series, profile, analyzer, None)
    phase = feats["phase"]
    low, high = np.nanmin(phase), np.nanmax(phase)
    feats["unit_phase"] = (phase - low) / (high - low) if high > low else np.zeros_like(phase)
    feats |= analyzer.whole_recording(feats)
    top = int(np.nanargmax(phase))
    seg = Segment(0, top, series.frames - 1)
    metrics = analyzer.rep_metrics(feats, seg, analyzer.rep_side(feats, seg))
    return metrics | _timing(feats, seg, profile.rep, series.fps)
