"""The desk coach's numbers as the CLI, the web app and the exports read them (a part of
:class:`glutecoach.services.Coach`): sitting metrics per day and the recorded bouts."""

from __future__ import annotations

import datetime as dt

from glutecoach.core.sedentary import PeriodMetrics
from glutecoach.desk_services import DeskBout
from glutecoach.history_cache import HistoryCache
from glutecoach.store import desk_repo
from glutecoach.store.db import Store


class DeskViews:
    """Reads of the desk tables for one person (``Coach`` provides the store and person)."""

    store: Store
    person: str
    _cache: HistoryCache | None

    def _pid(self, db: object) -> int:
        raise NotImplementedError

    def _known_pid(self, db: object) -> int | None:
        raise NotImplementedError

    # --- the desk coach's data ----------------------------------------------------------

    def desk_metrics(self, day: dt.date, days: int) -> list[PeriodMetrics] | None:
        """Sitting metrics of the ``days`` days up to ``day``, or None when the desk coach has
        logged nothing; with a cache, kept until the desk tables' row counts change."""
        with self.store.transaction() as db:
            pid = self._known_pid(db)
            counts = desk_repo.counts(db, pid) if pid is not None else {}
            if pid is None or not any(counts.values()):
                return None
            start = day - dt.timedelta(days=days - 1)

            def compute() -> list[PeriodMetrics]:
                return list(desk_repo.daily_metrics(db, pid, start, day))

            if self._cache is None:
                return compute()
            key = (day, days, tuple(sorted(counts.items())))
            return self._cache.by_key(pid, "desk-metrics", key, compute)

    def desk_bouts(self) -> list[DeskBout]:
        """Every sitting bout the desk coach recorded for this person, oldest first."""
        with self.store.transaction() as db:
            return [
                DeskBout(row.start, row.end, row.seconds, row.cause, row.reminders)
                for row in desk_repo.bouts(db, self._pid(db))
            ]
