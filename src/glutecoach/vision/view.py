"""Check the camera view before scoring: are the needed joints tracked, from the right angle?"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.form_model import Profile
from glutecoach.vision.joints import JOINT_INDEX as J
from glutecoach.vision.joints import SIDES, BoolArray, FloatArray, PoseSeries
from glutecoach.vision.models import ViewCheck
from glutecoach.vision.signal import segment_length

SIDE_BELOW = 0.3  # left-right width / torso length under this: side view (engineering default)
FRONT_ABOVE = 0.45  # over this: front view (standing or kneeling: the torso is upright)
LYING_FRONT_ABOVE = 1.0  # lying down the torso is foreshortened too, so oblique reaches further
LYING_TRUNK_DEG = 50  # a torso further than this from vertical (in the image): lying down


def _tracked(series: PoseSeries, stem: str, min_confidence: float) -> BoolArray:
    if stem == "head":
        return series.conf("head") >= min_confidence
    best = np.maximum(series.conf(f"left_{stem}"), series.conf(f"right_{stem}"))
    return best >= min_confidence


def detect_view(series: PoseSeries) -> str:
    """side / front / oblique from the image-plane width of shoulders and hips over torso length."""
    xy = series.positions[:, :, :2]
    width = 0.5 * (
        np.linalg.norm(xy[:, J["left_shoulder"]] - xy[:, J["right_shoulder"]], axis=1)
        + np.linalg.norm(xy[:, J["left_hip"]] - xy[:, J["right_hip"]], axis=1)
    )
    shoulders = 0.5 * (xy[:, J["left_shoulder"]] + xy[:, J["right_shoulder"]])
    hips = 0.5 * (xy[:, J["left_hip"]] + xy[:, J["right_hip"]])
    torso = np.linalg.norm(shoulders - hips, axis=1)
    ratio = width / np.where(torso > 0, torso, np.nan)
    if not np.isfinite(ratio).any():
        return "unknown"
    median = float(np.nanmedian(ratio))
    if median < SIDE_BELOW:
        return "side"
    return "front" if median > _front_above(xy, shoulders - hips) else "oblique"


def _front_above(xy: FloatArray, trunk: FloatArray) -> float:
    """Width/torso ratio above which the view is frontal.

    Lying on the back or front (torso horizontal, hips side by side in the image), turning the
    camera towards the feet foreshortens the torso as well as widening the hips, so the ratio
    grows faster than for an upright body; lying on the side (hips stacked) it does not.
    """
    hip_axis = xy[:, J["left_hip"]] - xy[:, J["right_hip"]]
    trunk_tilt = np.degrees(np.arctan2(np.abs(trunk[:, 0]), np.abs(trunk[:, 1])))
    hips_level = np.abs(hip_axis[:, 0]) > np.abs(hip_axis[:, 1])
    supine_or_prone = (trunk_tilt > LYING_TRUNK_DEG) & hips_level
    return LYING_FRONT_ABOVE if float(np.nanmean(supine_or_prone)) > 0.5 else FRONT_ABOVE


def _legs_plausible(series: PoseSeries, profile: Profile) -> bool:
    """Real legs are longer than the torso; the model's guesses for legs out of view are not."""
    if profile.min_leg_to_torso is None:
        return True
    torso = segment_length(series.mid("shoulder"), series.mid("hip"))
    legs = [
        segment_length(series.joint(f"{s}_hip"), series.joint(f"{s}_knee"))
        + segment_length(series.joint(f"{s}_knee"), series.joint(f"{s}_ankle"))
        for s in SIDES
    ]
    leg = np.nanmax(legs) if np.isfinite(legs).any() else float("nan")
    return bool(np.isfinite(leg) and np.isfinite(torso) and leg >= profile.min_leg_to_torso * torso)


def check_view(series: PoseSeries, profile: Profile) -> ViewCheck:
    """OK when the required joints are tracked often enough and the view is one the profile takes.

    With measured depth (Kinect) every check can run whatever the view; from a single camera,
    checks that need another view are listed as skipped.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return _check_view(series, profile)


def _check_view(series: PoseSeries, profile: Profile) -> ViewCheck:
    if series.frames == 0:
        return ViewCheck(ok=False, view="unknown", tracked_share=0.0, advice=profile.camera_advice)
    masks = {s: _tracked(series, s, profile.min_confidence) for s in profile.required_joints}
    missing = tuple(s for s, m in masks.items() if m.mean() < profile.min_tracked_share)
    if not missing and not _legs_plausible(series, profile):
        missing = ("legs (only partly in the picture)",)
    share = float(np.mean(np.logical_and.reduce(list(masks.values()))))
    view = detect_view(series)
    view_ok = series.depth_reliable or view in profile.views
    skipped: tuple[str, ...] = ()
    if not series.depth_reliable:
        skipped = tuple(c.fault for c in profile.checks if view not in c.views)
    problems = []
    if missing:
        named = ", ".join(m if m == "head" or " " in m else f"{m}s" for m in missing)
        problems.append(f"I can't see your {named} clearly enough.")
    if not view_ok:
        wanted = " or ".join(profile.views)
        problems.append(f"This looks like a {view} view; this exercise needs a {wanted} view.")
    if skipped and not problems:
        problems.append(
            f"Not checked from this angle ({view} view; the camera can't measure them here): "
            f"{', '.join(skipped)}."
        )
    ok = not missing and view_ok
    advice = " ".join([*problems, profile.camera_advice]) if problems else ""
    return ViewCheck(
        ok=ok,
        view=view,
        tracked_share=round(share, 4),
        missing_joints=missing,
        skipped_checks=skipped,
        advice=advice,
    )
