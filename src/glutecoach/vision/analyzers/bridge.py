"""Glute bridges (bilateral, banded, single-leg), filmed from the side.

Phase: the hip angle shoulder-hip-knee (about 130° on the floor, 180° in line at the top).
"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.analyzers.base import (
    Analyzer,
    Features,
    at,
    lateral_axis,
    nanmax,
    nanmedian,
    span,
    weighted_sides,
)
from glutecoach.vision.joints import SIDES, PoseSeries
from glutecoach.vision.models import RepSide
from glutecoach.vision.signal import Segment, angle_at, segment_length


class BridgeAnalyzer(Analyzer):
    name = "bridge"
    own_metrics = frozenset(
        {"peak_hip_angle_deg", "hip_extension_range_deg", "knee_width_ratio", "hip_drop_ratio"}
    )

    def features(self, series: PoseSeries, side: str | None) -> Features:
        angle = {
            s: angle_at(
                series.joint(f"{s}_shoulder"), series.joint(f"{s}_hip"), series.joint(f"{s}_knee")
            )
            for s in SIDES
        }
        thigh = np.mean(
            [segment_length(series.joint(f"{s}_hip"), series.joint(f"{s}_knee")) for s in SIDES]
        )
        shin = np.mean(
            [segment_length(series.joint(f"{s}_knee"), series.joint(f"{s}_ankle")) for s in SIDES]
        )
        axis = lateral_axis(series)
        knee_gap = np.abs(
            np.einsum("fi,fi->f", series.joint("left_knee") - series.joint("right_knee"), axis)
        )
        ankle_gap = np.abs(
            np.einsum("fi,fi->f", series.joint("left_ankle") - series.joint("right_ankle"), axis)
        )
        return {
            "phase": weighted_sides(
                series, ("shoulder", "hip", "knee"), angle["left"], angle["right"]
            ),
            "hip_drop": np.abs(series.joint("left_hip")[:, 1] - series.joint("right_hip")[:, 1])
            / thigh,
            "knee_width": knee_gap / ankle_gap,
            "ankle_lift": (series.joint("left_ankle")[:, 1] - series.joint("right_ankle")[:, 1])
            / shin,
        }

    def rep_side(self, feats: Features, seg: Segment) -> RepSide:
        lift = nanmedian(span(feats["ankle_lift"], seg))
        if lift != lift or abs(lift) < 0.5:
            return "both"
        return "right" if lift > 0 else "left"  # the foot still on the floor does the work

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        top = span(feats["unit_phase"], seg) >= 0.8
        return {
            "peak_hip_angle_deg": nanmax(span(feats["phase"], seg)),
            "hip_extension_range_deg": nanmax(span(feats["phase"], seg))
            - at(feats["phase"], seg.start),
            "knee_width_ratio": nanmedian(span(feats["knee_width"], seg)[top]),
            "hip_drop_ratio": nanmax(span(feats["hip_drop"], seg)[top]),
        }
