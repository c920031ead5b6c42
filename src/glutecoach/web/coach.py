"""The services' Coach with the person's history cached until the database changes.

Loading three years of history takes a while; pages ask for it several times per request
and again on the next request. :class:`CachedCoach` re-reads it only when the cheap
:func:`glutecoach.web.queries.fingerprint` changes, so every use case stays the services' own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import History
from glutecoach.services import Coach
from glutecoach.store.db import Store
from glutecoach.web import queries


@dataclass
class HistoryCache:
    entries: dict[str, tuple[tuple[object, ...], History]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class CachedCoach(Coach):
    def __init__(self, store: Store, catalog: Catalog, person: str, cache: HistoryCache) -> None:
        super().__init__(store, catalog, person)
        self._cache = cache

    def history(self) -> History:
        with self.store.transaction() as db:
            key = queries.fingerprint(db, self.person)
        cached = self._cache.entries.get(self.person)
        if key is not None and cached is not None and cached[0] == key:
            return cached[1]
        history = super().history()
        if key is not None:
            with self._cache.lock:
                self._cache.entries[self.person] = (key, history)
        return history
