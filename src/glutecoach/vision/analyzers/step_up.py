"""Step-ups, filmed from the front. Phase: hip height, as a share of leg length.

The leading leg (the foot on the step, higher at the top) is the rep's side.
"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.analyzers.base import Analyzer, Features, at, mean_leg_length, nanmax, span
from glutecoach.vision.joints import SIDES, FloatArray, PoseSeries
from glutecoach.vision.models import RepSide
from glutecoach.vision.signal import Segment, segment_length


def _inward_knee(series: PoseSeries, side: str, thigh: float) -> FloatArray:
    """Signed distance of the knee from the hip-ankle line in the image, towards the midline."""
    hip, knee, ankle = (series.joint(f"{side}_{j}")[:, :2] for j in ("hip", "knee", "ankle"))
    line = ankle - hip
    rel = knee - hip
    cross = (line[:, 0] * rel[:, 1] - line[:, 1] * rel[:, 0]) / np.linalg.norm(line, axis=1)
    other = series.joint(f"{'right' if side == 'left' else 'left'}_hip")[:, :2] - hip
    towards_mid = np.sign(line[:, 0] * other[:, 1] - line[:, 1] * other[:, 0])
    inward: FloatArray = cross * towards_mid / thigh
    return inward


class StepUpAnalyzer(Analyzer):
    name = "step_up"
    phase_unit = "share of leg length"
    bilateral = False
    own_metrics = frozenset(
        {"rise_share", "knee_inward_ratio", "pelvis_tilt_ratio", "trail_push_ratio"}
    )

    def features(self, series: PoseSeries, side: str | None) -> Features:
        leg = mean_leg_length(series)
        thigh = np.mean(
            [segment_length(series.joint(f"{s}_hip"), series.joint(f"{s}_knee")) for s in SIDES]
        )
        feats: Features = {
            "phase": series.mid("hip")[:, 1] / leg,
            "hip_tilt": np.abs(series.joint("left_hip")[:, 1] - series.joint("right_hip")[:, 1])
            / thigh,
            "left_higher": series.joint("left_ankle")[:, 1] - series.joint("right_ankle")[:, 1],
        }
        for s in SIDES:
            feats[f"{s}_knee_in"] = _inward_knee(series, s, float(thigh))
            heel = series.joint(f"{s}_heel")[:, 1]
            feats[f"{s}_heel_y"] = (
                np.where(np.isnan(heel), series.joint(f"{s}_ankle")[:, 1], heel) / leg
            )
        return feats

    def rep_side(self, feats: Features, seg: Segment) -> RepSide:
        return "left" if at(feats["left_higher"], seg.top) > 0 else "right"

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        lead = side if side in SIDES else "left"
        trail = "right" if lead == "left" else "left"
        unit = span(feats["unit_phase"], seg)
        half = seg.start + int(np.argmax(unit >= 0.5))
        return {
            "rise_share": nanmax(span(feats["phase"], seg)) - at(feats["phase"], seg.start),
            "knee_inward_ratio": nanmax(span(feats[f"{lead}_knee_in"], seg)),
            "pelvis_tilt_ratio": nanmax(span(feats["hip_tilt"], seg)),
            "trail_push_ratio": at(feats[f"{trail}_heel_y"], half)
            - at(feats[f"{trail}_heel_y"], seg.start),
        }
