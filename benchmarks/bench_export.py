"""Hand-off export cost with three years of history (a script, not a test).

    .venv/bin/python benchmarks/bench_export.py [--repeat N]

Fills a fresh SQLite database the way bench_web.py does (~1,100 sessions, ~33,000 sets, daily
check-ins, desk data), then times each writer of the export registry (csv, ics, fhir, pdf and
the json backup) for the same person, N times each, and prints the median and its ratio to the
baseline measured in the same run: one read of the person's history through the services
(`Coach.history()`), the floor every writer pays. Output sizes are printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_web import generate
from glutecoach.catalog.loader import load_catalog
from glutecoach.export.registry import ExportRequest, writer_for, writers
from glutecoach.services import Coach
from glutecoach.store.db import open_store


def median_seconds(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        last, _ = generate(url)
        store = open_store(url)
        coach = Coach(store, load_catalog())
        now = dt.datetime.combine(last, dt.time(12))
        base, history = median_seconds(coach.history, args.repeat)
        sets = sum(len(s.sets) for s in history.sessions)  # type: ignore[attr-defined]
        print(f"history: {len(history.sessions)} sessions, {sets} sets")  # type: ignore[attr-defined]
        print(f"{'baseline: Coach.history()':32s} {base * 1000:9.1f} ms   1.0 x")
        for name in writers():
            writer = writer_for(name)
            request = ExportRequest(coach, last, now, {})
            seconds, data = median_seconds(lambda w=writer, r=request: w.write(r), args.repeat)
            size = len(data)  # type: ignore[arg-type]
            print(
                f"{'export --format ' + name:32s} {seconds * 1000:9.1f} ms "
                f"{seconds / base:5.1f} x   {size / 1024:8.0f} KiB"
            )
        store.close()


if __name__ == "__main__":
    main()
