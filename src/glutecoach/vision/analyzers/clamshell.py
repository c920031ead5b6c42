"""Clamshells and side-lying hip abduction, filmed from the front (hips stacked in the image).

Phase: the opening angle between the two thighs. The top leg is the working side.
"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.analyzers.base import Analyzer, Features, at, nanmax, nanmedian, span
from glutecoach.vision.joints import SIDES, PoseSeries
from glutecoach.vision.models import RepSide
from glutecoach.vision.signal import Segment, angle_between, segment_length

REST = 0.1  # share of the person's range: lying still, legs closed (the pelvis reference)
OPEN = 0.8  # share of the rep's own peak: the open position the pelvis is judged in


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

    def whole_recording(self, feats: Features) -> Features:
        """The pelvis at rest (median over every rest frame of the recording, once per set)."""
        rest = feats["unit_phase"] <= REST
        return {
            f"pelvis_{a}_rest": np.array([nanmedian(feats[f"pelvis_{a}"][rest])]) for a in "xyz"
        }

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        return {
            "opening_angle_deg": nanmax(span(feats["phase"], seg)),
            # growth of the gap between the stacked ankles since the rep started
            "feet_gap_ratio": nanmax(span(feats["feet_gap"], seg))
            - at(feats["feet_gap"], seg.start),
            "pelvis_roll_deg": _pelvis_roll(feats, seg),
        }


def _pelvis_roll(feats: Features, seg: Segment) -> float:
    """How far the pelvis (bottom hip -> top hip) has turned at the open position from where it
    was at rest, degrees: the median pelvis over the rep's open frames against the median over
    the recording's rest frames. In the picture a pelvis rolling back about the body's long
    axis also shortens (arccos of the length ratio); medians, because that arccos turns a few
    pixels of jitter near a ratio of 1 into many degrees."""
    unit = span(feats["unit_phase"], seg)
    open_ = unit >= OPEN * np.nanmax(unit)
    top = np.array([nanmedian(span(feats[f"pelvis_{a}"], seg)[open_]) for a in "xyz"])
    rest = np.array([float(feats[f"pelvis_{a}_rest"][0]) for a in "xyz"])
    if not (np.isfinite(top).all() and np.isfinite(rest).all()):
        return float("nan")
    turn = float(angle_between(top[None, :], rest)[0])
    ratio = np.linalg.norm(top) / np.linalg.norm(rest)
    shrink = float(np.degrees(np.arccos(np.clip(ratio, 0, 1))))
    return max(turn, shrink)
