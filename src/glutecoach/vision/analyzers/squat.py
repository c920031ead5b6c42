"""Squats (bodyweight, goblet; also UI-PRMD deep squat, inline lunge, sit-to-stand).

Phase: how far the hips have dropped towards the ankles, as a share of leg length (any view).
"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.analyzers.base import (
    Analyzer,
    Features,
    at,
    bottom_frame,
    lateral_axis,
    mean_leg_length,
    nanmax,
    nanmedian,
    span,
)
from glutecoach.vision.joints import BoolArray, FloatArray, PoseSeries
from glutecoach.vision.models import RepSide
from glutecoach.vision.signal import Segment, angle_at, from_vertical, segment_length

STANDING = 0.05  # share of the person's range: standing still (heel reference)


def _heel_above_toe(series: PoseSeries, side: str) -> FloatArray:
    """Height of the heel (the ankle where there is no heel joint) above the toe, per frame.

    Measured within the foot, so a camera that moves or a person who shifts on the spot does
    not look like a heel rise; the toe stays on the floor when the heel lifts.
    """
    heel = series.joint(f"{side}_heel")[:, 1]
    back = np.where(np.isnan(heel), series.joint(f"{side}_ankle")[:, 1], heel)
    above: FloatArray = back - series.joint(f"{side}_toe")[:, 1]
    return above


def _heel_rise(feats: Features, seg: Segment) -> float:
    """Heel lift at the bottom of the rep over the heel while standing, as a share of shin length.

    Medians over frames, not one extreme frame: a flickering heel landmark (backlight, baggy
    trousers) must not be a heel rise, and a heel held up through the bottom must be one.
    Standing = every frame of the recording where the person is at rest (not only this rep's
    first frames, which are already part-way down).
    """
    unit = span(feats["unit_phase"], seg)
    bottom = span(feats["heel_lift"], seg)[unit >= 0.8 * np.nanmax(unit)]
    standing = float(feats["heel_standing"][0])
    if standing != standing:
        standing = nanmedian(span(feats["heel_lift"], seg)[unit <= np.nanmin(unit) + STANDING])
    return nanmedian(bottom) - standing


def _hip_shift(feats: Features, seg: Segment, deep: BoolArray) -> float:
    """How far the pelvis moves sideways over the feet in the lower half of the rep, from where
    it sat while the person stood (their own stance), as a share of hip width: weight moved
    onto one leg. Relative to standing, so a wide or uneven stance is not a shift."""
    offset = span(feats["hip_offset"], seg)[deep] - float(feats["hip_offset_standing"][0])
    return nanmax(np.abs(offset))


class SquatAnalyzer(Analyzer):
    name = "squat"
    phase_unit = "share of leg length"
    glitchy = frozenset({"heel_lift"})
    own_metrics = frozenset(
        {
            "depth_share",
            "knee_flexion_deg",
            "hip_below_knee_ratio",
            "trunk_lean_deg",
            "knee_valgus_ratio",
            "heel_rise_ratio",
            "knee_asymmetry_deg",
            "lateral_shift_ratio",
            "hip_shift_ratio",
        }
    )

    def features(self, series: PoseSeries, side: str | None) -> Features:
        leg = mean_leg_length(series)
        thigh = np.mean(
            [
                segment_length(series.joint(f"{s}_hip"), series.joint(f"{s}_knee"))
                for s in ("left", "right")
            ]
        )
        shin = np.mean(
            [
                segment_length(series.joint(f"{s}_knee"), series.joint(f"{s}_ankle"))
                for s in ("left", "right")
            ]
        )
        hip, ankle, knee = series.mid("hip"), series.mid("ankle"), series.mid("knee")
        flex = {
            s: 180.0
            - angle_at(
                series.joint(f"{s}_hip"), series.joint(f"{s}_knee"), series.joint(f"{s}_ankle")
            )
            for s in ("left", "right")
        }
        axis = lateral_axis(series)
        knee_gap = np.abs(
            np.einsum("fi,fi->f", series.joint("left_knee") - series.joint("right_knee"), axis)
        )
        ankle_gap = np.abs(
            np.einsum("fi,fi->f", series.joint("left_ankle") - series.joint("right_ankle"), axis)
        )
        hip_width = np.linalg.norm(series.joint("left_hip") - series.joint("right_hip"), axis=1)
        pelvis = segment_length(series.joint("left_hip"), series.joint("right_hip"))
        lifts = np.stack([_heel_above_toe(series, s) for s in ("left", "right")])
        seen = (~np.isnan(lifts)).sum(axis=0)
        heel_lift = np.where(seen > 0, np.nansum(lifts, axis=0) / np.maximum(seen, 1), np.nan)
        return {
            "phase": 1.0 - (hip[:, 1] - ankle[:, 1]) / leg,
            "knee_flexion": 0.5 * (flex["left"] + flex["right"]),
            "knee_asymmetry": np.abs(flex["left"] - flex["right"]),
            "hip_below_knee": (knee[:, 1] - hip[:, 1]) / thigh,
            "trunk_lean": from_vertical(hip, series.mid("shoulder")),
            "valgus": knee_gap / ankle_gap,
            "heel_lift": heel_lift / shin,
            "lateral_shift": np.abs(np.einsum("fi,fi->f", hip - ankle, axis)) / hip_width,
            "hip_offset": np.einsum("fi,fi->f", hip - ankle, axis) / pelvis,
        }

    def whole_recording(self, feats: Features) -> Features:
        standing = feats["unit_phase"] <= STANDING
        return {
            "heel_standing": np.array([nanmedian(feats["heel_lift"][standing])]),
            "hip_offset_standing": np.array([nanmedian(feats["hip_offset"][standing])]),
        }

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        bottom = bottom_frame(feats, seg)
        deep = span(feats["unit_phase"], seg) >= 0.5
        return {
            "depth_share": nanmax(span(feats["phase"], seg)),
            "knee_flexion_deg": nanmax(span(feats["knee_flexion"], seg)),
            "hip_below_knee_ratio": at(feats["hip_below_knee"], bottom),
            "trunk_lean_deg": nanmax(span(feats["trunk_lean"], seg)),
            "knee_valgus_ratio": nanmedian(span(feats["valgus"], seg)[deep]),
            "heel_rise_ratio": _heel_rise(feats, seg),
            "knee_asymmetry_deg": at(feats["knee_asymmetry"], bottom),
            "lateral_shift_ratio": nanmax(span(feats["lateral_shift"], seg)[deep]),
            "hip_shift_ratio": _hip_shift(feats, seg, deep),
        }
