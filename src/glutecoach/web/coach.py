"""The services' Coach with the person's history, and what is computed from it, cached until
the database changes.

Loading three years of history takes a while and pages ask for it several times. Here the
history is read once with the faster column queries of :mod:`glutecoach.web.queries`, then
kept up to date by reading only the rows added since (and the few sessions that were still
open), as long as :func:`~glutecoach.web.queries.fingerprint` shows nothing but additions;
anything else (a new screening, changed settings, removed rows, a back-dated entry) reloads it
whole. Derived views (the progress summary, chart data) are memoised on the same fingerprint.
Every use case stays the services' own.
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
from glutecoach.core.models import CheckIn, Clearance, Decision, History, SessionLog, SetLog
from glutecoach.core.progress import ProgressSummary
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.db import Store
from glutecoach.web import queries
from glutecoach.web.queries import Marks

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


@dataclass(frozen=True)
class Loaded:
    marks: Marks
    history: History
    session_ids: tuple[int, ...]  # the row id of each of history.sessions
    open_ids: tuple[int, ...]  # unfinished sessions' row ids


@dataclass
class HistoryCache:
    """Per person: the loaded history, and views derived from it at given marks."""

    loaded: dict[str, Loaded] = field(default_factory=dict)
    derived: dict[str, tuple[Marks, dict[Any, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, person: str, marks: Marks, name: Any) -> Any:
        found = self.derived.get(person)
        if found is None or found[0] != marks:
            return None
        return found[1].get(name)

    def put(self, person: str, marks: Marks, name: Any, value: Any) -> None:
        with self.lock:
            found = self.derived.get(person)
            if found is None or found[0] != marks:
                found = (marks, {})
                self.derived[person] = found
            found[1][name] = value


class CachedCoach(Coach):
    def __init__(self, store: Store, catalog: Catalog, person: str, cache: HistoryCache) -> None:
        super().__init__(store, catalog, person)
        self._cache = cache

    def fingerprint(self) -> Marks | None:
        with self.store.transaction() as db:
            return queries.fingerprint(db, self.person)

    def memo(self, name: Any, compute: Callable[[], T]) -> T:
        """``compute()``, reused until the person's data changes (``name`` says what it is)."""
        marks = self.fingerprint()
        if marks is None:
            return compute()
        cached = self._cache.get(self.person, marks, name)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        with _no_gc():
            value = compute()
        self._cache.put(self.person, marks, name, value)
        return value

    def progress(self, today: dt.date) -> ProgressSummary:
        return self.memo(("progress", today), lambda: super(CachedCoach, self).progress(today))

    def history(self) -> History:
        marks = self.fingerprint()
        if marks is None:
            return super().history()  # raises NotScreened
        loaded = self._cache.loaded.get(self.person)
        if loaded is not None and loaded.marks == marks:
            return loaded.history
        with _no_gc():
            fresh = _add_new_rows(self, loaded, marks) if loaded is not None else None
            if fresh is None:
                fresh, consistent = _load_all(self)
                if not consistent:
                    return fresh.history  # written to meanwhile: use it, but do not keep it
        with self._cache.lock:
            self._cache.loaded[self.person] = fresh
        return fresh.history


def _load_all(coach: Coach) -> tuple[Loaded, bool]:
    with coach.store.transaction() as db:
        before = queries.fingerprint(db, coach.person)
        data = queries.history_data(db, coach.person)
        equipment = repo.get_settings(db, coach._pid(db))["equipment"]
        after = queries.fingerprint(db, coach.person)
    if data is None or after is None:
        Coach.history(coach)  # raises NotScreened the services' way
        raise AssertionError("unreachable")
    ids, sessions = queries.split_ids(data["sessions"])
    history = History.model_validate({**data, "sessions": sessions, "equipment": equipment})
    open_ids = tuple(i for i, s in zip(ids, history.sessions, strict=True) if not s.completed)
    return Loaded(after, history, tuple(ids), open_ids), before == after


def _add_new_rows(coach: Coach, loaded: Loaded, marks: Marks) -> Loaded | None:
    """``loaded`` plus the rows added since; None when the change is not only additions."""
    old = loaded.marks
    if marks.settings != old.settings or marks.max_id("screenings") != old.max_id("screenings"):
        return None
    with coach.store.transaction() as db:
        pid = repo.person_id(db, coach.person)
        if pid is None:
            return None
        delta = queries.rows_after(db, pid, old)
        finished = queries.sessions_by_id(db, pid, list(loaded.open_ids))
        now = queries.fingerprint(db, coach.person)
    if now != marks or len(finished) != len(loaded.open_ids):
        return None
    return _merge(loaded, marks, delta, finished)


def _merge(
    loaded: Loaded,
    marks: Marks,
    delta: dict[str, list[dict[str, Any]]],
    finished: dict[int, tuple[bool, str]],
) -> Loaded | None:
    history = loaded.history
    ids = list(loaded.session_ids)
    sessions = list(history.sessions)
    index = {sid: i for i, sid in enumerate(ids)}
    for sid, (completed, notes) in finished.items():
        i = index[sid]
        sessions[i] = sessions[i].model_copy(update={"completed": completed, "notes": notes})
    added_sessions = added_sets = 0
    for entry in delta["sessions"]:
        sid = entry["_id"]
        sets = tuple(SetLog.model_validate(s) for s in entry["sets"])
        added_sets += len(sets)
        if "performed_on" not in entry:  # new sets of a session already held
            if sid not in index:
                return None
            i = index[sid]
            sessions[i] = sessions[i].model_copy(update={"sets": sessions[i].sets + sets})
            continue
        log = SessionLog.model_validate({**{k: v for k, v in entry.items() if k != "_id"}})
        if sessions and log.performed_on < sessions[-1].performed_on:
            return None  # back-dated: its place is not at the end
        index[sid] = len(sessions)
        ids.append(sid)
        sessions.append(log)
        added_sessions += 1
    checkins = [CheckIn.model_validate(c) for c in delta["checkins"]]
    if checkins and history.checkins and checkins[0].day < history.checkins[-1].day:
        return None
    clearances = [Clearance.model_validate(c) for c in delta["clearances"]]
    decisions = [Decision.model_validate(d) for d in delta["decisions"]]
    added = {
        "sessions": added_sessions,
        "sets": added_sets,
        "checkins": len(checkins),
        "clearances": len(clearances),
        "decisions": len(decisions),
    }
    for table, count in added.items():
        i = queries._TABLES.index(table)
        if marks.counts[i] != loaded.marks.counts[i] + count:
            return None  # rows were removed, or added out of order
    if sum(1 for s in sessions if s.completed) != marks.completed:
        return None
    merged = history.model_copy(
        update={
            "sessions": tuple(sessions),
            "checkins": (*history.checkins, *checkins),
            "clearances": (*history.clearances, *clearances),
            "decisions": (*history.decisions, *decisions),
        }
    )
    open_ids = tuple(i for i, s in zip(ids, sessions, strict=True) if not s.completed)
    return Loaded(marks, merged, tuple(ids), open_ids)
