"""Does the body look like the exercise at all? ("This does not look like a glute bridge.")

At rest (the lowest part of the exercise's own phase signal, or the whole recording when there
is no movement) the trunk's angle from vertical tells upright from lying or on all fours, and
the straighter knee tells straight legs from bent ones. Measured in the image plane, which keeps
both readings wherever the segment is not seen end-on: the trunk is read only where it is at
least FORESHORTENED x the shoulder width long in the picture (filmed from the feet, a lying
trunk points at the camera), the knees only when the view is not frontal (thighs pointing at the
camera look straight). Only the joints needed for each reading are used, so a picture without
legs can still be told apart from the wrong posture.
"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.form_model import Posture, Profile
from glutecoach.vision.joints import BoolArray, FloatArray, PoseSeries
from glutecoach.vision.signal import angle_at, fill_gaps

REST_SHARE = 0.3  # frames in the lowest 30 % of the phase's spread count as "at rest"
TRACKED = 0.5  # joints seen at least this confidently are used
UPRIGHT_BELOW = 40.0  # trunk angle from vertical: upright under this, lying over LYING_ABOVE
LYING_ABOVE = 55.0
STRAIGHT_ABOVE = 150.0  # knee angle: straight over this, bent under BENT_BELOW
BENT_BELOW = 140.0
FORESHORTENED = 0.6  # trunk shorter than this x shoulder width in the picture: seen end-on


def rest_frames(phase: FloatArray) -> BoolArray:
    """Frames in the lowest part of the phase's own spread; every frame when it barely moves."""
    finite = phase[np.isfinite(phase)]
    if finite.size == 0:
        return np.ones(phase.shape, dtype=bool)
    low, high = np.percentile(finite, [5, 95])
    filled = fill_gaps(phase)
    rest: BoolArray = filled <= low + REST_SHARE * (high - low)
    return rest if rest.any() else np.ones(phase.shape, dtype=bool)


def _xy(series: PoseSeries, name: str) -> FloatArray:
    joint = series.joint(name).copy()
    joint[:, 2] = 0.0
    joint[series.conf(name) < TRACKED] = np.nan
    return joint


def trunk_from_vertical(series: PoseSeries, rest: BoolArray) -> float:
    """Median angle of the hips->shoulders line from vertical at rest, degrees (NaN: not seen)."""
    shoulders = 0.5 * (_xy(series, "left_shoulder") + _xy(series, "right_shoulder"))
    hips = 0.5 * (_xy(series, "left_hip") + _xy(series, "right_hip"))
    width = np.linalg.norm(_xy(series, "left_shoulder") - _xy(series, "right_shoulder"), axis=1)
    trunk = shoulders - hips
    end_on = np.linalg.norm(trunk, axis=1) < FORESHORTENED * width
    trunk[end_on] = np.nan
    trunk = trunk[rest]
    angles = np.degrees(np.arctan2(np.abs(trunk[:, 0]), np.abs(trunk[:, 1])))
    return float(np.nanmedian(angles)) if np.isfinite(angles).any() else float("nan")


def straighter_knee(series: PoseSeries, rest: BoolArray) -> float:
    """Median angle hip-knee-ankle of the straighter leg at rest, degrees (NaN: not seen)."""
    per_side = [
        angle_at(*(_xy(series, f"{side}_{j}") for j in ("hip", "knee", "ankle")))[rest]
        for side in ("left", "right")
    ]
    stacked = np.stack(per_side)
    seen = np.isfinite(stacked).any(axis=0)
    if not seen.any():
        return float("nan")
    return float(np.median(np.nanmax(stacked[:, seen], axis=0)))


def _trunk_words(angle: float) -> str:
    if angle < UPRIGHT_BELOW:
        return "upright (standing, sitting or kneeling)"
    if angle > LYING_ABOVE:
        return "lying down or on all fours"
    return "leaning well forwards"


def _knee_words(angle: float) -> str:
    return "straight legs" if angle > STRAIGHT_ABOVE else "bent knees"


def posture_mismatch(
    series: PoseSeries, profile: Profile, phase: FloatArray, exercise_name: str, view: str
) -> str:
    """'' when the posture at rest fits the exercise, else what it looks like and what it needs."""
    expected: Posture | None = profile.posture
    if expected is None or series.frames == 0:
        return ""
    with np.errstate(invalid="ignore", divide="ignore"):
        rest = rest_frames(phase)
        trunk = trunk_from_vertical(series, rest)
        knee = straighter_knee(series, rest) if view != "front" else float("nan")
    seen: list[str] = []
    if expected.trunk_from_vertical_deg is not None and trunk == trunk:
        low, high = expected.trunk_from_vertical_deg
        if not low <= trunk <= high:
            seen.append(f"you seem to be {_trunk_words(trunk)}")
    if expected.knee_angle_deg is not None and knee == knee:
        low, high = expected.knee_angle_deg
        if not low <= knee <= high:
            seen.append(f"at rest you have {_knee_words(knee)}")
    if not seen:
        return ""
    return (
        f"This does not look like a {exercise_name}: {' and '.join(seen)}. "
        f"A {exercise_name} starts {expected.looks_like}. Check the exercise you chose, or film "
        "the whole movement from its starting position."
    )
