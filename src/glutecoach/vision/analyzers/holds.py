"""Holds: half-kneeling hip flexor stretch and side plank. Phase: 1 while in position."""

from __future__ import annotations

import numpy as np

from glutecoach.vision.analyzers.base import Analyzer, Features, nanmedian, nanmin, span
from glutecoach.vision.joints import SIDES, PoseSeries
from glutecoach.vision.models import RepSide
from glutecoach.vision.signal import Segment, angle_at, from_vertical, segment_length


class HalfKneelingStretchAnalyzer(Analyzer):
    """In position: one knee down level with its ankle, the front knee bent 60-130°."""

    name = "half_kneeling_stretch"
    phase_unit = "in position (0/1)"
    bilateral = False
    own_metrics = frozenset({"trunk_lean_deg", "back_hip_angle_deg"})

    def features(self, series: PoseSeries, side: str | None) -> Features:
        shoulder = series.mid("shoulder")
        feats: Features = {
            "trunk_lean": from_vertical(series.mid("hip"), shoulder),
            "left_knee_lower": series.joint("left_knee")[:, 1] - series.joint("right_knee")[:, 1],
        }
        posture = []
        for back in SIDES:
            front = "right" if back == "left" else "left"
            shin = segment_length(series.joint(f"{back}_knee"), series.joint(f"{back}_ankle"))
            knee_down = (
                np.abs(series.joint(f"{back}_knee")[:, 1] - series.joint(f"{back}_ankle")[:, 1])
                < 0.35 * shin
            )
            front_angle = angle_at(
                *(series.joint(f"{front}_{j}") for j in ("hip", "knee", "ankle"))
            )
            posture.append(knee_down & (front_angle > 60) & (front_angle < 130))
            feats[f"{back}_hip_angle"] = angle_at(
                shoulder, series.joint(f"{back}_hip"), series.joint(f"{back}_knee")
            )
        in_position = posture[0] | posture[1]
        if side in SIDES:
            in_position = posture[SIDES.index(side)]
        feats["phase"] = in_position.astype(np.float64)
        return feats

    def rep_side(self, feats: Features, seg: Segment) -> RepSide:
        return "left" if nanmedian(span(feats["left_knee_lower"], seg)) < 0 else "right"

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        back = side if side in SIDES else "left"
        return {
            "trunk_lean_deg": nanmedian(span(feats["trunk_lean"], seg)),
            "back_hip_angle_deg": nanmedian(span(feats[f"{back}_hip_angle"], seg)),
        }


class SidePlankAnalyzer(Analyzer):
    """In position: the trunk lies more than 45° from vertical with the shoulders above the hips."""

    name = "side_plank"
    phase_unit = "in position (0/1)"
    bilateral = False
    own_metrics = frozenset({"body_line_deg"})

    def features(self, series: PoseSeries, side: str | None) -> Features:
        shoulder, hip, ankle = series.mid("shoulder"), series.mid("hip"), series.mid("ankle")
        tilted = from_vertical(hip, shoulder)
        raised = (shoulder[:, 1] > ankle[:, 1]) & (tilted > 45) & (tilted < 85)
        return {
            "phase": raised.astype(np.float64),
            "body_line": angle_at(shoulder, hip, ankle),
            "left_lower": series.joint("left_shoulder")[:, 1]
            - series.joint("right_shoulder")[:, 1],
        }

    def rep_side(self, feats: Features, seg: Segment) -> RepSide:
        return "left" if nanmedian(span(feats["left_lower"], seg)) < 0 else "right"

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        return {"body_line_deg": nanmin(span(feats["body_line"], seg))}
