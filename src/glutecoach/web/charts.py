"""Chart series for the progress page that stay readable from the first week to three years.

For each range (4 weeks, 3 months, 1 year, all) the points are grouped into days, weeks or
months so a chart never carries more than a few dozen bars or points per line; exercises
carry their human names; holds are charted in seconds, reps in reps, load in the person's
units, each on its own chart. Presentation only: the numbers come from the core's summary
and the charts' running sums per bucket (:mod:`glutecoach.chart_series`, grown with the
history behind the services), so a view after a write reads a few dozen buckets, not every set.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from glutecoach.chart_series import ChartSeries, bucket_of
from glutecoach.core.catalog import Catalog
from glutecoach.core.progress import ProgressSummary
from glutecoach.presentation import LB_PER_KG, loads_in_units

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
EXERCISE_CHARTS = ("load", "reps", "holds")


def bucket_size(range_key: str, span_days: int) -> str:
    """Days for short ranges, weeks for a year, months beyond that."""
    if range_key in ("4w", "3m"):
        return "day"
    if range_key == "1y" or span_days <= MONTHLY_AFTER_DAYS:
        return "week"
    return "month"


def _trace(xs: list[str], ys: Sequence[float], name: str, **extra: Any) -> dict[str, Any]:
    return {"x": xs, "y": ys, "name": name, **extra}


def _mean_trace(
    points: tuple[list[str], list[float]], name: str, factor: float = 1.0
) -> dict[str, Any]:
    xs, means = points
    ys = [round(mean * factor, 1) for mean in means]
    return _trace(xs, ys, name, type="scatter", mode="lines+markers")


def pain_traces(series: ChartSeries, first: dt.date | None, size: str) -> list[dict[str, Any]]:
    """Pain per region (and the worst set of each session), as bucket means."""
    traces = []
    for region in series.keys("pain"):
        points = series.points(("pain", region), size, first)
        if points[0]:
            traces.append(_mean_trace(points, REGION_NAMES.get(region, region)))
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


def exercise_traces(
    series: ChartSeries, catalog: Catalog, units: str, first: dt.date | None, size: str
) -> dict[str, list[dict[str, Any]]]:
    """Per exercise, by its name: load (in the person's units), reps per set, or seconds held
    per set; each chart's buckets are the means of that bucket's sets."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in EXERCISE_CHARTS:
        factor = LB_PER_KG if kind == "load" and units == "lb" else 1.0
        traces = []
        for exercise_id in series.keys(kind):
            points = series.points((kind, exercise_id), size, first)
            if not points[0]:
                continue
            exercise = catalog.exercises.get(exercise_id)
            name = exercise.name if exercise else exercise_id.replace("_", " ")
            traces.append(_mean_trace(points, name, factor))
        out[kind] = traces
    return out


TIMELINE_NAMES = {
    "advance": "Progressed",
    "hold": "Held steady",
    "regress": "Eased off",
    "stop_and_refer": "Stopped: see a clinician",
}
Marks = dict[str, tuple[list[dt.date], list[int], list[str]]]  # kind -> days, phases, texts


def timeline_marks(summary: ProgressSummary, units: str = "kg") -> Marks:
    """One pass over the decisions: per kind, the days, phases and summaries (loads in the
    person's ``units``)."""
    by_kind: Marks = defaultdict(lambda: ([], [], []))
    for entry in summary.timeline:
        days, phases, texts = by_kind[entry.kind.value]
        days.append(entry.day)
        phases.append(int(entry.phase))
        texts.append(loads_in_units(entry.summary, units)[:120])
    return by_kind


def timeline_traces(marks: Marks, start: dt.date | None) -> list[dict[str, Any]]:
    """The decisions from ``start`` on, one trace per kind."""
    traces = []
    for kind, (days, phases, texts) in sorted(marks.items()):
        picked: Sequence[int]
        if start is None:
            picked = range(len(days))
        elif all(a <= b for a, b in pairwise(days)):
            picked = range(bisect_left(days, start), len(days))
        else:  # decisions out of day order (never written so, but read as stored)
            picked = [i for i, day in enumerate(days) if day >= start]
        if not picked:
            continue
        xs = [days[i].isoformat() for i in picked]
        ys = [phases[i] for i in picked]
        text = [texts[i] for i in picked]
        name = TIMELINE_NAMES.get(kind, kind)
        traces.append(_trace(xs, ys, name, type="scatter", mode="markers", text=text))
    return traces


def progress_ranges(
    summary: ProgressSummary, series: ChartSeries, catalog: Catalog, units: str, today: dt.date
) -> dict[str, Any]:
    """Every chart for every range, grouped to a readable number of points. A range starts at
    the first whole bucket (day, Monday, 1st of the month) that its days reach."""
    out: dict[str, Any] = {"default": DEFAULT_RANGE, "units": units, "ranges": {}}
    marks = timeline_marks(summary, units)
    for key, (label, days) in RANGES.items():
        start = today - dt.timedelta(days=days - 1) if days else None
        span = (today - (start or series.first_session or today)).days
        size = bucket_size(key, span)
        first = bucket_of(start, size) if start is not None else None
        out["ranges"][key] = {
            "label": label,
            "bucket": BUCKET_WORDS[size],
            "pain": pain_traces(series, first, size),
            "adherence": adherence_traces(summary, start, size),
            **exercise_traces(series, catalog, units, first, size),
            "timeline": timeline_traces(marks, start),
        }
    return out
