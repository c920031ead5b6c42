"""Replay helpers for real recordings: change the playback speed, cut a recording anywhere."""

from __future__ import annotations

import numpy as np

from glutecoach.vision.joints import PoseSeries


def played_at(series: PoseSeries, speed: float) -> PoseSeries:
    """The same movement played ``speed`` times faster (0.5 = half speed), same frame rate."""
    frames = max(2, round(series.frames / speed))
    source_t = np.linspace(0, series.frames - 1, frames)
    index = np.arange(series.frames)
    flat = series.positions.reshape(series.frames, -1)
    positions = np.stack([np.interp(source_t, index, flat[:, k]) for k in range(flat.shape[1])], 1)
    confidence = np.stack(
        [
            np.interp(source_t, index, series.confidence[:, j])
            for j in range(series.confidence.shape[1])
        ],
        axis=1,
    )
    return PoseSeries(
        positions.reshape(frames, *series.positions.shape[1:]),
        confidence,
        series.fps,
        series.depth_reliable,
        series.source,
    )
