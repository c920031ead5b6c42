"""Real pixels: a clip built from a real photo shipped with scikit-image, through MediaPipe."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from glutecoach.vision.cli import vision_group

pytestmark = pytest.mark.vision
cv2 = pytest.importorskip("cv2")
skimage_data = pytest.importorskip("skimage.data")

FRAMES = 24


def _write(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


@pytest.fixture(scope="module")
def astronaut_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """640x480 clip: the astronaut photo sliding sideways (a real person, real pixels)."""
    photo = cv2.cvtColor(cv2.resize(skimage_data.astronaut(), (480, 480)), cv2.COLOR_RGB2BGR)
    frames = []
    for i in range(FRAMES):
        frame = np.zeros((480, 640, 3), np.uint8)
        frame[:, 40 + 3 * i : 520 + 3 * i] = photo
        frames.append(frame)
    return _write(tmp_path_factory.mktemp("clip") / "astronaut.mp4", frames)


@pytest.fixture(scope="module")
def analysed(
    astronaut_clip: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict, Path, Path]:
    out_dir = tmp_path_factory.mktemp("out")
    annotated, landmarks = out_dir / "annotated.mp4", out_dir / "landmarks.npz"
    result = CliRunner().invoke(
        vision_group,
        [
            "analyze",
            str(astronaut_clip),
            "--exercise",
            "bodyweight_squat",
            "--json",
            "--out",
            str(annotated),
            "--save-landmarks",
            str(landmarks),
        ],
    )
    assert result.exit_code == 3, (result.stdout, result.stderr)  # legs out of view: not scored
    return json.loads(result.stdout)[0], annotated, landmarks


def test_pose_runs_on_real_pixels_and_returns_landmarks(analysed: tuple[dict, Path, Path]) -> None:
    entry, _, landmarks_path = analysed
    assert entry["result"]["frames"] == FRAMES
    assert entry["result"]["person_frames"] == FRAMES
    with np.load(landmarks_path) as data:
        landmarks = data["landmarks"]
    assert landmarks.shape == (FRAMES, 33, 4)
    nose, left_shoulder = landmarks[:, 0], landmarks[:, 11]
    assert np.all(nose[:, 3] > 0.9)
    assert np.all(nose[:, 1] < left_shoulder[:, 1])  # the head is above the shoulders
    # the photo slides right by 3 px a frame: the nose follows it
    assert nose[-1, 0] - nose[0, 0] == pytest.approx(3 * (FRAMES - 1) / 640, abs=0.03)


def test_view_check_refuses_to_score_a_portrait(analysed: tuple[dict, Path, Path]) -> None:
    entry, _, _ = analysed
    view = entry["result"]["view"]
    assert not view["ok"] and entry["result"]["reps"] == []
    assert "whole body in view" in view["advice"]


def test_annotated_video_has_every_frame_and_the_skeleton(
    analysed: tuple[dict, Path, Path], astronaut_clip: Path
) -> None:
    _, annotated, _ = analysed
    out, src = cv2.VideoCapture(str(annotated)), cv2.VideoCapture(str(astronaut_clip))
    drawn = 0
    for _ in range(FRAMES):
        ok_out, frame_out = out.read()
        ok_src, frame_src = src.read()
        assert ok_out and ok_src
        drawn += int(np.mean(np.abs(frame_out.astype(int) - frame_src.astype(int))) > 0.5)
    assert not out.read()[0]
    assert drawn == FRAMES  # overlay (skeleton, counter) on every frame


def test_a_video_with_no_person_exits_2(tmp_path: Path) -> None:
    frames = [np.full((240, 320, 3), 60 + 4 * i, np.uint8) for i in range(10)]
    clip = _write(tmp_path / "empty.mp4", frames)
    result = CliRunner().invoke(vision_group, ["analyze", str(clip), "--exercise", "glute_bridge"])
    assert result.exit_code == 2
    assert "no person found" in result.stderr and "Traceback" not in result.stderr


def test_a_corrupt_video_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "corrupt.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
    result = CliRunner().invoke(vision_group, ["analyze", str(bad), "--exercise", "glute_bridge"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


@pytest.mark.parametrize("complexity", [0, 2])
def test_model_complexities_that_would_download_are_refused(complexity: int) -> None:
    from glutecoach.vision.backends import MediaPipePoseBackend
    from glutecoach.vision.errors import UnsupportedModelError

    with pytest.raises(UnsupportedModelError, match="only 1 ships"):
        MediaPipePoseBackend(model_complexity=complexity)


def test_two_videos_on_two_processes_keep_their_order(astronaut_clip: Path, tmp_path: Path) -> None:
    frames = [np.full((240, 320, 3), 80, np.uint8) for _ in range(6)]
    empty = _write(tmp_path / "empty.mp4", frames)
    ok = CliRunner().invoke(
        vision_group,
        [
            "analyze",
            str(astronaut_clip),
            str(astronaut_clip),
            "--exercise",
            "clamshell",
            "--jobs",
            "2",
            "--json",
        ],
    )
    assert ok.exit_code == 3  # both analysed, neither scorable
    entries = json.loads(ok.stdout)
    assert [e["result"]["person_frames"] for e in entries] == [FRAMES, FRAMES]
    failed = CliRunner().invoke(
        vision_group,
        ["analyze", str(astronaut_clip), str(empty), "--exercise", "clamshell", "--jobs", "2"],
    )
    assert failed.exit_code == 2 and "no person found" in failed.stderr
