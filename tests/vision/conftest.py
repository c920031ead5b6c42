"""Fixtures for the camera coach tests."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from glutecoach.vision.joints import PoseSeries
from glutecoach.vision.recording import LandmarkRecording, save_recording
from glutecoach.vision.skeletons import to_mediapipe
from glutecoach.vision.uiprmd import default_root

from . import synth

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def uiprmd_root() -> Path:
    root = default_root(REPO_ROOT)
    if not (root / "Segmented_Movements").is_dir():
        pytest.skip(f"UI-PRMD data not found at {root} (set GLUTECOACH_UIPRMD_DIR)")
    return root


def record(series: PoseSeries, path: Path) -> Path:
    """Save a synthetic series as a landmark recording, as the real pipeline would."""
    landmarks = to_mediapipe(series, synth.WIDTH, synth.HEIGHT)
    save_recording(path, LandmarkRecording(landmarks, series.fps, synth.WIDTH, synth.HEIGHT))
    return path


@pytest.fixture
def squat_recording(tmp_path: Path) -> Path:
    effort = synth.profile(4, rep_s=3.0)
    return record(synth.squat(effort, noise=0.4, seed=3), tmp_path / "squat.npz")


@pytest.fixture
def quiet_native(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOG_minloglevel", "2")


def nan_frames(series: PoseSeries, start: int, stop: int) -> PoseSeries:
    positions = series.positions.copy()
    confidence = series.confidence.copy()
    positions[start:stop] = np.nan
    confidence[start:stop] = 0.0
    return PoseSeries(positions, confidence, series.fps, series.depth_reliable, series.source)


os.environ.setdefault("GLOG_minloglevel", "2")
