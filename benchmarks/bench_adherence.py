"""Adherence by sets against history length (a script, not a test).

    .venv/bin/python benchmarks/bench_adherence.py [--years N] [--repeat N]

Replays a person who trains daily (``--years`` years, the engine's own replay) and times:
counting the finished sessions per week (what adherence was before it was counted by sets:
the baseline of the same run), the sessions done by sets worked out whole
(``core.progress.done_per_week``), and the progress ledger's summary once warm (what a
progress page or the dashboard pays after a write). Ratios are against the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import History
from glutecoach.core.progress import done_per_week
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.progress_ledger import ProgressLedger

START = dt.date(2023, 1, 2)
EVERY_DAY = list(range(7))


def history_of(years: int) -> tuple[History, dt.date]:
    days = 365 * years
    script = SimulationScript.model_validate(
        {
            "start": START.isoformat(),
            "screening": {
                "pain": {"low_back": {"score": 3}},
                "sitting_hours_per_day": 9,
                "longest_sitting_minutes": 120,
                "activity_level": "light",
                "equipment": ["band", "dumbbells", "step"],
            },
            "events": [
                {
                    "type": "follow_plan",
                    "day": (START + dt.timedelta(days=365 * year)).isoformat(),
                    "days": 365,
                    "session_days": EVERY_DAY,
                }
                for year in range(years)
            ],
        }
    )
    return simulate(script, load_catalog()).history, START + dt.timedelta(days=days - 1)


def counted_per_week(history: History) -> Counter[dt.date]:
    """The old count: finished sessions with sets, per week."""
    return Counter(
        s.performed_on - dt.timedelta(days=s.performed_on.weekday())
        for s in history.sessions
        if s.completed and s.sets
    )


def best_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    catalog = load_catalog()
    history, today = history_of(args.years)
    ledger = ProgressLedger()
    ledger.summarize(history, catalog, EVERY_DAY, today)
    rows = {
        "count finished sessions (baseline)": best_ms(
            lambda: counted_per_week(history), args.repeat
        ),
        "done by sets, whole": best_ms(lambda: done_per_week(history, catalog), args.repeat),
        "ledger summary, warm": best_ms(
            lambda: ledger.summarize(history, catalog, EVERY_DAY, today), args.repeat
        ),
    }
    print(f"{len(history.sessions)} sessions, {len(history.decisions)} decisions")
    base = rows["count finished sessions (baseline)"]
    print(f"{'':40} {'best ms':>9} {'ratio':>8}")
    for name, ms in rows.items():
        print(f"{name:40} {ms:9.2f} {ms / base:8.1f}")


if __name__ == "__main__":
    main()
