"""What durability and the busy notice cost a logged set (a script, not a test).

    .venv/bin/python benchmarks/bench_store.py [--sets N] [--dir DIR]

Logs N sets, each its own transaction through ``Coach.log_set`` (as the guided session and the
web app do), into a fresh SQLite database in DIR (default: a temp folder; point it at the disk
the data folder lives on, since fsync cost depends on it), three ways in the same run:

* baseline: ``synchronous=NORMAL`` (the old setting), no wait notice;
* ``synchronous=FULL`` (the current setting), no wait notice (the web app);
* ``synchronous=FULL`` with the CLI's wait notice (a timer per transaction).

The three are interleaved set by set. Prints the median and p95 per set and the ratio
against the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import ScreeningAnswers, SetLog
from glutecoach.services import Coach
from glutecoach.store.db import Store, open_store

ANSWERS = ScreeningAnswers.model_validate(
    {"sitting_hours_per_day": 8, "longest_sitting_minutes": 90, "activity_level": "light"}
)
DAY = dt.date(2026, 1, 5)


def _normal(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def open_variant(path: Path, *, full: bool, notice: bool) -> Store:
    store = open_store(f"sqlite:///{path}", on_wait=(lambda: None) if notice else None)
    if not full:
        event.listen(store.engine, "connect", _normal)
        store.engine.dispose()
    return store


def interleaved(stores: dict[str, Store], n: int) -> dict[str, list[float]]:
    """One set into each store in turn, so every variant sees the same disk conditions."""
    coaches = {name: Coach(store, load_catalog()) for name, store in stores.items()}
    sessions = {}
    for name, coach in coaches.items():
        coach.screen(ANSWERS, DAY)
        sessions[name] = coach.open_session(DAY)
    samples: dict[str, list[float]] = {name: [] for name in stores}
    for index in range(n):
        log = SetLog(exercise_id="glute_bridge", set_index=index % 20 + 1, reps=10, pain=1)
        for name, coach in coaches.items():
            start = time.perf_counter()
            coach.log_set(sessions[name], log)
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        runs = {
            "NORMAL (old; baseline)": dict(full=False, notice=False),
            "FULL (web app)": dict(full=True, notice=False),
            "FULL + wait notice (CLI)": dict(full=True, notice=True),
        }
        stores = {
            name: open_variant(Path(folder) / f"{i}.db", **options)
            for i, (name, options) in enumerate(runs.items())
        }
        try:
            results = interleaved(stores, args.sets)
        finally:
            for store in stores.values():
                store.close()
    base = statistics.median(results["NORMAL (old; baseline)"])
    print(f"{args.sets} sets, one transaction each, in {args.dir or tempfile.gettempdir()}")
    print(f"{'setting':32} {'median ms':>10} {'p95 ms':>8} {'ratio (median)':>15}")
    for name, samples in results.items():
        median = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20)[-1]
        print(f"{name:32} {median:10.2f} {p95:8.2f} {median / base:15.2f}")


if __name__ == "__main__":
    main()
