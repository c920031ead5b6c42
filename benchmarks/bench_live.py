"""The web session's live camera coach (a script, not a test).
Run: .venv/bin/python benchmarks/bench_live.py [--reps 5]

Pinned to one core, on 640x480 JPEG frames (quality 0.7, what the page sends), each figure next
to a baseline from the same run:
1. bare MediaPipe inference fps on the same frames, already decoded (the baseline);
2. the live session, frame by frame: JPEG decode + pose model + the stream (placement, reps,
   hold timer, cues; the analyzer re-run every 0.25 s on the set so far). The frames carry real
   pixels (scikit-image's astronaut sliding across the picture) through the real model, while
   the landmarks the stream receives are a recorded glute-bridge set with short reps, so reps,
   holds and cues happen as in a real set. Reported: per-frame latency p50/p95/max, the
   latency of the frames that carried a spoken cue (frame-to-cue), sustained analysed fps
   and its ratio to the baseline. Goals: frame-to-cue p95 < 150 ms, >= 15 fps on one core.
3. memory: resident set size before the first session, after a whole set, and what a second
   session running at the same time adds.
The WebSocket hop on localhost (~1 ms) is not included.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
WIDTH, HEIGHT = 640, 480


def jpeg_frames(count: int) -> tuple[list[bytes], list[np.ndarray]]:
    import cv2
    from skimage import data

    photo = cv2.cvtColor(cv2.resize(data.astronaut(), (HEIGHT, HEIGHT)), cv2.COLOR_RGB2BGR)
    jpegs, rgbs = [], []
    for i in range(count):
        frame = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
        x = int(80 + 60 * np.sin(i / 15))
        frame[:, x : x + HEIGHT] = photo
        ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 70])
        assert ok
        jpegs.append(buf.tobytes())
        rgbs.append(np.ascontiguousarray(frame[:, :, ::-1]))
    return jpegs, rgbs


class RealCostReplay:
    """Runs the real model on every frame (its full cost), then hands the stream the recorded
    landmarks of a bridge set instead of the photo's."""

    def __init__(self, recorded: np.ndarray) -> None:
        from glutecoach.vision.backends import MediaPipePoseBackend

        self.model = MediaPipePoseBackend()
        self.recorded = recorded
        self.i = 0
        self.model_ms: list[float] = []

    def process(self, rgb: np.ndarray) -> Any:
        begin = time.perf_counter()
        self.model.process(rgb)
        self.model_ms.append((time.perf_counter() - begin) * 1000)
        row = self.recorded[min(self.i, len(self.recorded) - 1)]
        self.i += 1
        return row

    def close(self) -> None:
        self.model.close()


def bare_fps(rgbs: list[np.ndarray]) -> float:
    from glutecoach.vision.backends import MediaPipePoseBackend

    with MediaPipePoseBackend() as model:
        model.process(rgbs[0])  # warm-up
        start = time.perf_counter()
        for rgb in rgbs:
            model.process(rgb)
        return len(rgbs) / (time.perf_counter() - start)


def live_set(reps: int) -> dict[str, Any]:
    from tests.live_replay import FPS, bridge_set

    from glutecoach.vision.live_session import LiveSession

    times, rows = bridge_set(reps=reps, short_rep=None)
    rows = rows.copy()
    short = bridge_set(reps=1, short_rep=1)[1]
    per_rep = (len(rows) - 2 * int(FPS)) // reps
    for k in range(0, reps, 2):  # every other rep short of full extension: a cue each time
        begin = int(FPS) + k * per_rep
        rows[begin : begin + per_rep] = short[int(FPS) : int(FPS) + per_rep]
    jpegs, _ = jpeg_frames(len(rows))
    backend = RealCostReplay(rows)
    session = LiveSession("glute_bridge", None, backend_factory=lambda: backend)
    session.frame(0.0, jpegs[0])  # starts the model (reported apart: once per set)
    times, jpegs = times[1:], jpegs[1:]
    backend.model_ms.clear()
    latencies, cue_latencies = [], []
    start = time.perf_counter()
    for t, jpeg in zip(times, jpegs, strict=True):
        begin = time.perf_counter()
        state = session.frame(t, jpeg)
        spent = time.perf_counter() - begin
        latencies.append(spent)
        if state["cue"]:
            cue_latencies.append(spent)
    total = time.perf_counter() - start
    result = session.finish()
    session.close()
    return {
        "latencies": np.array(latencies) * 1000,
        "model": np.array(backend.model_ms),
        "cues": np.array(cue_latencies) * 1000,
        "fps": len(latencies) / total,
        "reps": result["reps"],
        "frames": len(latencies),
        "set_seconds": times[-1],
    }


def rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 1e6


def memory(reps: int) -> tuple[float, float, float]:
    from tests.live_replay import bridge_set

    from glutecoach.vision.live_session import LiveSession

    times, rows = bridge_set(reps=reps, short_rep=None)
    jpegs, _ = jpeg_frames(60)
    before = rss_mb()
    first = LiveSession("glute_bridge", None)
    for t, row in zip(times, rows, strict=True):
        first.landmarks(t, row)
    for i, jpeg in enumerate(jpegs):
        first.frame(times[-1] + (i + 1) / 15, jpeg)
    after_one = rss_mb()
    second = LiveSession("glute_bridge", None)
    for i, jpeg in enumerate(jpegs):
        second.frame(i / 15, jpeg)
    after_two = rss_mb()
    first.close()
    second.close()
    return before, after_one, after_two


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="reps in the measured set")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    print(f"load average before the run: {os.getloadavg()[0]:.2f} (other work skews these)")
    from glutecoach.vision.backends import quiet_native_logs

    quiet_native_logs()
    _, rgbs = jpeg_frames(150)
    baseline = bare_fps(rgbs)
    run = live_set(args.reps)
    lat, cues = run["latencies"], run["cues"]
    print(f"\nbare model inference, one core: {baseline:.1f} fps (baseline)")
    print(
        f"live session, one core: {run['fps']:.1f} analysed fps = {run['fps'] / baseline:.2f}x "
        f"the bare model ({run['frames']} frames, {run['set_seconds']:.0f} s set, "
        f"{run['reps']} reps counted)"
    )
    print("\n| frames | median ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    print(
        f"| every frame (JPEG in -> state out) | {np.median(lat):.1f} | "
        f"{np.percentile(lat, 95):.1f} | {lat.max():.1f} |"
    )
    if cues.size:
        print(
            f"| frames that carried a spoken cue ({cues.size}) | {np.median(cues):.1f} | "
            f"{np.percentile(cues, 95):.1f} | {cues.max():.1f} |"
        )
    model = run["model"]
    print(
        f"| of which the pose model (same frames, same moment) | {np.median(model):.1f} | "
        f"{np.percentile(model, 95):.1f} | {model.max():.1f} |"
    )
    rest = lat - model
    print(
        f"| the rest: decode, placement, reps, cues | {np.median(rest):.1f} | "
        f"{np.percentile(rest, 95):.1f} | {rest.max():.1f} |"
    )
    print(
        f"\nper-frame cost over its own model call: median {np.median(lat / model):.2f}x, "
        f"p95 {np.percentile(lat / model, 95):.2f}x"
    )
    before, one, two = memory(args.reps)
    print(
        f"\nmemory (RSS): {before:.0f} MB before, {one:.0f} MB with one session after a set "
        f"(+{one - before:.0f} MB), {two:.0f} MB with a second one (+{two - one:.0f} MB)"
    )


if __name__ == "__main__":
    main()
