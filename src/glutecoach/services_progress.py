"""The progress page's numbers and charts (a part of :class:`glutecoach.services.Coach`):
the summary, and the charts' running sums grown with the history when there is a cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from glutecoach.chart_series import ChartSeries, series_of
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import History
from glutecoach.core.progress import ProgressSummary, summarize
from glutecoach.history_cache import HistoryCache
from glutecoach.store import repository as repo
from glutecoach.store.db import Store

T = TypeVar("T")


class ProgressViews:
    """Reads behind the progress page for one person (``Coach`` provides the rest)."""

    store: Store
    catalog: Catalog
    _cache: HistoryCache | None

    def _pid(self, db: Any) -> int:
        raise NotImplementedError

    def _history_in(self, db: Any, pid: int, settings: dict[str, Any] | None = None) -> History:
        raise NotImplementedError

    def progress(self, today: dt.date) -> ProgressSummary:
        pid, history, session_days = self._progress_inputs()
        if self._cache is None:
            return summarize(history, self.catalog, session_days, today)
        return self._cache.ledger(pid).summarize(history, self.catalog, session_days, today)

    def progress_charts(
        self, today: dt.date, build: Callable[[ProgressSummary, ChartSeries], T]
    ) -> T:
        """``build(summary, series)``: the summary with the charts' running sums (grown with
        the history when there is a cache; see :mod:`glutecoach.chart_series`)."""
        pid, history, session_days = self._progress_inputs()
        if self._cache is not None:
            ledger = self._cache.ledger(pid)
            return ledger.charts(history, self.catalog, session_days, today, build)
        summary = summarize(history, self.catalog, session_days, today)
        return build(summary, series_of(history, summary))

    def _progress_inputs(self) -> tuple[int, History, list[int]]:
        with self.store.transaction() as db:
            pid = self._pid(db)
            settings = repo.get_settings(db, pid)
            return pid, self._history_in(db, pid, settings), list(settings["session_days"])
