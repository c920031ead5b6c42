"""The progress charts' numbers as running sums per day, week and month, grown with the history.

Every chart on the progress page shows means over buckets (a day, a week from Monday, a
calendar month): pain per region, and per exercise the reps per set, the seconds held per set
and the load. A :class:`SeriesTable` keeps, for every series and bucket, the sum and the count
of its values, so a range's points are read from a few dozen buckets instead of three years of
sets. Sums are exact (values in thousandths, as whole numbers), so the settled part (kept by
the progress ledger) plus the rest gives the very numbers a table built from the whole history
gives, in any order (tested). Presentation (names, units, rounding) is the web app's.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from glutecoach.core.models import History, SessionLog
from glutecoach.core.progress import PainPoint, ProgressSummary

SIZES = ("day", "week", "month")
SCALE = 1000  # values are summed in thousandths: exact, whatever the order
Key = tuple[str, str]  # (chart, series): ("pain", "low_back"), ("reps", "glute_bridge") ...


def bucket_of(day: dt.date, size: str) -> dt.date:
    """The first day of the bucket ``day`` falls in (its Monday, the 1st of its month)."""
    if size == "week":
        return day - dt.timedelta(days=day.weekday())
    if size == "month":
        return day.replace(day=1)
    return day


@dataclass
class Buckets:
    """One series at one bucket size: bucket -> [sum in thousandths, count], keys sorted."""

    sums: dict[dt.date, list[int]] = field(default_factory=dict)
    keys: list[dt.date] = field(default_factory=list)
    # every bucket's day as text and its mean, in key order; None once a sum changed
    _read: tuple[list[str], list[float]] | None = field(default=None, repr=False, compare=False)

    def add(self, bucket: dt.date, scaled: int, count: int = 1) -> None:
        self._read = None
        found = self.sums.get(bucket)
        if found is not None:
            found[0] += scaled
            found[1] += count
            return
        self.sums[bucket] = [scaled, count]
        if not self.keys or self.keys[-1] < bucket:
            self.keys.append(bucket)
        else:
            insort(self.keys, bucket)

    def since(self, first: dt.date | None) -> Sequence[dt.date]:
        return self.keys if first is None else self.keys[bisect_left(self.keys, first) :]

    def read(self, first: dt.date | None) -> tuple[list[str], list[float]]:
        """(bucket days as ISO text, means) from ``first`` on; worked out once until a sum
        changes (the settled part's change once a day, not on every logged set)."""
        if self._read is None:
            sums = self.sums
            self._read = (
                [b.isoformat() for b in self.keys],
                [sums[b][0] / sums[b][1] / SCALE for b in self.keys],
            )
        days, means = self._read
        start = 0 if first is None else bisect_left(self.keys, first)
        return days[start:], means[start:]


@dataclass
class SeriesTable:
    """Running sums of every chart series at every bucket size."""

    series: dict[Key, dict[str, Buckets]] = field(default_factory=dict)

    def add(self, key: Key, day: dt.date, value: float) -> None:
        sizes = self.series.get(key)
        if sizes is None:
            sizes = self.series[key] = {size: Buckets() for size in SIZES}
        scaled = round(value * SCALE)
        for size, buckets in sizes.items():
            buckets.add(bucket_of(day, size), scaled)

    def add_sessions(self, sessions: Iterable[SessionLog]) -> None:
        """Every finished session's sets: reps per set, or seconds held; the load when any."""
        for session in sessions:
            if not session.completed:
                continue
            day = session.performed_on
            for s in session.sets:
                if s.reps:
                    self.add(("reps", s.exercise_id), day, s.reps)
                elif s.hold_seconds:
                    self.add(("holds", s.exercise_id), day, s.hold_seconds)
                if s.load_kg:
                    self.add(("load", s.exercise_id), day, s.load_kg)

    def add_pain(self, points: Iterable[PainPoint]) -> None:
        for p in points:
            region = p.region.value if p.region is not None else "session"
            self.add(("pain", region), p.day, p.score)


def table_of(sessions: Iterable[SessionLog], pain: Iterable[PainPoint]) -> SeriesTable:
    """The table of a whole history, built in one pass (what the ledger's equals)."""
    table = SeriesTable()
    table.add_sessions(sessions)
    table.add_pain(pain)
    return table


@dataclass(frozen=True)
class ChartSeries:
    """The settled part's table and the rest's: read them together with :meth:`means`."""

    settled: SeriesTable
    rest: SeriesTable
    first_session: dt.date | None = None  # the day of the first session logged

    def keys(self, chart: str) -> list[str]:
        found = {k[1] for t in (self.settled, self.rest) for k in t.series if k[0] == chart}
        return sorted(found)

    def means(self, key: Key, size: str, first: dt.date | None) -> list[tuple[dt.date, float]]:
        """(bucket, mean) for every bucket from ``first`` on (None: all), in day order."""
        parts = [t.series[key][size] for t in (self.settled, self.rest) if key in t.series]
        if len(parts) == 1:
            sums = parts[0].sums
            return [(b, sums[b][0] / sums[b][1] / SCALE) for b in parts[0].since(first)]
        merged: dict[dt.date, list[int]] = {}
        for part in parts:
            for bucket in part.since(first):
                total = merged.setdefault(bucket, [0, 0])
                total[0] += part.sums[bucket][0]
                total[1] += part.sums[bucket][1]
        return [(b, merged[b][0] / merged[b][1] / SCALE) for b in sorted(merged)]

    def points(self, key: Key, size: str, first: dt.date | None) -> tuple[list[str], list[float]]:
        """:meth:`means` as (ISO days, means), for the charts: the settled part's are kept
        between calls, and the rest (the days from the ledger's cut on) only adds to its last
        buckets. Equals :meth:`means` (tested)."""
        parts = [t.series[key][size] for t in (self.settled, self.rest) if key in t.series]
        if len(parts) == 1:
            return parts[0].read(first)
        if not parts:
            return [], []
        settled, rest = parts
        later = rest.since(first)
        if settled.keys and later and later[0] < settled.keys[-1]:  # not the ledger's order
            points = self.means(key, size, first)
            return [b.isoformat() for b, _ in points], [mean for _, mean in points]
        days, means = settled.read(first)
        for bucket in later:
            total = rest.sums[bucket]
            if days and settled.keys[-1] == bucket:
                both = settled.sums[bucket]
                means[-1] = (both[0] + total[0]) / (both[1] + total[1]) / SCALE
            else:
                days.append(bucket.isoformat())
                means.append(total[0] / total[1] / SCALE)
        return days, means


def series_of(history: History, summary: ProgressSummary) -> ChartSeries:
    """The charts' sums of a whole history, built in one pass (no ledger to grow them)."""
    first = min((s.performed_on for s in history.sessions), default=None)
    return ChartSeries(table_of(history.sessions, summary.pain), SeriesTable(), first)
