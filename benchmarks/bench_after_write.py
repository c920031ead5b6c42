"""CPU cost of the views a person sees right after logging a set (a script, not a test).

    .venv/bin/python benchmarks/bench_after_write.py [--writes N] [--camera] [--varied]

Fills a fresh SQLite database with three years of history (as ``bench_web.py`` does), then,
in this process and through the web app's own view builders (``web.snapshot``) and the
services' history cache, alternates: log a set, build the dashboard; log a set, build the
progress page. It reports CPU milliseconds (``time.process_time``: what the work costs,
whatever else the machine is doing) per view, median and p95, and the ratio to the trivial
use case of the same run (reading the settings: one small transaction). The first dashboard
with an empty cache (what a server pays for its first page) is reported too.

On a shared, loaded machine the wall-clock numbers of ``bench_web.py`` swing several-fold
between runs; CPU time does not, so this is the one to compare versions with (run each with
``PYTHONPATH=<its src>``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_web import generate
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import SetLog
from glutecoach.history_cache import HistoryCache, freeze_long_lived
from glutecoach.services import Coach, open_database
from glutecoach.web import snapshot


def cpu_ms(call: Callable[[], object]) -> float:
    start = time.process_time()
    call()
    return (time.process_time() - start) * 1000


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument(
        "--camera", action="store_true", help="every set with a camera form summary of its own"
    )
    parser.add_argument("--varied", action="store_true", help="sets as people log them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GLUTECOACH_HOME"] = tmp
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        last, counts = generate(url, args.camera, args.varied)
        print(f"history: {counts}{', every set with its own camera form' if args.camera else ''}")
        store = open_database(url)
        noon = dt.datetime.combine(last, dt.time(12))
        coach = Coach(store, load_catalog(), now=lambda: noon, cache=HistoryCache())
        freeze_long_lived()  # as the web app does once it has started
        first = cpu_ms(lambda: snapshot.dashboard(coach, last))
        snapshot.progress(coach, last)
        session_id = coach.open_session(last)
        results: dict[str, list[float]] = {"trivial: read the settings": [], "dashboard": []}
        results["progress page"] = []
        for i in range(args.writes):
            for view, build in (
                ("dashboard", snapshot.dashboard),
                ("progress page", snapshot.progress),
            ):
                log = SetLog(exercise_id="glute_bridge", set_index=i % 20 + 1, reps=12, pain=1)
                coach.log_set(session_id, log)
                results[view].append(cpu_ms(lambda b=build: b(coach, last)))  # type: ignore[misc]
            results["trivial: read the settings"].append(cpu_ms(coach.settings))
        store.close()
    base = stats(results["trivial: read the settings"])
    print(f"{'CPU ms per view, right after a write':40} {'median':>8} {'p95':>8} {'x trivial':>12}")
    for name, samples in results.items():
        median, p95 = stats(samples)
        print(f"{name:40} {median:8.2f} {p95:8.2f} {median / base[0]:7.1f} / {p95 / base[1]:.1f}")
    print(f"first dashboard, empty cache (a server's first page): {first:.0f} CPU ms")


if __name__ == "__main__":
    main()
