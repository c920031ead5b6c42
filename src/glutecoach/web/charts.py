"""Chart series for the progress page that stay readable from the first week to three years.

For each range (4 weeks, 3 months, 1 year, all) the points are grouped into days, weeks or
months so a chart never carries more than a few dozen bars or points per line; exercises
carry their human names; holds are charted in seconds, reps in reps, load in the person's
units, each on its own chart. Presentation only: the numbers come from the core's summary
and the history as logged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from statistics import fmean
from typing import Any

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import History
from glutecoach.core.progress import ProgressSummary
from glutecoach.presentation import LB_PER_KG

RANGES: dict[str, tuple[str, int | None]] = {
    "4w": ("4 weeks", 28),
    "3m": ("3 months", 91),
    "1y": ("1 year", 365),
    "all": ("All", None),
}
DEFAULT_RANGE = "3m"
BUCKET_WORDS = {"day": "per day", "week": "weekly average", "month": "monthly average"}
REGION_NAMES = {
    "low_back": "Low back",
    "hip": "Hip",
    "knee": "Knee",
    "ankle": "Ankle",
    "session": "During sessions (worst set)",
}
MONTHLY_AFTER_DAYS = 400


def bucket_size(range_key: str, span_days: int) -> str:
    """Days for short ranges, weeks for a year, months beyond that."""
    if range_key in ("4w", "3m"):
        return "day"
    if range_key == "1y" or span_days <= MONTHLY_AFTER_DAYS:
        return "week"
    return "month"


def bucket_of(day: dt.date, size: str) -> dt.date:
    if size == "week":
        return day - dt.timedelta(days=day.weekday())
    if size == "month":
        return day.replace(day=1)
    return day


def _mean_series(
    points: Iterable[tuple[dt.date, float]], size: str
) -> tuple[list[str], list[float]]:
    groups: dict[dt.date, list[float]] = defaultdict(list)
    for day, value in points:
        groups[bucket_of(day, size)].append(value)
    days = sorted(groups)
    return [d.isoformat() for d in days], [round(fmean(groups[d]), 1) for d in days]


def _trace(xs: list[str], ys: Sequence[float], name: str, **extra: Any) -> dict[str, Any]:
    return {"x": xs, "y": ys, "name": name, **extra}


def pain_traces(summary: ProgressSummary, start: dt.date | None, size: str) -> list[dict[str, Any]]:
    by_region: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
    for p in summary.pain:
        if start is None or p.day >= start:
            key = p.region.value if p.region is not None else "session"
            by_region[key].append((p.day, p.score))
    traces = []
    for key, points in sorted(by_region.items()):
        xs, ys = _mean_series(points, size)
        traces.append(
            _trace(xs, ys, REGION_NAMES.get(key, key), type="scatter", mode="lines+markers")
        )
    return traces


def adherence_traces(
    summary: ProgressSummary, start: dt.date | None, size: str
) -> list[dict[str, Any]]:
    """Sessions planned and done, summed per week (per month over long ranges); a session
    counts as done by the share of its prescribed sets that were done."""
    group = "week" if size == "day" else "month"
    planned: dict[dt.date, int] = defaultdict(int)
    done: dict[dt.date, float] = defaultdict(float)
    for week in summary.adherence:
        if start is None or week.week_start >= bucket_of(start, "week"):
            key = bucket_of(week.week_start, group)
            planned[key] += week.planned
            done[key] += week.done
    keys = sorted(planned)
    xs = [k.isoformat() for k in keys]
    return [
        _trace(xs, [planned[k] for k in keys], "Planned", type="bar"),
        _trace(xs, [round(done[k], 2) for k in keys], "Done (by sets)", type="bar"),
    ]


Daily = dict[str, dict[str, dict[dt.date, list[float]]]]  # kind -> exercise -> day -> values


def daily_exercise_values(history: History, units: str) -> Daily:
    """One pass over every logged set: per kind (load, reps, holds), exercise and day, the
    values of that day's sets. Holds are seconds held; a set with reps counts its reps."""
    factor = LB_PER_KG if units == "lb" else 1.0
    daily: Daily = {"load": {}, "reps": {}, "holds": {}}
    for session in history.sessions:
        if not session.completed:
            continue
        day = session.performed_on
        for s in session.sets:
            if s.reps:
                daily["reps"].setdefault(s.exercise_id, {}).setdefault(day, []).append(s.reps)
            elif s.hold_seconds:
                held = daily["holds"].setdefault(s.exercise_id, {})
                held.setdefault(day, []).append(s.hold_seconds)
            if s.load_kg:
                loads = daily["load"].setdefault(s.exercise_id, {})
                loads.setdefault(day, []).append(s.load_kg * factor)
    return daily


def exercise_traces(
    daily: Daily, catalog: Catalog, start: dt.date | None, size: str
) -> dict[str, list[dict[str, Any]]]:
    """Per exercise, by its name: load (when any), reps per set, or seconds held per set."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, by_exercise in daily.items():
        traces = []
        for exercise_id, days in sorted(by_exercise.items()):
            groups: dict[dt.date, list[float]] = defaultdict(list)
            for day, values in days.items():
                if start is None or day >= start:
                    groups[bucket_of(day, size)].extend(values)
            if not groups:
                continue
            keys = sorted(groups)
            exercise = catalog.exercises.get(exercise_id)
            name = exercise.name if exercise else exercise_id.replace("_", " ")
            xs = [k.isoformat() for k in keys]
            ys = [round(fmean(groups[k]), 1) for k in keys]
            traces.append(_trace(xs, ys, name, type="scatter", mode="lines+markers"))
        out[kind] = traces
    return out


def timeline_traces(summary: ProgressSummary, start: dt.date | None) -> list[dict[str, Any]]:
    names = {"advance": "Progressed", "hold": "Held steady", "regress": "Eased off"}
    names["stop_and_refer"] = "Stopped: see a clinician"
    by_kind: dict[str, tuple[list[str], list[int], list[str]]] = defaultdict(lambda: ([], [], []))
    for entry in summary.timeline:
        if start is None or entry.day >= start:
            xs, ys, texts = by_kind[entry.kind.value]
            xs.append(entry.day.isoformat())
            ys.append(int(entry.phase))
            texts.append(entry.summary[:120])
    return [
        _trace(xs, ys, names.get(kind, kind), type="scatter", mode="markers", text=texts)
        for kind, (xs, ys, texts) in sorted(by_kind.items())
    ]


def progress_ranges(
    summary: ProgressSummary, history: History, catalog: Catalog, units: str, today: dt.date
) -> dict[str, Any]:
    """Every chart for every range, grouped to a readable number of points."""
    first = min((s.performed_on for s in history.sessions), default=today)
    daily = daily_exercise_values(history, units)
    out: dict[str, Any] = {"default": DEFAULT_RANGE, "units": units, "ranges": {}}
    for key, (label, days) in RANGES.items():
        start = today - dt.timedelta(days=days - 1) if days else None
        span = (today - (start or first)).days
        size = bucket_size(key, span)
        out["ranges"][key] = {
            "label": label,
            "bucket": BUCKET_WORDS[size],
            "pain": pain_traces(summary, start, size),
            "adherence": adherence_traces(summary, start, size),
            **exercise_traces(daily, catalog, start, size),
            "timeline": timeline_traces(summary, start),
        }
    return out
