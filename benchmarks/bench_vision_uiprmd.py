"""UI-PRMD figures: rep counts per movement and leave-one-subject-out classification.

Run: .venv/bin/python benchmarks/bench_vision_uiprmd.py [DIR]
(the same as ``glutecoach vision evaluate DIR``; DIR defaults to ../shared/data/ui-prmd).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rich.console import Console

from glutecoach.vision.evaluate import evaluate
from glutecoach.vision.reports import print_uiprmd
from glutecoach.vision.uiprmd import default_root


def main() -> None:
    root = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else default_root(Path(__file__).resolve().parents[1])
    )
    start = time.perf_counter()
    report = evaluate(root)
    elapsed = time.perf_counter() - start
    print_uiprmd(Console(width=160), report)
    print(f"evaluated {report.repetitions} repetitions in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
