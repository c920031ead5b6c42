"""Real pixels through MediaPipe: two people in the picture, and the wrong exercise.

The clips are built from the astronaut photo shipped with scikit-image (a real person): two
copies side by side, one moving up and down like a squat and one still; and the photo turned
on its side (a person lying down) or upright, analysed as an exercise done the other way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from glutecoach.vision.pipeline import analyze_source

pytestmark = pytest.mark.vision
cv2 = pytest.importorskip("cv2")
skimage_data = pytest.importorskip("skimage.data")

FRAMES = 40


def _photo(size: int) -> np.ndarray:
    return np.asarray(
        cv2.cvtColor(cv2.resize(skimage_data.astronaut(), (size, size)), cv2.COLOR_RGB2BGR)
    )


def _write(path: Path, frames: list[np.ndarray]) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (640, 480))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def _two_people(path: Path, mover: str) -> Path:
    photo = _photo(260)
    frames = []
    for i in range(FRAMES):
        frame = np.full((480, 640, 3), 30, np.uint8)
        dip = int(60 * np.sin(np.pi * i / 20) ** 2)  # down and up once every 20 frames
        left, right = (dip, 0) if mover == "left" else (0, dip)
        frame[100 + left : 360 + left, 40:300] = photo
        frame[100 + right : 360 + right, 340:600] = photo
        frames.append(frame)
    return _write(path, frames)


@pytest.mark.parametrize("mover", ["left", "right"])
def test_the_person_moving_is_followed_and_two_in_view_is_said(tmp_path: Path, mover: str) -> None:
    result = analyze_source(_two_people(tmp_path / f"{mover}.mp4", mover), "bodyweight_squat")
    assert result.person_frames == FRAMES
    [note] = [w for w in result.warnings if "people are in view" in w]
    assert note.startswith(f"2 people are in view: analysing the one on the {mover}")


def test_one_person_gets_no_note(tmp_path: Path) -> None:
    photo = _photo(300)
    frames = []
    for i in range(20):
        frame = np.full((480, 640, 3), 30, np.uint8)
        frame[90 + 2 * i : 390 + 2 * i, 170:470] = photo
        frames.append(frame)
    result = analyze_source(_write(tmp_path / "one.mp4", frames), "glute_bridge")
    assert result.warnings == ()
    assert result.view.wrong_exercise.startswith(
        "This does not look like a glute bridge: you seem to be upright"
    )


def test_a_person_lying_down_is_not_a_goblet_squat(tmp_path: Path) -> None:
    lying = cv2.rotate(_photo(360), cv2.ROTATE_90_CLOCKWISE)
    frames = []
    for i in range(20):
        frame = np.full((480, 640, 3), 30, np.uint8)
        frame[60:420, 140 + i : 500 + i] = lying
        frames.append(frame)
    result = analyze_source(_write(tmp_path / "lying.mp4", frames), "goblet_squat")
    assert not result.view.ok and result.reps == ()
    assert result.view.wrong_exercise.startswith(
        "This does not look like a goblet squat: you seem to be lying down"
    )
