"""Engine decision time against history length (a script, not a test).

    .venv/bin/python benchmarks/bench_engine.py [--years N] [--repeat N]

Replays a person who trains three times a week (with two breaks and check-ins) through the
engine for ``--years`` years, then times ``decide()`` on the whole history and on its first
month. The ratio (whole / first month) shows how the engine scales with history length; the
baseline in the same run is the one-month decision. The replay time is printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import History
from glutecoach.core.progression import decide
from glutecoach.core.simulate import SimulationScript, simulate

START = dt.date(2026, 1, 5)


def script(years: int) -> SimulationScript:
    events: list[dict[str, object]] = [
        {
            "type": "follow_plan",
            "day": (START + dt.timedelta(days=365 * year)).isoformat(),
            "days": 365,
            "rpe": 6,
            "pain": 1,
            "morning_pain": 1,
        }
        for year in range(years)
    ]
    events += [
        {"type": "time_off", "day": (START + dt.timedelta(days=120)).isoformat(), "days": 25},
        {"type": "time_off", "day": (START + dt.timedelta(days=400)).isoformat(), "days": 60},
    ]
    return SimulationScript.model_validate(
        {
            "start": START.isoformat(),
            "screening": {
                "pain": {"low_back": {"score": 3, "onset_weeks": 100}},
                "sitting_hours_per_day": 9,
                "longest_sitting_minutes": 120,
                "activity_level": "light",
                "equipment": ["band", "dumbbells", "step"],
                "owned": {"dumbbell_pairs_kg": [2, 4, 6, 8, 10, 12], "bands": ["light", "medium"]},
                "self_tests": {
                    "single_leg_bridge_reps_left": 14,
                    "single_leg_bridge_reps_right": 15,
                    "single_leg_stance_pelvic_drop": False,
                    "single_leg_stance_pain": False,
                },
            },
            "events": events,
        }
    )


def time_decide(history: History, day: dt.date, repeat: int) -> float:
    catalog = load_catalog()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        decide(history, catalog, day)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def month_of(history: History) -> tuple[History, dt.date]:
    cut = START + dt.timedelta(days=30)
    return (
        history.model_copy(
            update={
                "sessions": tuple(s for s in history.sessions if s.performed_on <= cut),
                "checkins": tuple(c for c in history.checkins if c.day <= cut),
                "decisions": tuple(d for d in history.decisions if d.day <= cut),
            }
        ),
        cut,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    began = time.perf_counter()
    result = simulate(script(args.years), load_catalog())
    replay = time.perf_counter() - began
    history = result.history
    last = max(s.performed_on for s in history.sessions)
    whole = time_decide(history, last, args.repeat)
    month, cut = month_of(history)
    baseline = time_decide(month, cut, args.repeat)
    print(
        f"replay: {len(history.sessions)} sessions, {len(history.decisions)} decisions "
        f"in {replay:.1f} s ({1000 * replay / max(1, len(result.steps)):.1f} ms a step)"
    )
    print(f"decide(), first month (baseline): {baseline:8.2f} ms")
    print(
        f"decide(), {args.years} years:              {whole:8.2f} ms  "
        f"(ratio {whole / baseline:.1f})"
    )


if __name__ == "__main__":
    main()
