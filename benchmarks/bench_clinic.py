"""Form review throughput on the Celery worker pool (a script, not a test).

Run: .venv/bin/python benchmarks/bench_clinic.py [--clips 12] [--frames 45]

Starts its own PostgreSQL server and redis-server, makes tiny real-pixel clips (scikit-image's
astronaut sliding across a 320x240 picture; the real pose model runs on every frame), then
measures clips per minute, all in the same run:

* baseline: ``glutecoach vision analyze CLIPS --jobs 1`` (one process), and ``--jobs 2``;
* the worker pool: 1 worker, then 2 workers (one process each, prefetch 1, late ack), timed
  from the first submission until every review is stored in PostgreSQL (workers already
  started and warmed up by one clip each, as they are in a running clinic).

The pool's figures are printed as ratios to the single-process baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("GLOG_minloglevel", "2")

from tests.clinic.workers import (  # noqa: E402
    free_port,
    kill_group,
    make_clips,
    redis_server,
    start_worker,
)

EXERCISE = "bodyweight_squat"


@contextmanager
def postgres(folder: Path) -> Any:
    from pytest_postgresql.executors import PostgreSQLExecutor
    from pytest_postgresql.janitor import DatabaseJanitor

    port = free_port()
    executor = PostgreSQLExecutor(
        executable=str(REPO / "tests" / "pg_ctl_as_postgres.sh"),
        host="127.0.0.1",
        port=port,
        datadir=str(folder / "data"),
        unixsocketdir=str(folder),
        logfile=str(folder / "pg.log"),
        startparams="-w",
        dbname="bench",
    )
    executor.start()
    try:
        janitor = DatabaseJanitor(user="postgres", host="127.0.0.1", port=port, dbname="bench")
        janitor.init()
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench"
    finally:
        executor.stop()


def cli_minutes(clips: list[Path], jobs: int) -> float:
    glutecoach = str(Path(sys.executable).parent / "glutecoach")
    command = [glutecoach, "vision", "analyze", *map(str, clips)]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--exercise", EXERCISE, "--json", "--jobs", str(jobs)],
        check=False,
        capture_output=True,
    )
    if done.returncode not in (0, 3):  # 3: analysed, the camera view advice printed
        raise SystemExit(f"vision analyze failed: {done.stderr.decode()[-500:]}")
    return (time.perf_counter() - start) / 60


def pool_minutes(url: str, broker: str, clips: list[Path], workers: int, tmp: Path) -> float:
    from sqlalchemy import func, select

    from glutecoach.clinic import reviews
    from glutecoach.clinic.worker import BROKER_ENV, VISIBILITY_ENV, submit
    from glutecoach.store.clinic_tables import ClinicReviewRow
    from glutecoach.store.db import open_store
    from glutecoach.store.repository import ensure_person

    os.environ[BROKER_ENV] = broker
    env = {
        "GLUTECOACH_DATABASE_URL": url,
        "GLUTECOACH_BROKER_URL": broker,
        VISIBILITY_ENV: "600",
        "GLUTECOACH_HOME": str(tmp / "home"),
    }
    store = open_store(url)
    now = dt.datetime(2026, 3, 2)

    def queue(batch: list[Path]) -> list[int]:
        with store.transaction() as db:
            pid = ensure_person(db, "bench", now=now)
            return [reviews.create_review(db, pid, EXERCISE, c, now) for c in batch]

    def wait(ids: list[int]) -> None:
        while True:
            with store.transaction() as db:
                done = db.scalar(
                    select(func.count()).where(
                        ClinicReviewRow.id.in_(ids), ClinicReviewRow.status == reviews.DONE
                    )
                )
            if done == len(ids):
                return
            time.sleep(0.05)

    procs = [start_worker(f"b{n}", env, tmp / f"b{n}.log") for n in range(workers)]
    try:
        warm = queue(clips[:workers])
        for review_id in warm:
            submit(review_id)
        wait(warm)
        ids = queue(clips)
        start = time.perf_counter()
        for review_id in ids:
            submit(review_id)
        wait(ids)
        return (time.perf_counter() - start) / 60
    finally:
        for proc in procs:
            kill_group(proc)
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--frames", type=int, default=45)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-clinic-") as folder:
        tmp = Path(folder)
        (tmp / "clips").mkdir()
        (tmp / "pg").mkdir()
        clips = make_clips(tmp / "clips", args.clips, args.frames)
        print(f"{args.clips} clips x {args.frames} frames (320x240), {os.cpu_count()} cores")
        per_min: dict[str, float] = {}
        for jobs in (1, 2):
            per_min[f"vision analyze --jobs {jobs}"] = args.clips / cli_minutes(clips, jobs)
        with postgres(tmp / "pg") as url, redis_server(tmp) as broker:
            for workers in (1, 2):
                minutes = pool_minutes(url, broker, clips, workers, tmp)
                per_min[f"celery pool, {workers} worker(s)"] = args.clips / minutes
        base = per_min["vision analyze --jobs 1"]
        for name, rate in per_min.items():
            print(f"{name:32s} {rate:7.1f} clips/min  ({rate / base:4.2f}x the single process)")


if __name__ == "__main__":
    main()
