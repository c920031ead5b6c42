"""The progress page's chart traces (pain, adherence, load, timeline), and their JSON grown
with the summary instead of rebuilt after every logged set.

Each long chart is a :class:`Chart`: how one point of the summary becomes one row of a trace
(its key and its column values), and how a trace is drawn from its columns. :func:`charts`
builds the traces whole; :class:`GrowingChartJson` keeps, per trace and column, the JSON text
of the points of every day before the latest one, so that after a write only the latest day's
points are encoded. Both give the same JSON (tested).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import is_
from typing import Any

from glutecoach.core.progress import LoadPoint, PainPoint, ProgressSummary, TimelineEntry
from glutecoach.web.views import LB_PER_KG, REGION_LABELS

SESSION_PAIN = "During sessions (worst set)"


class Column:
    """A trace's column of values: the values themselves, or (growing) a placeholder."""

    def __init__(self, values: list[Any], any_true: bool, token: str | None = None) -> None:
        self.values = values
        self.any_true = any_true  # whether any value is truthy (a load line needs a load)
        self.token = token


def _series(x: Any, y: Any, name: str, **extra: Any) -> dict[str, Any]:
    return {"x": x, "y": y, "name": name, **extra}


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Chart:
    """One chart drawn from a list of the summary's points."""

    points: Callable[[ProgressSummary], Sequence[Any]]
    row: Callable[[Any], tuple[str, tuple[Any, ...]]]  # point -> (trace key, column values)
    width: int  # columns per row
    traces: Callable[[str, list[Column]], list[dict[str, Any]]]
    settle_by_day: bool = True  # False: points never change once there (decisions)


def _pain_row(point: PainPoint) -> tuple[str, tuple[Any, ...]]:
    key = point.region.value if point.region is not None else "session"
    return key, (point.day.isoformat(), point.score)


def _pain_traces(key: str, cols: list[Column]) -> list[dict[str, Any]]:
    name = {**REGION_LABELS, "session": SESSION_PAIN}.get(key, key)
    return [_series(cols[0], cols[1], name, mode="lines+markers", type="scatter")]


def _load_row(factor: float) -> Callable[[LoadPoint], tuple[str, tuple[Any, ...]]]:
    def row(point: LoadPoint) -> tuple[str, tuple[Any, ...]]:
        return point.exercise_id, (
            point.day.isoformat(),
            round(point.load_kg * factor, 1),
            point.reps,
        )

    return row


def _load_traces(exercise_id: str, cols: list[Column]) -> list[dict[str, Any]]:
    x, loads, reps = cols
    traces = []
    if loads.any_true:  # bodyweight-only exercises have no load line
        traces.append(
            _series(x, loads, f"{exercise_id} load", type="scatter", mode="lines+markers")
        )
    traces.append(
        _series(x, reps, f"{exercise_id} reps", type="scatter", mode="lines+markers", yaxis="y2")
    )
    return traces


def _timeline_row(entry: TimelineEntry) -> tuple[str, tuple[Any, ...]]:
    first = entry.reasons[0] if entry.reasons else ""
    text = _short(entry.summary) + "<br>" + _short(first)
    return entry.kind.value, (entry.day.isoformat(), int(entry.phase), text)


def _timeline_traces(kind: str, cols: list[Column]) -> list[dict[str, Any]]:
    x, y, text = cols
    return [_series(x, y, kind, type="scatter", mode="markers", text=text, hoverinfo="x+text")]


def long_charts(units: str) -> dict[str, Chart]:
    factor = LB_PER_KG if units == "lb" else 1.0
    return {
        "pain": Chart(lambda s: s.pain, _pain_row, 2, _pain_traces),
        "load": Chart(lambda s: s.loads, _load_row(factor), 3, _load_traces),
        "timeline": Chart(
            lambda s: s.timeline, _timeline_row, 3, _timeline_traces, settle_by_day=False
        ),
    }


def adherence_chart(summary: ProgressSummary) -> list[dict[str, Any]]:
    weeks = [w.week_start.isoformat() for w in summary.adherence]
    return [
        _series(weeks, [w.planned for w in summary.adherence], "Planned", type="bar"),
        _series(weeks, [w.done for w in summary.adherence], "Done", type="bar"),
    ]


def _columns(chart: Chart, points: Sequence[Any]) -> dict[str, list[list[Any]]]:
    by_key: dict[str, list[list[Any]]] = {}
    for point in points:
        key, values = chart.row(point)
        cols = by_key.get(key)
        if cols is None:
            cols = by_key[key] = [[] for _ in range(chart.width)]
        for col, value in zip(cols, values, strict=True):
            col.append(value)
    return by_key


def charts(summary: ProgressSummary, units: str) -> dict[str, list[dict[str, Any]]]:
    """Every chart's traces except the desk coach's (that data changes on its own clock)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, chart in long_charts(units).items():
        traces: list[dict[str, Any]] = []
        for key, cols in sorted(_columns(chart, chart.points(summary)).items()):
            columns = [Column(values, any(values)) for values in cols]
            traces.extend(_plain(t) for t in chart.traces(key, columns))
        out[name] = traces
        if name == "pain":
            out["adherence"] = adherence_chart(summary)
    return out


def _plain(trace: dict[str, Any]) -> dict[str, Any]:
    return {k: v.values if isinstance(v, Column) else v for k, v in trace.items()}


def dumps(value: object) -> str:
    """Compact JSON, safe to put inside a <script> element."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def _items(values: list[Any]) -> str:
    """The JSON of these values without the brackets, safe inside a <script> element."""
    return dumps(values)[1:-1]


class _Grown:
    """One chart's settled points and, per trace key and column, their JSON text."""

    def __init__(self) -> None:
        self.points: tuple[Any, ...] = ()
        self.text: dict[str, list[str]] = {}
        self.any_true: dict[str, list[bool]] = {}

    def extend(self, chart: Chart, points: Sequence[Any]) -> None:
        for key, cols in _columns(chart, points).items():
            texts = self.text.setdefault(key, [""] * chart.width)
            flags = self.any_true.setdefault(key, [False] * chart.width)
            for i, values in enumerate(cols):
                encoded = _items(values)
                texts[i] = f"{texts[i]},{encoded}" if texts[i] else encoded
                flags[i] = flags[i] or any(values)
        self.points += tuple(points)


class GrowingChartJson:
    """``dumps(charts(summary, units))``, encoding only the points added since the last call
    (and those of the latest day, which may still change)."""

    def __init__(self, units: str) -> None:
        self.units = units
        self._charts = long_charts(units)
        self._grown = {name: _Grown() for name in self._charts}
        self._token = uuid.uuid4().hex
        self._lock = threading.Lock()

    def json(self, summary: ProgressSummary) -> str:
        with self._lock:
            parts = []
            for name, chart in self._charts.items():
                parts.append(f"{json.dumps(name)}:{self._chart_json(chart, name, summary)}")
                if name == "pain":
                    parts.append(f'"adherence":{dumps(adherence_chart(summary))}')
            return "{" + ",".join(parts) + "}"

    def _chart_json(self, chart: Chart, name: str, summary: ProgressSummary) -> str:
        points = chart.points(summary)
        grown = self._grown[name]
        settled = grown.points
        if len(points) < len(settled) or not all(map(is_, points[: len(settled)], settled)):
            grown = self._grown[name] = _Grown()
        fresh = points[len(grown.points) :]
        if chart.settle_by_day and fresh:
            latest = fresh[-1].day
            grown.extend(chart, [p for p in fresh if p.day < latest])
        elif fresh:
            grown.extend(chart, fresh)
        rest = _columns(chart, points[len(grown.points) :])
        traces = []
        for key in sorted(set(grown.text) | set(rest)):
            traces.extend(self._traces(chart, grown, key, rest.get(key)))
        return "[" + ",".join(traces) + "]"

    def _traces(
        self, chart: Chart, grown: _Grown, key: str, rest: list[list[Any]] | None
    ) -> list[str]:
        texts = grown.text.get(key, [""] * chart.width)
        flags = grown.any_true.get(key, [False] * chart.width)
        columns, filled = [], {}
        for i in range(chart.width):
            values = rest[i] if rest is not None else []
            token = f"{self._token}:{i}"
            encoded = _items(values)
            joined = ",".join(t for t in (texts[i], encoded) if t)
            filled[json.dumps(token)] = "[" + joined + "]"
            columns.append(Column(values, flags[i] or any(values), token))
        out = []
        for trace in chart.traces(key, columns):
            text = dumps({k: v.token if isinstance(v, Column) else v for k, v in trace.items()})
            for token, array in filled.items():
                text = text.replace(token, array)
            out.append(text)
        return out
