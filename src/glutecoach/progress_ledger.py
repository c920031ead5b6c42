"""The progress summary, grown with the history instead of rebuilt from it on every write.

Three years of history make ~13,000 pain points, ~11,000 load points and ~1,100 timeline
entries; rebuilding them after each logged set took most of a page view. A
:class:`ProgressLedger` keeps them for the *settled* part of the history (every day before the
latest one, and before any unfinished session) and, on each call, builds only the rest. It
relies on the history cache keeping unchanged sessions, check-ins and decisions as the very
same objects: when any settled one is not (a reload, a back-dated entry, a re-screening), the
ledger starts over. The result equals :func:`glutecoach.core.progress.summarize` (tested).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from glutecoach.adherence_ledger import CreditLedger, same_prefix
from glutecoach.chart_series import ChartSeries, SeriesTable, table_of
from glutecoach.core.adherence import WeekTally
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import CheckIn, Decision, History, ScreeningAnswers, SessionLog
from glutecoach.core.progress import (
    LoadPoint,
    PainPoint,
    ProgressSummary,
    TimelineEntry,
    assemble_summary,
    checkin_pain_points,
    screening_pain_points,
    session_load_points,
    session_pain_point,
    sort_pain_points,
    timeline_entry,
)

T = TypeVar("T")
R = TypeVar("R")


@contextmanager
def _held(lock: threading.Lock, already: bool) -> Iterator[None]:
    if already:
        yield
        return
    with lock:
        yield


class ProgressLedger:
    """One person's settled pain points, load points and timeline entries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._adherence = CreditLedger()  # checks on its own what it can keep
        self._reset(None, dt.date.min)

    @property
    def settled_sessions(self) -> int:
        """How many sessions the settled part holds (their points and sums are kept)."""
        return len(self._sessions)

    def _reset(self, screening: ScreeningAnswers | None, screened_on: dt.date) -> None:
        self._screening = screening
        self._screened_on = screened_on
        self._cut: dt.date | None = None  # everything before this day is settled
        self._screening_settled = False
        self._sessions: tuple[SessionLog, ...] = ()
        self._checkins: tuple[CheckIn, ...] = ()
        self._decisions: tuple[Decision, ...] = ()
        self._pain: tuple[PainPoint, ...] = ()
        self._loads: tuple[LoadPoint, ...] = ()
        self._timeline: tuple[TimelineEntry, ...] = ()
        self._series = SeriesTable()  # the charts' running sums of the settled part
        self._rest_series = SeriesTable()  # ... and of the rest, as of the last update

    def summarize(
        self,
        history: History,
        catalog: Catalog,
        session_days: list[int],
        today: dt.date,
        *,
        locked: bool = False,
    ) -> ProgressSummary:
        """The summary; ``locked``: the caller holds the ledger's lock."""
        with _held(self._lock, locked):
            pain, loads, entries = self._update(history)
            done = self._adherence.done_per_week(history, catalog)
        return assemble_summary(
            history,
            catalog,
            session_days,
            today,
            pain=pain,
            loads=loads,
            entries=entries,
            done_by_week=done,
        )

    def charts(
        self,
        history: History,
        catalog: Catalog,
        session_days: list[int],
        today: dt.date,
        build: Callable[[ProgressSummary, ChartSeries], R],
    ) -> R:
        """``build(summary, series)`` with the charts' running sums (read under the lock, as
        the settled part grows in place)."""
        with self._lock:
            summary = self.summarize(history, catalog, session_days, today, locked=True)
            first = min((s.performed_on for s in history.sessions), default=None)
            return build(summary, ChartSeries(self._series, self._rest_series, first))

    def done_per_week(self, history: History, catalog: Catalog) -> dict[dt.date, WeekTally]:
        """The sessions done per week, as in the summary (the dashboard's numbers)."""
        with self._lock:
            return self._adherence.done_per_week(history, catalog)

    def _update(
        self, history: History
    ) -> tuple[tuple[PainPoint, ...], tuple[LoadPoint, ...], tuple[TimelineEntry, ...]]:
        """Start over unless ``history`` extends what was seen; then grow and settle."""
        if not self._extends(history):
            self._reset(history.screening, history.screened_on)
        return self._grow(history)

    def _extends(self, history: History) -> bool:
        """Whether ``history`` is the settled part plus entries on or after the cut."""
        if history.screening is not self._screening or history.screened_on != self._screened_on:
            return False
        if not (
            same_prefix(history.sessions, self._sessions)
            and same_prefix(history.checkins, self._checkins)
            and same_prefix(history.decisions, self._decisions)
        ):
            return False
        cut = self._cut
        if cut is None:
            return True
        later_sessions = history.sessions[len(self._sessions) :]
        later_checkins = history.checkins[len(self._checkins) :]
        return all(s.performed_on >= cut for s in later_sessions) and all(
            c.day >= cut for c in later_checkins
        )

    def _grow(
        self, history: History
    ) -> tuple[tuple[PainPoint, ...], tuple[LoadPoint, ...], tuple[TimelineEntry, ...]]:
        """The whole lists: settled + the rest; then settle what can no longer change."""
        sessions = history.sessions[len(self._sessions) :]
        checkins = history.checkins[len(self._checkins) :]
        decisions = history.decisions[len(self._decisions) :]
        points = [] if self._screening_settled else screening_pain_points(history)
        for checkin in checkins:
            points.extend(checkin_pain_points(checkin))
        for session in sessions:
            point = session_pain_point(session)
            if point is not None:
                points.append(point)
        pain = sort_pain_points(points)
        loads = tuple(p for s in sessions for p in session_load_points(s))
        self._decisions += decisions  # a decision never changes: its entry is settled at once
        self._timeline += tuple(timeline_entry(d) for d in decisions)
        whole = (self._pain + pain, self._loads + loads, self._timeline)
        if self._settle(history, sessions, checkins, pain, loads):
            pain = tuple(p for p in pain if self._cut is None or p.day >= self._cut)
        self._rest_series = table_of(history.sessions[len(self._sessions) :], pain)
        return whole

    def _settle(
        self,
        history: History,
        sessions: Sequence[SessionLog],
        checkins: Sequence[CheckIn],
        pain: tuple[PainPoint, ...],
        loads: tuple[LoadPoint, ...],
    ) -> bool:
        """Settle every day before the latest one and before the first unfinished session
        (sessions and check-ins are in day order, so the settled ones are a prefix)."""
        days = [
            history.screened_on,
            *(s.performed_on for s in sessions),
            *(c.day for c in checkins),
        ]
        cut = max(days)
        unfinished = [s.performed_on for s in sessions if not s.completed]
        if unfinished:
            cut = min(cut, *unfinished)
        if self._cut is not None and cut <= self._cut:
            return False
        settled_sessions = tuple(s for s in sessions if s.performed_on < cut)
        settled_checkins = tuple(c for c in checkins if c.day < cut)
        if not (
            same_prefix(sessions, settled_sessions) and same_prefix(checkins, settled_checkins)
        ):
            return False  # not in day order: keep recomputing them
        self._sessions += settled_sessions
        self._checkins += settled_checkins
        settled_pain = tuple(p for p in pain if p.day < cut)
        self._pain += settled_pain
        self._series.add_sessions(settled_sessions)
        self._series.add_pain(settled_pain)
        self._loads += tuple(p for p in loads if p.day < cut)
        self._screening_settled = history.screened_on < cut
        self._cut = cut
        return True
