"""The form-review video: the hold timer runs only in the hold position and restarts between
reps, fault labels appear while their rep happens (not before), the view is written, every
frame is kept, and a browser recording's frame rate is measured from its frame times."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.live_replay import FPS, HOLD_S, bridge_set

from glutecoach.vision.annotate import Overlay, draw
from glutecoach.vision.recording import LandmarkRecording, save_recording
from glutecoach.vision.review_video import hold_timers, measured_fps, review_clip

from . import synth

cv2 = pytest.importorskip("cv2")


def red_label_pixels(frame: np.ndarray) -> int:
    """Pixels of the fault labels' red (BGR 60, 60, 230), after VP8 compression."""
    b, g, r = (frame[:, :, i].astype(int) for i in range(3))
    return int(((r > 150) & (g < 120) & (b < 120)).sum())


def frames_of(path: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            return frames
        frames.append(frame)


def test_the_bridge_set_video_shows_holds_faults_and_the_view_when_they_happen(
    tmp_path: Path,
) -> None:
    _, rows = bridge_set()
    clip = tmp_path / "bridge.npz"
    save_recording(clip, LandmarkRecording(rows, FPS, synth.WIDTH, synth.HEIGHT))
    shares: list[float] = []
    result = review_clip(clip, "glute_bridge", tmp_path / "out.webm", shares.append)
    assert shares and shares == sorted(shares) and 0 < shares[-1] <= 1  # progress, in order
    assert result["reps"] == 3 and result["view"] == "side"
    frames = frames_of(tmp_path / "out.webm")
    assert len(frames) == len(rows) == result["video_frames"]
    first, second = result["rep_list"][0], result["rep_list"][1]
    assert second["faults"] == ["incomplete_hip_extension"] and first["faults"] == []

    def at(t: float) -> np.ndarray:
        return frames[round(t * FPS)]

    # the fault's label appears during its rep, not during the clean first rep
    assert red_label_pixels(at((second["start_s"] + second["end_s"]) / 2)) > 100
    assert red_label_pixels(at((first["start_s"] + first["end_s"]) / 2)) < 20
    # the hold timer reaches about the hold at each rep's top (the corner text is drawn then)
    top_right = (slice(0, 80), slice(synth.WIDTH // 2, synth.WIDTH))
    holding = at(first["start_s"] + 1.0 + HOLD_S - 0.3)[top_right]
    resting = at(first["end_s"] + 0.4)[top_right]
    assert (holding > 200).sum() > (resting > 200).sum() + 30  # "Hold: 2.9 s" over "View"


def test_hold_timers_run_in_position_and_restart() -> None:
    mask = np.array([False, True, True, True, False, True, True], dtype=bool)
    assert hold_timers(mask, 10.0) == [0.0, 0.1, 0.2, 0.3, 0.0, 0.1, 0.2]


def test_a_recordings_frame_rate_comes_from_its_frame_times() -> None:
    assert measured_fps([0.0, 100.0, 200.0, 300.0], 30.0) == pytest.approx(10.0)
    assert measured_fps([0.0], 30.0) == 30.0  # one frame: the container's
    assert measured_fps([0.0, 0.0, 0.0], 25.0) == 25.0  # no usable times
    assert measured_fps([0.0, 1.0], 30.0) == 30.0  # 1000 fps: implausible


def test_the_overlay_writes_the_hold_and_the_view() -> None:
    blank = np.zeros((synth.HEIGHT, synth.WIDTH, 3), np.uint8)
    plain = draw(blank.copy(), None, Overlay(1))
    told = draw(blank.copy(), None, Overlay(1, hold_s=2.5, view="side"))
    corner = (slice(0, 80), slice(synth.WIDTH // 2, synth.WIDTH))
    assert not plain[corner].any() and (told[corner] > 200).sum() > 100
