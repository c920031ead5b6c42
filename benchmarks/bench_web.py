"""Web app latency with three years of history (a script, not a test).

    .venv/bin/python benchmarks/bench_web.py [--requests N] [--starts N] [--camera] [--varied]

Generates ~1,100 sessions / ~33,000 sets / ~1,100 decisions (the engine's own replay of a
person who trains daily), plus daily check-ins and four weeks of desk-coach data, straight
into a fresh SQLite database; starts the real app with uvicorn in a subprocess; and times,
over HTTP with keep-alive: the trivial endpoint (/api/health), the dashboard (/), the progress
page (warm, and cold right after a write), and logging a set (latency and requests/second,
one client and four concurrent clients); the first page after a server start (fresh server
processes, first request once the port is open) and the progress page after it, at once and
1 s later (it needs the whole history, which the first page leaves to a background read);
``--camera`` gives every set a camera form summary of its own (no two set rows alike, the
worst case for reading a history); and the static assets (bytes sent with gzip,
versioned URL's Cache-Control, a revalidation by ETag). Ratios are against the trivial endpoint
of the same run.

Goals: warm progress page p95 < 50 ms; first view after a write p95 < 20 ms; first page after
a start < 300 ms; static assets compressed and cached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import (
    CheckIn,
    FeltIn,
    FormSummary,
    Region,
    ScreeningAnswers,
    SessionLog,
)
from glutecoach.core.screening import screen
from glutecoach.core.sedentary import BoutEnded, BreakTaken, Cause
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.store import desk_repo
from glutecoach.store import repository as repo
from glutecoach.store.db import open_store

START = dt.date(2023, 1, 2)
YEARS_DAYS = 3 * 365 + 1
ANSWERS = {
    "pain": {"low_back": {"score": 3}},
    "sitting_hours_per_day": 9,
    "longest_sitting_minutes": 120,
    "activity_level": "light",
    "equipment": ["band", "dumbbells", "step"],
    "age": 38,
    "self_tests": {
        "single_leg_bridge_reps_left": 14,
        "single_leg_bridge_reps_right": 15,
        "single_leg_stance_pelvic_drop": False,
        "single_leg_stance_pain": False,
    },
}


def with_camera(session: SessionLog, seed: int) -> SessionLog:
    """The session as if every set had been done in front of the camera coach: each set
    carries a form summary of its own (no two alike), the worst case for reading a history."""
    sets = []
    for i, log in enumerate(session.sets):
        n = max(log.reps, 1)
        good = (seed * 31 + i * 7) % (n + 1)
        form = FormSummary(
            reps_observed=n,
            good_form_reps=good,
            good_form_share=good / n,
            mean_hold_seconds=1.0 + ((seed + i) % 200) / 100,
            symmetry=((seed * 13 + i) % 1000) / 1000,
            faults={"hips_drop": n - good} if n > good else {},
            baseline={"hip_extension": 160 + (seed + 3 * i) % 200 / 10, "pelvis_roll": i / 10},
        )
        sets.append(log.model_copy(update={"form": form}))
    return session.model_copy(update={"sets": tuple(sets)})


def with_variation(session: SessionLog, seed: int) -> SessionLog:
    """The session as people log it: reps, pain, effort and where it was felt vary from set
    to set (the simulated person does every set exactly as prescribed)."""
    rng = random.Random(seed)
    felt = [("glutes",), ("glutes", "hamstrings"), ("hamstrings",), ("glutes", "lower_back"), ()]
    sets = [
        log.model_copy(
            update={
                "reps": max(1, log.reps + rng.randint(-2, 2)) if log.reps else 0,
                "pain": rng.choice([0, 0, 1, 1, 2, 3]),
                "rpe": rng.choice([None, 5.0, 6.0, 6.5, 7.0, 7.5, 8.0]),
                "felt_in": tuple(FeltIn(f) for f in rng.choice(felt)),
                "felt_main": None,
            }
        )
        for log in session.sets
    ]
    return session.model_copy(update={"sets": tuple(sets)})


def generate(
    url: str, camera: bool = False, varied: bool = False
) -> tuple[dt.date, dict[str, int]]:
    """Fill the database; return the last day and what was written (``camera``: every set
    with a form summary of its own, see :func:`with_camera`; ``varied``: sets as people log
    them, see :func:`with_variation`)."""
    catalog = load_catalog()
    answers = ScreeningAnswers.model_validate(ANSWERS)
    every_day = list(range(7))
    first = 730  # the longest stretch one follow_plan event may cover
    events = [
        {"type": "follow_plan", "day": START, "days": first, "session_days": every_day},
        {
            "type": "follow_plan",
            "day": START + dt.timedelta(days=first),
            "days": YEARS_DAYS - first,
            "session_days": every_day,
        },
    ]
    script = SimulationScript.model_validate(
        {"start": START, "screening": answers.model_dump(mode="json"), "events": events}
    )
    history = simulate(script, catalog).history
    last = START + dt.timedelta(days=YEARS_DAYS - 1)
    flag_ids = [f.id for f in catalog.rules.red_flags.flags]
    store = open_store(url)
    with store.transaction() as db:
        pid = repo.ensure_person(db, now=dt.datetime.combine(START, dt.time()))
        repo.save_screening(db, pid, START, answers, screen(answers, catalog))
        repo.set_setting(db, pid, "equipment", ["band", "dumbbells", "step"])
        repo.set_setting(db, pid, "session_days", every_day)
        for seed, session in enumerate(history.sessions):
            if varied:
                session = with_variation(session, seed)
            repo.save_session(db, pid, with_camera(session, seed) if camera else session)
        for decision in history.decisions:
            repo.add_decision(db, pid, decision)
        day = START
        while day <= last:
            score = 3 if day < START + dt.timedelta(days=60) else 1
            weekly = day.weekday() == 0  # the weekly safety questions, all answered no
            flags = dict.fromkeys(flag_ids, False) if weekly else {}
            checkin = CheckIn(day=day, pain={Region.LOW_BACK: score}, red_flags=flags)
            repo.add_checkin(db, pid, checkin)
            day += dt.timedelta(days=1)
        _desk(db, pid, last)
    store.close()
    counts = {
        "sessions": len(history.sessions),
        "sets": sum(len(s.sets) for s in history.sessions),
        "decisions": len(history.decisions),
        "checkins": YEARS_DAYS,
    }
    return last, counts


def _desk(db: object, pid: int, last: dt.date) -> None:
    for offset in range(28):
        day = last - dt.timedelta(days=offset)
        at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        for bout in range(8):
            start = at + dt.timedelta(minutes=55 * bout)
            end = start + dt.timedelta(minutes=40 + bout)
            desk_repo.add_bout(
                db,  # type: ignore[arg-type]
                pid,
                BoutEnded(
                    start=start,
                    end=end,
                    seconds=(end - start).total_seconds(),
                    cause=Cause.IDLE,
                    reminders=1,
                ),
            )
            desk_repo.add_break(
                db,  # type: ignore[arg-type]
                pid,
                BreakTaken(at=end, cause=Cause.IDLE, confirmed=False),
            )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, port: int, day: str) -> None:
    import uvicorn

    from glutecoach.web.app import create_app

    today = dt.date.fromisoformat(day)
    app = create_app(url, clock=lambda: today)
    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


def _start_server(url: str, day: dt.date) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    cmd = [sys.executable, __file__, "--serve", url, str(port), day.isoformat()]
    proc = subprocess.Popen(cmd)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def timed(call: Callable[[], httpx.Response], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = call()
        out.append((time.perf_counter() - t0) * 1000)
        if response.status_code >= 400:
            raise SystemExit(f"{response.request.url} -> {response.status_code}: {response.text}")
    return out


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank
    return statistics.median(ordered), p95


def _set_body(i: int) -> dict[str, object]:
    return {
        "exercise_id": "glute_bridge",
        "set_index": i % 20 + 1,
        "reps": 12,
        "rpe": 6,
        "felt_in": ["glutes"],
        "pain": 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--starts", type=int, default=3, help="server starts to time")
    parser.add_argument(
        "--camera", action="store_true", help="every set with a camera form summary of its own"
    )
    parser.add_argument("--varied", action="store_true", help="sets as people log them")
    parser.add_argument("--serve", nargs=3, metavar=("URL", "PORT", "DAY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GLUTECOACH_HOME"] = tmp
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        t0 = time.perf_counter()
        last, counts = generate(url, args.camera, args.varied)
        camera = ", every set with its own camera form summary" if args.camera else ""
        print(f"generated {counts}{camera} in {time.perf_counter() - t0:.1f} s")
        starts = [first_page_after_start(url, last) for _ in range(args.starts)]
        later = [first_page_after_start(url, last, 1.0)[2] for _ in range(args.starts)]
        proc, base = _start_server(url, last)
        try:
            firsts, at_once = [p for _, p, _ in starts], [p for *_, p in starts]
            run(base, args.requests, firsts, at_once, later)
            launch = statistics.median(started for started, _, _ in starts)
            print(f"server start, launch to port open (median of {len(starts)}): {launch:.0f} ms")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def first_page_after_start(
    url: str, day: dt.date, pause: float = 0.0
) -> tuple[float, float, float]:
    """A fresh server process: ms from launch until the port is open, ms for its first GET /
    then, and ms for a GET /progress ``pause`` seconds after it (the whole history, which the
    first page left to a background read, is needed there)."""
    t0 = time.perf_counter()
    proc, base = _start_server(url, day)
    started = (time.perf_counter() - t0) * 1000
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            first = timed(lambda: client.get("/"), 1)[0]
            time.sleep(pause)
            return started, first, timed(lambda: client.get("/progress"), 1)[0]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def static_assets(client: httpx.Client) -> list[str]:
    """What the progress page's assets cost on the wire."""
    page = client.get("/progress").text
    lines = []
    for url in re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', page):
        with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
            sent = sum(len(chunk) for chunk in response.iter_raw())
            headers = response.headers
        plain = len(client.get(url, headers={"Accept-Encoding": "identity"}).content)
        again = client.get(url.split("?")[0], headers={"If-None-Match": headers.get("etag", "")})
        lines.append(
            f"{url.split('?')[0]:28} {plain / 1024:9.0f} KiB -> {sent / 1024:6.0f} KiB sent "
            f"({headers.get('content-encoding', 'identity')}); "
            f"cache-control: {headers.get('cache-control')}; revalidation: {again.status_code}"
        )
    return lines


def run(
    base: str, n: int, first_pages: list[float], then_progress: list[float], later: list[float]
) -> None:
    json_headers = {"Content-Type": "application/json"}
    with httpx.Client(base_url=base, timeout=60) as client:
        session_id = client.post("/api/sessions", json={}).json()["id"]
        sets = f"/api/sessions/{session_id}/sets"
        counter = iter(range(10**9))

        def log_set() -> httpx.Response:
            return client.post(sets, json=_set_body(next(counter)), headers=json_headers)

        for path in ("/api/health", "/", "/progress"):
            timed(lambda p=path: client.get(p), 5)  # warm-up
        results = {
            "trivial GET /api/health": timed(lambda: client.get("/api/health"), n),
            "dashboard GET / (warm)": timed(lambda: client.get("/"), n),
            "progress GET /progress (warm)": timed(lambda: client.get("/progress"), n),
            "log a set POST .../sets": timed(log_set, n),
        }
        cold = []
        for _ in range(max(20, n // 5)):
            log_set()
            cold += timed(lambda: client.get("/progress"), 1)
        results["progress GET /progress (cold, after a write)"] = cold
        dash_cold = []
        for _ in range(max(20, n // 5)):
            log_set()
            dash_cold += timed(lambda: client.get("/"), 1)
        results["dashboard GET / (cold, after a write)"] = dash_cold
        results["first page GET / after a server start"] = first_pages
        results["then GET /progress at once (after a start)"] = then_progress
        results["then GET /progress 1 s later (after a start)"] = later
        assets = static_assets(client)
    base_median, base_p95 = stats(results["trivial GET /api/health"])
    print(f"{'endpoint':48} {'median ms':>10} {'p95 ms':>8} {'x trivial (median/p95)':>24}")
    for name, samples in results.items():
        median, p95 = stats(samples)
        ratio = f"{median / base_median:.1f} / {p95 / base_p95:.1f}"
        print(f"{name:48} {median:10.2f} {p95:8.2f} {ratio:>24}")
    rps_trivial = throughput(base, lambda c, i: c.get("/api/health"), n)
    rps_set = throughput(
        base, lambda c, i: c.post(sets, json=_set_body(i), headers=json_headers), n
    )
    print(
        f"req/s, one client:      trivial {rps_trivial[0]:.0f}, log a set {rps_set[0]:.0f} "
        f"(ratio {rps_set[0] / rps_trivial[0]:.2f})"
    )
    print(
        f"req/s, four clients:    trivial {rps_trivial[1]:.0f}, log a set {rps_set[1]:.0f} "
        f"(ratio {rps_set[1] / rps_trivial[1]:.2f})"
    )
    print("static assets of the progress page:")
    for line in assets:
        print("  " + line)
    after_write = max(
        stats(results["progress GET /progress (cold, after a write)"])[1],
        stats(results["dashboard GET / (cold, after a write)"])[1],
    )
    first_start = statistics.median(first_pages)
    goals = [
        ("warm progress page p95 < 50 ms", stats(results["progress GET /progress (warm)"])[1], 50),
        ("first view after a write p95 < 20 ms", after_write, 20),
        ("first page after a start (median) < 300 ms", first_start, 300),
    ]
    for text, value, limit in goals:
        verdict = "met" if value < limit else "MISSED"
        print(f"goal: {text}: {value:.1f} ms ({value / base_p95:.0f} x trivial p95), {verdict}")


def throughput(
    base: str, call: Callable[[httpx.Client, int], httpx.Response], n: int
) -> tuple[float, float]:
    with httpx.Client(base_url=base, timeout=60) as client:
        t0 = time.perf_counter()
        for i in range(n):
            call(client, i)
        one = n / (time.perf_counter() - t0)

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            for i in range(n // 4):
                call(client, offset + i)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(worker, range(0, n, n // 4)))
    four = (n // 4 * 4) / (time.perf_counter() - t0)
    return one, four


if __name__ == "__main__":
    main()
