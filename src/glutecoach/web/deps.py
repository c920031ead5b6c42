"""What routes receive: the coach, today's date, the catalog. All overridable in tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.catalog import Catalog
from glutecoach.errors import StoreBusy, StoreError, StoreUnreachable
from glutecoach.history_cache import HistoryCache
from glutecoach.services import Coach, Store, open_database
from glutecoach.web.security import FailureLimiter, Signer

Clock = Callable[[], dt.date]


@dataclass
class WebState:
    """Everything one app instance shares across requests."""

    store_url: str
    clock: Clock
    person: str
    signer: Signer
    auth_token: str | None
    timer_speed: float = 1.0
    limiter: FailureLimiter = field(default_factory=FailureLimiter)
    nav_extra: tuple[tuple[str, str], ...] = ()  # more header links (clinic mode: form review)
    sign_out: str = ""  # where the header's "Sign out" button posts ('' = no button)
    _store: Store | None = None
    _store_error: StoreError | None = None
    _catalog: Catalog | None = None
    history_cache: HistoryCache = field(default_factory=HistoryCache)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def store(self) -> Store:
        """The open store; a corrupt or newer database raises the same clear error each time.

        A busy or unreachable database is tried again on the next request.
        """
        if self._store is not None:
            return self._store
        with self._lock:
            if self._store_error is not None:
                raise self._store_error
            if self._store is None:
                try:
                    self._store = open_database(self.store_url)
                except (StoreBusy, StoreUnreachable):
                    raise
                except StoreError as exc:
                    self._store_error = exc
                    raise
            return self._store

    def prepare(self) -> None:
        """Open the store and read the catalog ahead of the first request."""
        # A failure here is met again by the requests, which report it the usual way.
        with contextlib.suppress(Exception):
            self.store()
        with contextlib.suppress(Exception):
            self.catalog()

    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    def close(self) -> None:
        self.history_cache.wait_for_loads(timeout=10)
        if self._store is not None:
            self._store.close()
            self._store = None


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def get_today(request: Request) -> dt.date:
    """Today, from the app's clock (tests replace this with ``dependency_overrides``)."""
    return web_state(request).clock()


def get_catalog(request: Request) -> Catalog:
    return web_state(request).catalog()


def get_coach(request: Request) -> Coach:
    state = web_state(request)
    return Coach(state.store(), state.catalog(), state.person, cache=state.history_cache)
