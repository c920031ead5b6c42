from __future__ import annotations

import numpy as np
import pytest

from glutecoach.vision.annotate import FAULT_LINGER_S, Overlay, draw, overlay_at
from glutecoach.vision.models import RepObservation
from glutecoach.vision.skeletons import to_mediapipe

from . import synth


def _rep(index: int, start: float, end: float, faults: tuple[str, ...]) -> RepObservation:
    return RepObservation(
        index=index,
        start_s=start,
        end_s=end,
        range_of_motion=1.0,
        faults=faults,
        quality=0.5,
        tracking_confidence=1.0,
    )


def test_counter_and_fault_labels_follow_the_reps() -> None:
    reps = [_rep(1, 1.0, 3.0, ("knee_valgus",)), _rep(2, 4.0, 6.0, ())]
    assert overlay_at(0.5, reps) == Overlay(0)
    assert overlay_at(2.0, reps) == Overlay(0, ("knee_valgus",))  # shown while it happens
    assert overlay_at(3.0 + FAULT_LINGER_S - 0.1, reps) == Overlay(1, ("knee_valgus",))
    assert overlay_at(6.5, reps) == Overlay(2)


def test_draw_puts_the_skeleton_and_labels_on_the_frame() -> None:
    pytest.importorskip("cv2")
    series = synth.squat(synth.profile(1))
    landmarks = to_mediapipe(series, synth.WIDTH, synth.HEIGHT)[0]
    blank = np.zeros((synth.HEIGHT, synth.WIDTH, 3), np.uint8)
    plain = draw(blank.copy(), None, Overlay(3))
    skeleton = draw(blank.copy(), landmarks, Overlay(3))
    labelled = draw(blank.copy(), landmarks, Overlay(3, ("heels_lifting",)))
    assert plain.any()  # the counter
    assert (skeleton != plain).sum() > 500  # bones and joints
    assert (labelled[:, :, 2] > labelled[:, :, 1] + 100).sum() > 50  # red fault label
