"""Real recorded squats as a camera would see them: UI-PRMD Kinect joints projected to a side or
front image, saved as a MediaPipe landmark recording and analysed through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from glutecoach.vision import uiprmd
from glutecoach.vision.cli import vision_group
from glutecoach.vision.joints import PoseSeries, concatenate

from .conftest import record


def _projected(series: PoseSeries, view: str) -> PoseSeries:
    """Orthographic camera 640x480: side view looks along the body's left-right axis."""
    horizontal = series.positions[:, :, 2] if view == "side" else series.positions[:, :, 0]
    vertical = series.positions[:, :, 1]
    finite = np.isfinite(horizontal)
    h0, h1 = np.min(horizontal[finite]), np.max(horizontal[finite])
    v0, v1 = np.nanmin(vertical), np.nanmax(vertical)
    scale = 400.0 / max(h1 - h0, v1 - v0)
    positions = np.stack(
        [
            120 + (horizontal - h0) * scale,
            -(440 - (vertical - v0) * scale),
            np.zeros_like(vertical),
        ],
        axis=2,
    )
    return PoseSeries(positions, series.confidence * 0.95, series.fps, False)


@pytest.mark.parametrize("view", ["side", "front"])
def test_ten_real_deep_squats_through_the_cli(uiprmd_root: Path, tmp_path: Path, view: str) -> None:
    reps = [
        r
        for r in uiprmd.list_repetitions(uiprmd_root)
        if r.movement == "m01" and r.subject == "s01" and r.correct
    ]
    series = _projected(concatenate([r.load() for r in reps]), view)
    path = record(series, tmp_path / f"squats-{view}.npz")
    result = CliRunner().invoke(
        vision_group, ["analyze", str(path), "--exercise", "bodyweight_squat", "--json"]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    entry = json.loads(result.stdout)[0]
    assert entry["result"]["view"]["view"] == view
    assert len(entry["result"]["reps"]) == len(reps) == 10
    skipped = set(entry["result"]["view"]["skipped_checks"])
    assert ("knee_valgus" in skipped) == (view == "side")
    assert ("shallow_depth" in skipped) == (view == "front")
