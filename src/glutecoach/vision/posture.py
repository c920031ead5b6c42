"""Does the body look like the exercise at all? ("This does not look like a glute bridge.")

At rest (the lowest part of the exercise's own phase signal, or the whole recording when there
is no movement; in position for hold exercises) the trunk's angle from vertical tells upright
from lying or on all fours, and the knees tell straight legs from bent ones. Readings come from
the picture, from any camera direction around the body:

- An upright trunk shows its full length to any camera at body height; a trunk shorter in the
  picture than FORESHORTENED x the shoulder width points at the camera, so it is lying, on all
  fours or hinged over (90° from vertical), whatever the view.
- A knee is read in the picture; where the thigh or the shin looks much shorter than the other,
  it points at the camera (the thigh of a wall sit filmed from the front, the shin of a kneeling
  person filmed from the head end) and its depth is restored from the other segment's length,
  the knee taken as the point nearest the camera. From the front only that case is read (there
  thigh and shin can point at the camera together: the knee stays unknown).

Only the joints needed for each reading are used, so a picture without legs can still be told
apart from the wrong posture.
"""

from __future__ import annotations

import numpy as np

from glutecoach.vision.form_model import Posture, Profile
from glutecoach.vision.joints import SIDES, BoolArray, FloatArray, PoseSeries
from glutecoach.vision.signal import angle_at, fill_gaps, segment_length

REST_SHARE = 0.3  # frames in the lowest 30 % of the phase's spread count as "at rest"
TRACKED = 0.5  # joints seen at least this confidently are used
UPRIGHT_BELOW = 40.0  # trunk angle from vertical: upright under this, lying over LYING_ABOVE
LYING_ABOVE = 55.0
STRAIGHT_ABOVE = 150.0  # knee angle: straight over this, bent under BENT_BELOW
BENT_BELOW = 140.0
FORESHORTENED = 0.6  # trunk shorter than this x shoulder width in the picture: seen end-on
HIPS_ABOVE = 0.25  # hips this far (per leg length) over the lower knee: clearly above it
KNEE_ABOVE = -0.05  # under this: both knees are above the hips
READABLE_SHARE = 0.5  # a knee is judged only when it can be read on half of the rest frames
SEGMENT_RATIO = 0.6  # a thigh or shin shorter than this x the other one points at the camera


def rest_frames(phase: FloatArray, holds: bool = False) -> BoolArray:
    """Frames in the lowest part of the phase's own spread (for hold exercises: in position,
    the upper half); every frame when it barely moves."""
    finite = phase[np.isfinite(phase)]
    if finite.size == 0:
        return np.ones(phase.shape, dtype=bool)
    filled = fill_gaps(phase)
    if holds:
        held: BoolArray = filled >= 0.5
        return held if held.any() else np.ones(phase.shape, dtype=bool)
    low, high = np.percentile(finite, [5, 95])
    rest: BoolArray = filled <= low + REST_SHARE * (high - low)
    return rest if rest.any() else np.ones(phase.shape, dtype=bool)


def _xy(series: PoseSeries, name: str) -> FloatArray:
    joint = series.joint(name).copy()
    joint[:, 2] = 0.0
    joint[series.conf(name) < TRACKED] = np.nan
    return joint


def trunk_from_vertical(series: PoseSeries, rest: BoolArray) -> float:
    """Median angle of the hips->shoulders line from vertical at rest, degrees (NaN: not seen);
    90 where the trunk points at the camera (only a trunk off vertical can)."""
    shoulders = 0.5 * (_xy(series, "left_shoulder") + _xy(series, "right_shoulder"))
    hips = 0.5 * (_xy(series, "left_hip") + _xy(series, "right_hip"))
    width = np.linalg.norm(_xy(series, "left_shoulder") - _xy(series, "right_shoulder"), axis=1)
    trunk = (shoulders - hips)[rest]
    angles = np.degrees(np.arctan2(np.abs(trunk[:, 0]), np.abs(trunk[:, 1])))
    end_on = np.linalg.norm(trunk, axis=1) < FORESHORTENED * width[rest]
    angles = np.where(end_on, 90.0, angles)
    return float(np.nanmedian(angles)) if np.isfinite(angles).any() else float("nan")


def knee_angles(series: PoseSeries, side: str, view: str) -> FloatArray:
    """Hip-knee-ankle angle per frame from the picture, degrees (see the module docstring).

    A thigh or shin much shorter in the picture than the other one points at the camera and
    gets back its depth (taken as long as the other one, the knee as the point nearest the
    camera: true of a bent knee seen from the front or the back). Filmed from the front, where
    both may point at the camera together (a clamshell, the legs of someone lying facing it),
    only that case is read; elsewhere the front view leaves the knee unknown.
    """
    hip, knee, ankle = (_xy(series, f"{side}_{j}") for j in ("hip", "knee", "ankle"))
    thigh, shin = hip - knee, ankle - knee
    t, s = np.linalg.norm(thigh, axis=1), np.linalg.norm(shin, axis=1)
    thigh_short, shin_short = t < SEGMENT_RATIO * s, s < SEGMENT_RATIO * t
    thigh[:, 2] = -np.sqrt(np.clip(s**2 - t**2, 0, None)) * thigh_short
    shin[:, 2] = -np.sqrt(np.clip(t**2 - s**2, 0, None)) * shin_short
    angles = angle_at(knee + thigh, knee, knee + shin)
    if view == "front":
        angles = np.where(thigh_short | shin_short, angles, np.nan)
    return angles


def knee_at_rest(
    series: PoseSeries, rest: BoolArray, view: str, which: str = "straighter"
) -> float:
    """Median angle of the straighter (or the more bent) knee at rest, degrees (NaN: not seen)."""
    stacked = np.stack([knee_angles(series, side, view)[rest] for side in ("left", "right")])
    seen = np.isfinite(stacked).any(axis=0)
    if seen.mean() < READABLE_SHARE:  # e.g. filmed from the front, legs not foreshortened
        return float("nan")
    pick = np.nanmax if which == "straighter" else np.nanmin
    return float(np.median(pick(stacked[:, seen], axis=0)))


def hips_over_knees(series: PoseSeries, rest: BoolArray) -> float:
    """Median height of the hips over the lower knee at rest, per leg length in the picture
    (the picture's up is up from any direction around the body: about +0.9 standing or on all
    fours, negative lying on the back with the knees up, near 0 with a leg flat on the floor)."""
    hips = 0.5 * (_xy(series, "left_hip") + _xy(series, "right_hip"))
    knees = np.fmin(_xy(series, "left_knee")[:, 1], _xy(series, "right_knee")[:, 1])
    leg = max(segment_length(_xy(series, f"{s}_hip"), _xy(series, f"{s}_ankle")) for s in SIDES)
    height = (hips[:, 1] - knees)[rest] / leg
    return float(np.nanmedian(height)) if np.isfinite(height).any() else float("nan")


def _height_wrong(height: float, hips_above: bool | None) -> bool:
    if hips_above is None or height != height:
        return False
    return height < KNEE_ABOVE if hips_above else height > HIPS_ABOVE


def _height_words(height: float) -> str:
    if height > HIPS_ABOVE:
        return "your hips are above your knees (standing, kneeling or on all fours)"
    return "your knees are above your hips (lying on your back)"


def _trunk_words(angle: float) -> str:
    if angle < UPRIGHT_BELOW:
        return "upright (standing, sitting or kneeling)"
    if angle > LYING_ABOVE:
        return "lying down or on all fours"
    return "leaning well forwards"


def _knee_words(angle: float, which: str) -> str:
    if which != "straighter":
        return "you have both legs straight" if angle > STRAIGHT_ABOVE else "a knee bent further"
    return "at rest you have " + ("straight legs" if angle > STRAIGHT_ABOVE else "bent knees")


def posture_mismatch(
    series: PoseSeries, profile: Profile, phase: FloatArray, exercise_name: str, view: str
) -> str:
    """'' when the posture at rest fits the exercise, else what it looks like and what it needs."""
    expected: Posture | None = profile.posture
    if expected is None or series.frames == 0:
        return ""
    with np.errstate(invalid="ignore", divide="ignore"):
        rest = rest_frames(phase, holds=profile.rep.kind == "holds")
        trunk = trunk_from_vertical(series, rest)
        knee = knee_at_rest(series, rest, view, expected.knee)
        height = hips_over_knees(series, rest)
    seen: list[str] = []
    if expected.trunk_from_vertical_deg is not None and trunk == trunk:
        low, high = expected.trunk_from_vertical_deg
        if not low <= trunk <= high:
            seen.append(f"you seem to be {_trunk_words(trunk)}")
    if expected.knee_angle_deg is not None and knee == knee:
        low, high = expected.knee_angle_deg
        if not low <= knee <= high:
            seen.append(f"{_knee_words(knee, expected.knee)}")
    if _height_wrong(height, expected.hips_above_knees):
        seen.append(_height_words(height))
    if not seen:
        return ""
    return (
        f"This does not look like a {exercise_name}: {' and '.join(seen)}. "
        f"A {exercise_name} starts {expected.looks_like}. Check the exercise you chose, or film "
        "the whole movement from its starting position."
    )
