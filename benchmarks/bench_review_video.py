"""What the annotated review video costs on top of the analysis (a script, not a test).

Run: .venv/bin/python benchmarks/bench_review_video.py [--clips 4] [--frames 90] [--size 640x480]

Real-pixel clips (scikit-image's astronaut sliding across the picture; the real pose model runs
on every frame), each measured in the same run, alternating, on one core:

* baseline: ``analyze_source`` (decode, pose, analysis: what `vision analyze` does);
* ``review_clip`` with the video: the same analysis plus the drawing pass (a second decode, the
  skeleton, counter, hold timer and labels drawn, WebM VP8 encoded).

Prints frames per second of each and the ratio (review / analysis time), plus the video's size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("GLOG_minloglevel", "2")

EXERCISE = "bodyweight_squat"


def make_clips(folder: Path, count: int, frames: int, width: int, height: int) -> list[Path]:
    import cv2
    import numpy as np
    from skimage import data

    side = min(width, height)
    photo = cv2.cvtColor(cv2.resize(data.astronaut(), (side, side)), cv2.COLOR_RGB2BGR)
    clips = []
    for n in range(count):
        path = folder / f"clip{n:02d}.mp4"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (width, height))
        for i in range(frames):
            frame = np.zeros((height, width, 3), np.uint8)
            x = (i * 2 + n) % max(width - side, 1)
            frame[:, x : x + side] = photo[:height]
            writer.write(frame)
        writer.release()
        clips.append(path)
    return clips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=4)
    parser.add_argument("--frames", type=int, default=90)
    parser.add_argument("--size", default="640x480")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    from glutecoach.vision.pipeline import analyze_source
    from glutecoach.vision.review_video import review_clip

    print(f"load average: {os.getloadavg()[0]:.2f} (other work skews the figures)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = make_clips(folder, args.clips, args.frames, width, height)
        analyze_source(clips[0], EXERCISE)  # warm up: model files, imports
        plain, review, sizes = [], [], []
        for n, clip in enumerate(clips):
            started = time.perf_counter()
            analyze_source(clip, EXERCISE)
            plain.append(time.perf_counter() - started)
            out = folder / f"review{n}.webm"
            started = time.perf_counter()
            result = review_clip(clip, EXERCISE, out)
            review.append(time.perf_counter() - started)
            assert result["video_frames"] == args.frames, result["video_frames"]
            sizes.append(out.stat().st_size)
    frames = args.frames
    a, r = statistics.median(plain), statistics.median(review)
    print(f"{args.clips} clips of {frames} frames at {width}x{height}, medians:")
    print(f"  analysis only:          {a:6.2f} s/clip  {frames / a:6.1f} frames/s")
    print(f"  analysis + review video:{r:6.2f} s/clip  {frames / r:6.1f} frames/s")
    print(f"  ratio review / analysis: {r / a:.2f}x (drawing pass ~{r - a:.2f} s/clip)")
    print(f"  video size: {statistics.median(sizes) / 1024:.0f} kB/clip")


if __name__ == "__main__":
    main()
