"""Analyzer throughput of this checkout against an earlier revision, in the same run.

Run: .venv/bin/python benchmarks/bench_vision_ab.py [REV ...]   (default: HEAD~1)

Each revision's ``src`` is taken with ``git archive`` into a temporary folder; the runs alternate
(revision, this checkout, revision, ...) in fresh processes, each timing the same real UI-PRMD
squats (projected to the image, bench_vision.landmark_array) in CPU seconds, best of 5, so that
other work on a shared machine skews the ratio as little as possible. Two figures per tree:
the analyzer (named joints + view check + reps + faults, bench_vision.analyzer_fps's path) and
the whole analysis of a landmark track (analyze_track: person, view, posture, reps: what
`vision analyze` and the live coach run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 3
CODE = r"""
import sys, time
sys.path.insert(0, {bench!r})
import bench_vision as b
from glutecoach.vision.analyzers import ANALYZERS, analyze_series
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.pipeline import PoseTrack, analyze_track
from glutecoach.vision.recording import LandmarkRecording
from glutecoach.vision.skeletons import from_mediapipe
from glutecoach.vision.view import check_view

landmarks, fps = b.landmark_array(20)
checks = load_form_checks()
_, profile = checks.profile_for("bodyweight_squat")


def analyzer():
    series = from_mediapipe(landmarks, b.WIDTH, b.HEIGHT, fps)
    view = check_view(series, profile)
    return analyze_series(series, profile, ANALYZERS[profile.analyzer], None, view.skipped_checks)


def track():
    rec = LandmarkRecording(landmarks, fps, b.WIDTH, b.HEIGHT)
    return analyze_track(PoseTrack("bench", rec), "bodyweight_squat", None, checks).reps


for name, run in (("analyzer", analyzer), ("analyze_track", track)):
    best = 1e9
    for _ in range(5):
        start = time.process_time()
        reps = run()
        best = min(best, time.process_time() - start)
    print(f"{{name}} {{len(landmarks) / best:.0f}} {{len(reps)}}")
"""


def _tree_of(rev: str, into: Path) -> Path:
    archive = into / f"{rev.replace('/', '_')}.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", rev, "src"], cwd=REPO, stdout=out, check=True)
    target = into / rev.replace("/", "_")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "src"


def _measure(tree: Path) -> dict[str, tuple[float, int]]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    code = CODE.format(bench=str(REPO / "benchmarks"))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    rows = (line.split() for line in out.stdout.splitlines() if line.strip())
    return {name: (float(rate), int(reps)) for name, rate, reps in rows}


def main() -> None:
    revs = sys.argv[1:] or ["HEAD~1"]
    print(f"load average before the run: {os.getloadavg()[0]:.2f} (CPU time, best of 5 each)")
    with tempfile.TemporaryDirectory() as tmp:
        trees = {rev: _tree_of(rev, Path(tmp)) for rev in revs}
        trees["this checkout"] = REPO / "src"
        best: dict[str, dict[str, tuple[float, int]]] = {name: {} for name in trees}
        for _ in range(ROUNDS):
            for name, tree in trees.items():
                for what, (rate, reps) in _measure(tree).items():
                    old = best[name].get(what, (0.0, reps))
                    best[name][what] = (max(old[0], rate), reps)
    mine = best["this checkout"]
    for what in ("analyzer", "analyze_track"):
        print(f"{what} (frames/s of CPU time, best of {ROUNDS} runs):")
        for name, figures in best.items():
            rate, reps = figures[what]
            ratio = mine[what][0] / rate
            print(f"  {name:>14}: {rate:12,.0f}  ({reps} reps)  this checkout is {ratio:4.2f}x")


if __name__ == "__main__":
    main()
