"""Standing leg raises (UI-PRMD hurdle step and straight-leg raise). Phase: the higher ankle's
rise above its own floor level, as a share of leg length; the raised leg is the rep's side."""

from __future__ import annotations

import numpy as np

from glutecoach.vision.analyzers.base import (
    Analyzer,
    Features,
    at,
    bottom_frame,
    mean_leg_length,
    nanmax,
    span,
)
from glutecoach.vision.joints import SIDES, PoseSeries
from glutecoach.vision.models import RepSide
from glutecoach.vision.signal import Segment, angle_at, from_vertical


class LimbRaiseAnalyzer(Analyzer):
    name = "limb_raise"
    phase_unit = "share of leg length"
    bilateral = False
    own_metrics = frozenset({"raise_share", "raised_knee_flexion_deg", "trunk_lean_deg"})

    def features(self, series: PoseSeries, side: str | None) -> Features:
        leg = mean_leg_length(series)
        rise = {}
        feats: Features = {"trunk_lean": from_vertical(series.mid("hip"), series.mid("shoulder"))}
        for s in SIDES:
            y = series.joint(f"{s}_ankle")[:, 1]
            rise[s] = (y - np.nanpercentile(y, 5)) / leg
            feats[f"{s}_flex"] = 180 - angle_at(
                *(series.joint(f"{s}_{j}") for j in ("hip", "knee", "ankle"))
            )
        feats["phase"] = rise[side] if side in SIDES else np.fmax(rise["left"], rise["right"])
        feats["left_higher"] = rise["left"] - rise["right"]
        return feats

    def rep_side(self, feats: Features, seg: Segment) -> RepSide:
        return "left" if at(feats["left_higher"], bottom_frame(feats, seg)) > 0 else "right"

    def rep_metrics(self, feats: Features, seg: Segment, side: RepSide) -> dict[str, float]:
        raised = side if side in SIDES else "left"
        top = bottom_frame(feats, seg)
        return {
            "raise_share": nanmax(span(feats["phase"], seg)),
            "raised_knee_flexion_deg": at(feats[f"{raised}_flex"], top),
            "trunk_lean_deg": nanmax(span(feats["trunk_lean"], seg)),
        }
