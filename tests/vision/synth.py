"""Synthetic but anatomically proportioned movements for analyzer tests.

Each builder returns a PoseSeries in image pixels of a 640x480 frame (canonical axes: x right,
y up, z towards the camera), the way ``from_mediapipe`` would produce it. Reps follow a smooth
raised-cosine profile with rests between them, and optional Gaussian jitter.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from glutecoach.vision.joints import JOINT_INDEX, JOINTS, PoseSeries

FPS = 30.0
WIDTH, HEIGHT = 640, 480
THIGH, SHIN, TORSO, HEAD, FOOT = 45.0, 42.0, 50.0, 14.0, 18.0
HIP_HALF, SHOULDER_HALF = 15.0, 19.0
Joints = dict[str, np.ndarray]


def profile(reps: int, rep_s: float = 2.0, rest_s: float = 1.0, hold_s: float = 0.0) -> np.ndarray:
    """0..1 effort over time: rest, (rise, hold, fall, rest) x reps."""
    rise = np.sin(np.linspace(0, np.pi / 2, int(rep_s * FPS / 2))) ** 2
    one = np.concatenate(
        [rise, np.ones(int(hold_s * FPS)), rise[::-1], np.zeros(int(rest_s * FPS))]
    )
    return np.concatenate([np.zeros(int(rest_s * FPS)), *([one] * reps)])


def _series(joints: Joints, frames: int, noise: float, seed: int, depth: bool) -> PoseSeries:
    positions = np.full((frames, len(JOINTS), 3), np.nan)
    for name, xyz in joints.items():
        positions[:, JOINT_INDEX[name]] = xyz
    rng = np.random.default_rng(seed)
    positions += rng.normal(0.0, noise, positions.shape) if noise else 0.0
    confidence = np.where(np.isnan(positions[:, :, 0]), 0.0, 0.99)
    if not depth:
        positions[:, :, 2] = np.where(np.isnan(positions[:, :, 2]), np.nan, 0.0)
    return PoseSeries(positions, confidence, FPS, depth_reliable=depth, source="synthetic")


def _to_image(body: Joints, view: str, origin: tuple[float, float] = (320.0, 400.0)) -> Joints:
    """Body frame (forward, up, left) -> canonical image coordinates for a side/front camera."""
    out = {}
    for name, fwd_up_left in body.items():
        f, u, lft = fwd_up_left[:, 0], fwd_up_left[:, 1], fwd_up_left[:, 2]
        if view == "side":  # facing the image's right, left side towards the camera
            x, z = f, lft
        elif view == "oblique":  # the camera 40° round from the side towards the front
            c, s = np.cos(np.radians(40)), np.sin(np.radians(40))
            x, z = c * f + s * lft, c * lft - s * f
        else:  # facing the camera: the person's left is the image's right
            x, z = lft, f
        out[name] = np.stack([origin[0] + 2 * x, -(origin[1] - 2 * u), 2 * z], axis=1)
    return out


def _vec(
    f: np.ndarray | float, u: np.ndarray | float, lft: np.ndarray | float, n: int
) -> np.ndarray:
    return np.stack(np.broadcast_arrays(np.asarray(f, float) * np.ones(n), u, lft), axis=1)


def _upper_body(hip_mid: np.ndarray, lean_deg: np.ndarray, n: int) -> Joints:
    lean = np.radians(lean_deg)
    up = _vec(np.sin(lean), np.cos(lean), 0.0, n)
    shoulder_mid = hip_mid + TORSO * up
    joints = {"head": shoulder_mid + HEAD * up}
    for side, sign in (("left", 1), ("right", -1)):
        shoulder = shoulder_mid + _vec(0, 0, sign * SHOULDER_HALF, n)
        joints[f"{side}_shoulder"] = shoulder
        joints[f"{side}_elbow"] = shoulder + _vec(0, -25, 0, n)
        joints[f"{side}_wrist"] = shoulder + _vec(8, -45, 0, n)
    return joints


def squat(
    effort: np.ndarray,
    view: str = "side",
    depth_deg: float = 100.0,
    lean_deg: float = 30.0,
    valgus: float = 0.0,
    heel_rise: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
    depth_measured: bool = False,
    hip_shift: float = 0.0,
    stance: float = 1.05,
) -> PoseSeries:
    """Squat: thighs rotate to ``depth_deg`` from vertical, shins tilt forwards, trunk leans.

    valgus: how far (share of hip half-width) the knees move inwards at the bottom.
    heel_rise: heel lift at the bottom, in body units.
    hip_shift: how far the pelvis moves towards the left foot at the bottom (share of hip width).
    stance: ankle spacing as a multiple of hip width.
    """
    n = effort.size
    thigh_a = np.radians(depth_deg * effort)
    shin_a = np.radians(35.0 * effort)
    body: Joints = {}
    for side, sign in (("left", 1), ("right", -1)):
        lateral = sign * HIP_HALF
        ankle = _vec(0, heel_rise * effort, lateral * stance, n)
        knee_lat = lateral * (1.0 - valgus * effort)
        knee = ankle + _vec(SHIN * np.sin(shin_a), SHIN * np.cos(shin_a), 0, n)
        knee[:, 2] = knee_lat
        hip = knee + _vec(-THIGH * np.sin(thigh_a), THIGH * np.cos(thigh_a), 0, n)
        hip[:, 2] = lateral + hip_shift * 2 * HIP_HALF * effort
        body |= {f"{side}_ankle": ankle, f"{side}_knee": knee, f"{side}_hip": hip}
        body[f"{side}_heel"] = ankle + _vec(-5, -3, 0, n)
        body[f"{side}_toe"] = _vec(FOOT, 0, lateral * stance, n)
    hip_mid = 0.5 * (body["left_hip"] + body["right_hip"])
    body |= _upper_body(hip_mid, lean_deg * effort, n)
    return _series(_to_image(body, view), n, noise, seed, depth_measured)


def bridge(
    effort: np.ndarray,
    extension: float = 1.0,
    hip_drop: float = 0.0,
    knee_spread: float = 1.0,
    lifted_foot: str | None = None,
    noise: float = 0.0,
    seed: int = 0,
    depth_measured: bool = False,
    view: str = "side",
) -> PoseSeries:
    """Supine bridge: the hip swings around the knee from the floor to the line shoulder-knee
    (``extension`` 1.0 = all the way). knee_spread: knee/ankle width ratio. hip_drop: how far
    (body units) the left hip sags at the top. view: side (default), oblique or front."""
    n = effort.size
    ankle = np.array([60.0, 0.0])
    knee = ankle + SHIN * np.array([-np.cos(np.radians(60)), np.sin(np.radians(60))])
    floor_angle = np.pi + np.arcsin(knee[1] / THIGH)  # hip on the floor, behind the knee
    hip_floor = knee + THIGH * np.array([np.cos(floor_angle), np.sin(floor_angle)])
    shoulder = hip_floor - np.array([TORSO, 0.0])
    to_shoulder = (shoulder - knee) / np.linalg.norm(shoulder - knee)
    line_angle = np.arctan2(to_shoulder[1], to_shoulder[0]) % (2 * np.pi)
    angle = floor_angle + (line_angle - floor_angle) * extension * effort
    hip = knee + THIGH * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    body: Joints = {}
    for side, sign in (("left", 1), ("right", -1)):
        lateral = sign * HIP_HALF
        drop = -hip_drop * effort if side == "left" else 0.0 * effort
        lift = 25.0 * (effort > 0.05) if lifted_foot == side else 0.0 * effort
        body[f"{side}_hip"] = _vec(hip[:, 0], hip[:, 1] + drop, lateral, n)
        body[f"{side}_knee"] = _vec(knee[0], knee[1] + lift * 0, lateral * knee_spread, n)
        body[f"{side}_ankle"] = _vec(ankle[0], ankle[1] + lift, lateral, n)
        body[f"{side}_heel"] = _vec(ankle[0] - 4, ankle[1] + lift, lateral, n)
        body[f"{side}_toe"] = _vec(ankle[0] + FOOT, ankle[1] + lift, lateral, n)
        body[f"{side}_shoulder"] = _vec(shoulder[0], shoulder[1], sign * SHOULDER_HALF, n)
        body[f"{side}_elbow"] = _vec(shoulder[0] + 20, 0, sign * SHOULDER_HALF, n)
        body[f"{side}_wrist"] = _vec(shoulder[0] + 40, 0, sign * SHOULDER_HALF, n)
    body["head"] = _vec(shoulder[0] - HEAD, 5, 0, n)
    return _series(_to_image(body, view, (250.0, 400.0)), n, noise, seed, depth_measured)


def clamshell(
    effort: np.ndarray,
    opening_deg: float = 50.0,
    feet_apart: float = 0.0,
    roll_deg: float = 0.0,
    top: str = "left",
    noise: float = 0.0,
    seed: int = 0,
) -> PoseSeries:
    """Side-lying clamshell, camera in front (facing the belly): hips stacked in the image.

    Body frame here: x towards the feet, y up (the stacking direction), z towards the camera.
    """
    n = effort.size
    low = "right" if top == "left" else "left"
    roll = np.radians(roll_deg * effort)
    open_a = np.radians(opening_deg * effort)
    hip_low = _vec(0, 0, 0, n)
    hip_top = _vec(0, 2 * HIP_HALF * np.cos(roll), -2 * HIP_HALF * np.sin(roll), n)
    flex = np.radians(45.0)
    thigh_low = THIGH * np.array([np.cos(flex), 0.0, np.sin(flex)])
    knee_low = hip_low + thigh_low
    knee_top = hip_top + _vec(
        THIGH * np.cos(flex),
        THIGH * np.sin(flex) * np.sin(open_a),
        THIGH * np.sin(flex) * np.cos(open_a),
        n,
    )
    shin = SHIN * np.array([np.cos(flex), 0.0, -np.sin(flex)])
    ankle_low = knee_low + shin
    ankle_top = ankle_low + _vec(0, 2 * HIP_HALF * (1 + feet_apart * effort), 0, n)
    body = {
        f"{low}_hip": hip_low,
        f"{top}_hip": hip_top,
        f"{low}_knee": knee_low,
        f"{top}_knee": knee_top,
        f"{low}_ankle": ankle_low,
        f"{top}_ankle": ankle_top,
        f"{low}_shoulder": _vec(-TORSO, 0, 0, n),
        f"{top}_shoulder": _vec(-TORSO, 2 * SHOULDER_HALF, 0, n),
        "head": _vec(-TORSO - HEAD, SHOULDER_HALF, 0, n),
    }
    image = {
        k: np.stack([300 + 2 * v[:, 0], -(300 - 2 * v[:, 1]), 2 * v[:, 2]], axis=1)
        for k, v in body.items()
    }
    return _series(image, n, noise, seed, False)


def single_leg_deadlift(
    effort: np.ndarray,
    stand: str = "left",
    hinge_deg: float = 80.0,
    leg_lag_deg: float = 0.0,
    knee_soft_deg: float = 15.0,
    pelvis_open: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
    depth_measured: bool = False,
    view: str = "side",
) -> PoseSeries:
    """Side view by default. The trunk hinges forwards; the free leg swings back,
    ``leg_lag_deg`` short of the straight line shoulder-hip-heel; the standing knee keeps
    ``knee_soft_deg`` of bend."""
    n = effort.size
    free = "right" if stand == "left" else "left"
    hinge = np.radians(hinge_deg * effort)
    knee_bend = np.radians(knee_soft_deg)
    body: Joints = {}
    s_sign = 1 if stand == "left" else -1
    ankle_s = _vec(0, 0, s_sign * HIP_HALF, n)
    knee_s = ankle_s + _vec(SHIN * np.sin(knee_bend / 2), SHIN * np.cos(knee_bend / 2), 0, n)
    hip_s = knee_s + _vec(-THIGH * np.sin(knee_bend / 2), THIGH * np.cos(knee_bend / 2), 0, n)
    hip_f = hip_s + _vec(0, pelvis_open * effort, -2 * s_sign * HIP_HALF, n)
    leg_a = hinge - np.radians(leg_lag_deg) * effort  # free leg angle behind vertical
    leg = THIGH + SHIN
    knee_f = hip_f + _vec(-THIGH * np.sin(leg_a), -THIGH * np.cos(leg_a), 0, n)
    ankle_f = hip_f + _vec(-leg * np.sin(leg_a), -leg * np.cos(leg_a), 0, n)
    body |= {
        f"{stand}_ankle": ankle_s,
        f"{stand}_knee": knee_s,
        f"{stand}_hip": hip_s,
        f"{free}_hip": hip_f,
        f"{free}_knee": knee_f,
        f"{free}_ankle": ankle_f,
    }
    body[f"{stand}_heel"] = ankle_s + _vec(-5, -3, 0, n)
    body[f"{stand}_toe"] = ankle_s + _vec(FOOT, -3, 0, n)
    hip_mid = 0.5 * (hip_s + hip_f)
    body |= _upper_body(hip_mid, np.degrees(hinge), n)
    return _series(_to_image(body, view, (320.0, 420.0)), n, noise, seed, depth_measured)


def step_up(
    effort: np.ndarray,
    leads: list[str],
    knee_in: float = 0.0,
    pelvis_drop: float = 0.0,
    trail_push: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
) -> PoseSeries:
    """Front view. Each rep, the lead foot is on a 20-unit step; the hips rise by the step
    height as the lead knee straightens. trail_push: trailing heel rise (units) early in the rep."""
    n = effort.size
    step = 20.0
    lead_of_frame = _lead_per_frame(effort, leads)
    body: Joints = {
        f"{s}_{j}": np.zeros((n, 3))
        for s in ("left", "right")
        for j in ("hip", "knee", "ankle", "heel", "toe")
    }
    rise = step * effort
    early = np.clip(effort * 2.0, 0, 1) * (effort < 0.999)
    for side, sign in (("left", 1), ("right", -1)):
        lateral = sign * HIP_HALF
        is_lead = lead_of_frame == side
        foot_y = np.where(is_lead, step, 0.0) + np.where(is_lead, 0.0, trail_push * early)
        ankle = _vec(0, foot_y, lateral, n)
        hip_y = THIGH + SHIN - 12.0 + rise + np.where(side == "left", -pelvis_drop * effort, 0.0)
        hip = _vec(0, hip_y, lateral, n)
        knee = 0.5 * (ankle + hip)
        knee[:, 0] += 10.0  # knees forward of the hip-ankle line
        knee[:, 2] -= np.where(is_lead, sign * knee_in * HIP_HALF * effort, 0.0)
        body[f"{side}_ankle"], body[f"{side}_hip"], body[f"{side}_knee"] = ankle, hip, knee
        body[f"{side}_heel"] = ankle + _vec(-5, -3, 0, n)
        body[f"{side}_toe"] = ankle + _vec(FOOT, -3, 0, n)
    hip_mid = 0.5 * (body["left_hip"] + body["right_hip"])
    body |= _upper_body(hip_mid, np.zeros(n), n)
    return _series(_to_image(body, "front", (320.0, 420.0)), n, noise, seed, False)


def _lead_per_frame(effort: np.ndarray, leads: list[str]) -> np.ndarray:
    """Which foot is on the step, per frame: the k-th rep uses leads[k]."""
    starts = np.flatnonzero((effort[1:] > 0) & (effort[:-1] == 0)) + 1
    out = np.full(effort.size, leads[0], dtype=object)
    for k, start in enumerate(starts):
        out[start:] = leads[k % len(leads)]
    return out


def half_kneeling(
    seconds_in: list[float],
    back: str = "left",
    lean_deg: float = 5.0,
    noise: float = 0.0,
    seed: int = 0,
    view: str = "side",
) -> PoseSeries:
    """Side view by default. Stand 2 s, kneel for each hold, stand 2 s between holds."""
    stand = int(2 * FPS)
    pieces = [np.zeros(stand)]
    for s in seconds_in:
        pieces += [np.ones(int(s * FPS)), np.zeros(stand)]
    kneel = np.concatenate(pieces)
    n = kneel.size
    front = "right" if back == "left" else "left"
    b_sign = 1 if back == "left" else -1
    body: Joints = {}
    # standing pose
    stand_hip_y = THIGH + SHIN
    hip_y = np.where(kneel > 0, SHIN, stand_hip_y)
    hip = _vec(0, hip_y, 0, n)
    for side, sign in ((back, b_sign), (front, -b_sign)):
        lat = sign * HIP_HALF
        if side == back:
            knee = np.where(kneel[:, None] > 0, _vec(-15, 2, lat, n), _vec(0, SHIN, lat, n))
            ankle = np.where(kneel[:, None] > 0, _vec(-15 - SHIN, 2, lat, n), _vec(0, 0, lat, n))
        else:
            knee = np.where(kneel[:, None] > 0, _vec(THIGH, SHIN, lat, n), _vec(0, SHIN, lat, n))
            ankle = np.where(kneel[:, None] > 0, _vec(THIGH, 0, lat, n), _vec(0, 0, lat, n))
        body[f"{side}_hip"] = hip + _vec(0, 0, lat, n)
        body[f"{side}_knee"], body[f"{side}_ankle"] = knee, ankle
        body[f"{side}_heel"] = ankle + _vec(-5, -2, 0, n)
        body[f"{side}_toe"] = ankle + _vec(FOOT, -2, 0, n)
    body |= _upper_body(hip, lean_deg * kneel, n)
    return _series(_to_image(body, view, (320.0, 420.0)), n, noise, seed, False)


Builder = Callable[..., PoseSeries]


def side_plank(seconds: float, sag: float = 0.0, support: str = "left") -> PoseSeries:
    """Front view (facing the chest). Lie 2 s, hold the plank, lie 2 s. sag: hip drop (units)."""
    lie = int(2 * FPS)
    up = np.concatenate([np.zeros(lie), np.ones(int(seconds * FPS)), np.zeros(lie)])
    n = up.size
    tilt = np.radians(np.where(up > 0, 20.0, 3.0))  # body line above the floor
    leg = THIGH + SHIN
    direction = np.stack([np.cos(tilt), np.sin(tilt), np.zeros(n)], axis=1)
    ankle = np.zeros((n, 3))
    hip = ankle + leg * direction - _vec(0, sag * up, 0, n)
    shoulder = ankle + (leg + TORSO) * direction
    other = "right" if support == "left" else "left"
    offset = _vec(0, 6.0, 0, n)  # the upper side sits a little higher in the image
    body: Joints = {}
    for side, extra in ((support, 0.0 * offset), (other, offset)):
        body[f"{side}_ankle"] = ankle + extra
        body[f"{side}_knee"] = 0.5 * (ankle + hip) + extra
        body[f"{side}_hip"] = hip + extra
        body[f"{side}_shoulder"] = shoulder + extra
    body["head"] = shoulder + HEAD * direction
    image = {
        k: np.stack([120 + 2 * v[:, 0], -(400 - 2 * v[:, 1]), v[:, 2]], axis=1)
        for k, v in body.items()
    }
    return _series(image, n, 0.0, 0, False)
