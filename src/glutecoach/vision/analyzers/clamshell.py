"""Clamshells and side-lying hip abduction, filmed from the front (hips stacked in the image).

Phase: the opening angle between the two thighs. The top leg is the working side.
"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.analyzers.base import Analyzer, Features, at, nanmax, span
from glutecoach.vision.joints import SIDES, PoseSeries
from glutecoach.vision.models import RepSide
from glutecoach.vision.signal import Segment, angle_between, segment_length


def _top_side(series: PoseSeries) -> str:
    lift = np.nanmedian(series.joint("left_hip")[:, 1] - series.joint("right_hip")[:, 1])
    return "left" if lift >= 0 else "right"


class ClamshellAnalyzer(Analyzer):
    name = "clamshell"
    own_metrics = frozenset({"opening_angle_deg", "feet_gap_ratio", "pelvis_roll_deg"})

    def features(self, series: PoseSeries, side: str | None) -> Features:
        top = side if side in SIDES else _top_side(series)
        low = "right" if top == "left" else "left"
        thigh_top = series.joint(f"{top}_knee") - series.joint(f"{top}_hip")
        thigh_low = series.joint(f"{low}_knee") - series.joint(f"{low}_hip")
        shin = segment_length(series.joint(f"{top}_knee"), series.joint(f"{top}_ankle"))
        pelvis = series.joint(f"{top}_hip") - series.joint(f"{low}_hip")
        return {
            "phase": angle_between(thigh_top, thigh_low),
            "feet_gap": np.linalg.norm(
                series.joint(f"{top}_ankle") - series.joint(f"{low}_ankle"), axis=1
            )
            / shin,
            "pelvis_x": pelvis[:, 0],
            "pelvis_y": pelvis[:, 1],
            "pelvis_z": pelvis[:, 2],
            "top_is_left": np.full(series.frames, 1.0 if top == "left" else 0.0),
        }

    def rep_side(self, feats: Features, seg: Segment) -> RepSide:
        return "left" if feats["top_is_left"][seg.start] > 0.5 else "right"

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        pelvis = np.stack([span(feats[f"pelvis_{a}"], seg) for a in "xyz"], axis=1)
        rest = pelvis[0]
        turn = angle_between(pelvis, rest)
        # In the image plane a pelvis rolling back about the body's long axis shortens: arccos.
        shrink = np.degrees(
            np.arccos(np.clip(np.linalg.norm(pelvis, axis=1) / np.linalg.norm(rest), 0, 1))
        )
        return {
            "opening_angle_deg": nanmax(span(feats["phase"], seg)),
            # growth of the gap between the stacked ankles since the rep started
            "feet_gap_ratio": nanmax(span(feats["feet_gap"], seg))
            - at(feats["feet_gap"], seg.start),
            "pelvis_roll_deg": nanmax(np.maximum(turn, shrink)),
        }
