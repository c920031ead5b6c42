"""A recorded landmark sequence for the live camera coach: a glute bridge set as MediaPipe's 33
landmarks per frame (what the pose model sends), with one rep short of full hip extension."""

from __future__ import annotations

import numpy as np
from tests.vision import synth

from glutecoach.vision.skeletons import to_mediapipe

FPS = 15.0  # what the page sends on a slow machine
HOLD_S = 3.0  # seconds held at the top of every rep
REPS = 3
SHORT_REP = 2  # this rep stops short of full hip extension (the injected fault)


def bridge_set(
    reps: int = REPS, short_rep: int | None = SHORT_REP, view: str = "side"
) -> tuple[list[float], np.ndarray]:
    """(frame times in s, (frames, 33, 4) normalised landmarks) at FPS, 1 s of rest at the end."""
    one = synth.profile(1, rep_s=2.0, rest_s=1.0, hold_s=HOLD_S)
    lead = int(synth.FPS)  # profile() starts with one rest; every rep brings its own rest after
    parts = [one[:lead]]
    for index in range(1, reps + 1):
        scale = 0.6 if index == short_rep else 1.0
        parts.append(one[lead:] * scale)
    parts.append(np.zeros(int(synth.FPS)))
    effort = np.concatenate(parts)
    series = synth.bridge(effort, view=view)
    landmarks = to_mediapipe(series, synth.WIDTH, synth.HEIGHT)
    landmarks[:, :, 3] = np.where(np.isnan(landmarks[:, :, 0]), np.nan, 0.98)
    step = round(synth.FPS / FPS)
    picked = landmarks[::step]
    return [i / FPS for i in range(len(picked))], picked
