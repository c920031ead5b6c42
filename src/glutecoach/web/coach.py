"""The services' Coach with the person's history, and what is computed from it, cached until
the database changes.

Loading three years of history takes a while and pages ask for it several times. Here the
history is read by the faster :func:`glutecoach.web.queries.history_data` and kept, with the
progress summary and other derived views, until the cheap
:func:`glutecoach.web.queries.fingerprint` changes. Every use case stays the services' own.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import History
from glutecoach.core.progress import ProgressSummary
from glutecoach.services import Coach, NotScreened
from glutecoach.store.db import Store
from glutecoach.web import queries

T = TypeVar("T")


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic GC while tens of thousands of short-lived acyclic objects are built
    (full collections would rescan the whole heap several times; halves a cold load)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


Key = tuple[object, ...]


@dataclass
class HistoryCache:
    """Per person: the fingerprint the entries were computed at, and the entries."""

    entries: dict[str, tuple[Key, dict[Any, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, person: str, key: Key, name: Any) -> Any:
        found = self.entries.get(person)
        if found is None or found[0] != key:
            return None
        return found[1].get(name)

    def put(self, person: str, key: Key, name: Any, value: Any) -> None:
        with self.lock:
            found = self.entries.get(person)
            if found is None or found[0] != key:
                found = (key, {})
                self.entries[person] = found
            found[1][name] = value


class CachedCoach(Coach):
    def __init__(self, store: Store, catalog: Catalog, person: str, cache: HistoryCache) -> None:
        super().__init__(store, catalog, person)
        self._cache = cache

    def fingerprint(self) -> Key | None:
        with self.store.transaction() as db:
            return queries.fingerprint(db, self.person)

    def memo(self, name: Any, compute: Callable[[], T]) -> T:
        """``compute()``, reused until the person's data changes (``name`` says what it is)."""
        key = self.fingerprint()
        if key is None:
            return compute()
        cached = self._cache.get(self.person, key, name)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        with _no_gc():
            value = compute()
        self._cache.put(self.person, key, name, value)
        return value

    def history(self) -> History:
        return self.memo("history", self._load_history)

    def _load_history(self) -> History:
        with _no_gc(), self.store.transaction() as db:
            data = queries.history_data(db, self.person)
            settings = self._settings(db)
        if data is None:
            raise NotScreened()
        with _no_gc():
            return History.model_validate({**data, "equipment": settings["equipment"]})

    def _settings(self, db: Any) -> dict[str, Any]:
        from glutecoach.store import repository as repo

        return repo.get_settings(db, self._pid(db))

    def progress(self, today: dt.date) -> ProgressSummary:
        return self.memo(("progress", today), lambda: super(CachedCoach, self).progress(today))
