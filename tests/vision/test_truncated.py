"""A damaged or truncated video is analysed as far as it goes, with a warning that says so."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from glutecoach.vision.pipeline import analyze_source

from .test_cli import invoke

cv2 = pytest.importorskip("cv2")


class StillPerson:
    """A pose backend that sees a motionless person in every frame: no model needed."""

    def __init__(self, **_: object) -> None:
        self.row = np.full((33, 4), 0.5)
        self.row[:, 3] = 0.9

    def process(self, rgb: np.ndarray) -> np.ndarray:
        return self.row

    def close(self) -> None:
        return None


def _avi(path: Path, frames: int = 90) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (160, 120))
    for i in range(frames):
        frame = np.full((120, 160, 3), (i * 2) % 255, np.uint8)
        cv2.putText(frame, str(i), (10, 60), 0, 1, (255, 255, 255))
        writer.write(frame)
    writer.release()
    return path


def _truncated(path: Path, keep: float) -> Path:
    data = path.read_bytes()
    cut = path.with_name(f"cut-{path.name}")
    cut.write_bytes(data[: int(len(data) * keep)])
    return cut


def test_a_truncated_video_warns_with_frames_decoded_and_promised(tmp_path: Path) -> None:
    cut = _truncated(_avi(tmp_path / "clip.avi"), 1 / 3)
    result = analyze_source(cut, "bodyweight_squat", backend=StillPerson())
    assert result.frames < 45
    [warning] = result.warnings
    assert f"only {result.frames} of the 90 frames" in warning and "truncated" in warning


def test_a_whole_video_has_no_warning(tmp_path: Path) -> None:
    result = analyze_source(_avi(tmp_path / "clip.avi"), "bodyweight_squat", backend=StillPerson())
    assert result.frames == 90 and result.warnings == ()


def test_the_cli_prints_the_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from glutecoach.vision import pipeline

    monkeypatch.setattr(pipeline, "MediaPipePoseBackend", StillPerson)
    cut = _truncated(_avi(tmp_path / "clip.avi"), 1 / 3)
    code, out, err = invoke("analyze", str(cut), "--exercise", "bodyweight_squat", "--jobs", "1")
    assert "Warning:" in out and "truncated" in out, (code, out, err)
    code, out, _ = invoke(
        "analyze", str(cut), "--exercise", "bodyweight_squat", "--json", "--jobs", "1"
    )
    assert any("truncated" in w for w in json.loads(out)[0]["result"]["warnings"])


def test_a_video_cut_before_its_index_is_a_clear_error(tmp_path: Path) -> None:
    """An mp4 whose index (written last) is cut off cannot be opened: exit 2, no traceback."""
    path = tmp_path / "clip.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30, (160, 120))
    for _ in range(30):
        writer.write(np.zeros((120, 160, 3), np.uint8))
    writer.release()
    code, _, err = invoke("analyze", str(_truncated(path, 0.3)), "--exercise", "glute_bridge")
    assert code == 2 and "Error:" in err and "Traceback" not in err
