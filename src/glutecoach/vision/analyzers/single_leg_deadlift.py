"""Single-leg deadlift, filmed from the side. Phase: trunk angle from vertical (hinge depth).

The standing leg (the one whose ankle stays down) is the rep's side.
"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.analyzers.base import (
    Analyzer,
    Features,
    at,
    bottom_frame,
    nanmax,
    nanmedian,
    span,
)
from glutecoach.vision.joints import SIDES, PoseSeries
from glutecoach.vision.models import RepSide
from glutecoach.vision.signal import Segment, angle_at, from_vertical, segment_length


class SingleLegDeadliftAnalyzer(Analyzer):
    name = "single_leg_deadlift"
    bilateral = False
    own_metrics = frozenset(
        {"hinge_depth_deg", "back_line_deg", "pelvis_tilt_ratio", "standing_knee_angle_deg"}
    )

    def features(self, series: PoseSeries, side: str | None) -> Features:
        thigh = np.mean(
            [segment_length(series.joint(f"{s}_hip"), series.joint(f"{s}_knee")) for s in SIDES]
        )
        shoulder = series.mid("shoulder")
        feats: Features = {
            "phase": from_vertical(series.mid("hip"), shoulder),
            "hip_tilt": np.abs(series.joint("left_hip")[:, 1] - series.joint("right_hip")[:, 1])
            / thigh,
            "left_ankle_up": series.joint("left_ankle")[:, 1] - series.joint("right_ankle")[:, 1],
        }
        for s in SIDES:
            hip, knee, ankle = (series.joint(f"{s}_{j}") for j in ("hip", "knee", "ankle"))
            feats[f"{s}_knee_angle"] = angle_at(hip, knee, ankle)
            # Straight line shoulder - hip - ankle of the free leg (180° = flat back, leg in line).
            feats[f"{s}_line"] = angle_at(shoulder, hip, ankle)
        return feats

    def rep_side(self, feats: Features, seg: Segment) -> RepSide:
        return "right" if nanmedian(span(feats["left_ankle_up"], seg)) > 0 else "left"

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        stand = side if side in SIDES else "left"
        free = "right" if stand == "left" else "left"
        bottom = bottom_frame(feats, seg)
        return {
            "hinge_depth_deg": nanmax(span(feats["phase"], seg)),
            "back_line_deg": at(feats[f"{free}_line"], bottom),
            "pelvis_tilt_ratio": nanmax(span(feats["hip_tilt"], seg)),
            "standing_knee_angle_deg": nanmax(span(feats[f"{stand}_knee_angle"], seg)),
        }
