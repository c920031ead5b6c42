"""A person's history and the views derived from it, kept in memory until the data changes.

Used by the services (:class:`glutecoach.services.Coach` given a ``cache``) for long-running
adapters such as the web app, where pages ask for three years of history many times a minute.
The history is read once with the store's column readers, then kept up to date by reading only
the rows added since (and the few sessions that were still open), as long as
:func:`~glutecoach.store.fingerprint.fingerprint_for` shows nothing but additions; anything else (a
new screening, changed settings, removed rows, a back-dated entry) reloads it whole. Derived
views (the progress summary, chart data) are memoised on the same fingerprint, and the
progress summary itself grows with the history (:mod:`glutecoach.progress_ledger`).

Every read here runs inside the caller's transaction, so a use case that must see a stable
history (the engine's decision) gets one.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from glutecoach.core.models import CheckIn, Clearance, Decision, History, SessionLog, SetLog
from glutecoach.progress_ledger import ProgressLedger
from glutecoach.store import reader
from glutecoach.store import repository as repo
from glutecoach.store.db import Store
from glutecoach.store.fingerprint import TABLES, Marks, fingerprint_for

T = TypeVar("T")
log = logging.getLogger("glutecoach.history")


MANY_SETTLED = 200  # sessions settled by one view: a (re)build, kept like a whole load


def freeze_long_lived() -> None:
    """Collect the garbage, then move every object left out of the collector's later scans
    (``gc.freeze``): for a server once it has started (modules, catalog, compiled templates),
    so that the collections before a whole-history load (see :func:`no_gc`) scan only what
    requests left since. Nothing unreachable is frozen: it was collected first."""
    gc.collect()
    gc.freeze()


@dataclass
class Keep:
    """Set ``long_lived`` inside :func:`no_gc` when what was built turns out to be kept."""

    long_lived: bool = False


@contextmanager
def no_gc(*, keep: bool = False) -> Iterator[Keep]:
    """Pause the cyclic GC while tens of thousands of short-lived acyclic objects are built
    (full collections would rescan the whole heap several times; halves a cold load).

    What is built to be kept for long is then moved out of the collector's reach
    (``gc.freeze``) instead of being scanned when the collector resumes and in every later
    full collection (~80 ms for three years of history, a quarter of a server's first page).
    ``keep`` (known before: a whole history) collects the garbage *before* building, so no
    garbage is frozen with it (cheap in a server after :func:`freeze_long_lived`); setting
    ``long_lived`` on the yielded :class:`Keep` (known after: a rebuilt progress ledger)
    collects before freezing. The kept objects are acyclic: reference counting still frees
    them when a reload replaces them. When pauses overlap (a page while the history is read in
    the background), the collector resumes only when the last one ends, and nothing is frozen
    while another pause is open (its objects in flight would be frozen with them).
    """
    if keep:
        gc.collect()
    with _PAUSE.lock:  # pauses may overlap (a page and the background read): the first
        if _PAUSE.depth == 0:  # one saves the collector's state, the last one restores it
            _PAUSE.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSE.depth += 1
    kept = Keep()
    try:
        yield kept
    finally:
        with _PAUSE.lock:
            _PAUSE.depth -= 1
            alone = _PAUSE.depth == 0
            if (keep or kept.long_lived) and alone:  # no other pause's objects in flight
                if not keep:
                    gc.collect()
                gc.freeze()
            if alone and _PAUSE.was_enabled:
                gc.enable()


@dataclass
class _Pause:
    """The collector's pauses across threads: how many are open, and its state before."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    depth: int = 0
    was_enabled: bool = True


_PAUSE = _Pause()


@dataclass(frozen=True)
class Loaded:
    marks: Marks
    history: History
    session_ids: tuple[int, ...]  # the row id of each of history.sessions
    open_ids: tuple[int, ...]  # unfinished sessions' row ids


@dataclass
class HistoryCache:
    """Per person (by row id): the loaded history, views derived from it at given marks, and
    the incrementally built progress summary. Thread-safe; one per open store."""

    loaded: dict[int, Loaded] = field(default_factory=dict)
    derived: dict[int, tuple[Marks, dict[Any, Any]]] = field(default_factory=dict)
    ledgers: dict[int, ProgressLedger] = field(default_factory=dict)
    keyed: dict[tuple[int, Any], tuple[Any, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    loading: dict[int, threading.Thread] = field(default_factory=dict)

    def load_later(self, store: Store, pid: int) -> None:
        """Read the person's whole history on a background thread, unless it is held or
        being read. A first page is worked out without it (see ``services_plan``); the pages
        after it (the session, the progress charts) then find it held."""
        with self.lock:
            if pid in self.loaded or pid in self.loading:
                return
            thread = threading.Thread(
                target=self._load, args=(store, pid), name="glutecoach-history", daemon=True
            )
            self.loading[pid] = thread
            thread.start()  # under the lock: whoever finds it in ``loading`` may join it

    def _load(self, store: Store, pid: int) -> None:
        try:
            with store.transaction() as db:
                self.history(db, pid)
        except Exception as exc:  # the next page reads it itself and shows what went wrong
            log.debug("background history read failed: %s", type(exc).__name__)
        finally:
            with self.lock:
                self.loading.pop(pid, None)

    def wait_for_loads(self, timeout: float | None = None) -> None:
        """Wait for the background reads started by :meth:`load_later` (shutdown, tests)."""
        with self.lock:
            threads = list(self.loading.values())
        for thread in threads:
            thread.join(timeout)

    def holds(self, pid: int) -> bool:
        """Whether the person's history is held (maybe a few rows behind: brought up to date
        by reading only those, on the next read)."""
        return pid in self.loaded

    def marks(self, db: Session, pid: int) -> Marks:
        return fingerprint_for(db, pid)

    def history(self, db: Session, pid: int, marks: Marks | None = None) -> History | None:
        """The person's history as of ``db`` (None before the first screening); ``marks``: the
        marks already read for it (a memo's key). Waits for a background read of it
        (:meth:`load_later`) rather than reading it a second time."""
        loader = self.loading.get(pid)
        if loader is not None and loader is not threading.current_thread():
            loader.join()
        hinted = marks is not None  # the marks a memo's view is computed for
        marks = marks or self.marks(db, pid)
        loaded = self.loaded.get(pid)
        if loaded is not None and loaded.marks == marks:
            return loaded.history
        with no_gc():
            fresh = _add_new_rows(db, pid, loaded, marks) if loaded is not None else None
            if fresh is None and hinted and loaded is not None:  # written to since the hint:
                now = self.marks(db, pid)  # add the rows up to now rather than read it all
                fresh = _add_new_rows(db, pid, loaded, now) if now != marks else None
        if fresh is None:
            with no_gc(keep=True):
                found = _load_all(db, pid)
            if found is None:
                return None
            fresh, consistent = found
            if not consistent:
                return fresh.history  # written to meanwhile: use it, but do not keep it
        with self.lock:
            self.loaded[pid] = fresh
        return fresh.history

    def session_sets(
        self, db: Session, pid: int, session_id: int, marks: Marks | None = None
    ) -> tuple[SetLog, ...] | None:
        """The sets of one of the person's sessions, as held once brought up to date (to
        ``marks`` when given); None when the history held is not current or lacks it (another
        person's, an unreadable day)."""
        history = self.history(db, pid, marks)
        loaded = self.loaded.get(pid)
        if loaded is None or loaded.history is not history:
            return None
        ids = loaded.session_ids
        for index in range(len(ids) - 1, -1, -1):  # the open session is among the latest
            if ids[index] == session_id:
                return loaded.history.sessions[index].sets
        return None

    def memo(self, pid: int, marks: Marks, name: Any, compute: Callable[[], T]) -> T:
        """``compute()``, reused while the person's marks stay ``marks``."""
        found = self.derived.get(pid)
        if found is not None and found[0] == marks and name in found[1]:
            return found[1][name]  # type: ignore[no-any-return]
        ledger = self.ledgers.get(pid)
        settled = ledger.settled_sessions if ledger is not None else 0
        with no_gc() as kept:
            value = compute()
            ledger = self.ledgers.get(pid)
            grown = (ledger.settled_sessions if ledger is not None else 0) - settled
            kept.long_lived = grown >= MANY_SETTLED  # the progress ledger was (re)built
        with self.lock:
            found = self.derived.get(pid)
            if found is None or found[0] != marks:
                found = (marks, {})
                self.derived[pid] = found
            found[1][name] = value
        return value

    def by_key(self, pid: int, name: Any, key: Any, compute: Callable[[], T]) -> T:
        """``compute()``, reused while ``key`` stays the same (for data outside the history,
        e.g. the desk tables' row counts: the desk coach only ever adds rows)."""
        found = self.keyed.get((pid, name))
        if found is not None and found[0] == key:
            return found[1]  # type: ignore[no-any-return]
        value = compute()
        with self.lock:
            self.keyed[(pid, name)] = (key, value)
        return value

    def ledger(self, pid: int) -> ProgressLedger:
        with self.lock:
            return self.ledgers.setdefault(pid, ProgressLedger())


def _load_all(db: Session, pid: int) -> tuple[Loaded, bool] | None:
    before = fingerprint_for(db, pid)
    data = reader.history_data_for(db, pid)
    equipment = repo.get_settings(db, pid)["equipment"]
    after = fingerprint_for(db, pid)
    if data is None:
        return None
    ids, sessions = reader.split_ids(data["sessions"])
    history = History.model_validate({**data, "sessions": sessions, "equipment": equipment})
    open_ids = tuple(i for i, s in zip(ids, history.sessions, strict=True) if not s.completed)
    return Loaded(after, history, tuple(ids), open_ids), before == after


def _add_new_rows(db: Session, pid: int, loaded: Loaded, marks: Marks) -> Loaded | None:
    """``loaded`` plus the rows added since; None when the change is not only additions."""
    old = loaded.marks
    if marks.settings != old.settings or marks.max_id("screenings") != old.max_id("screenings"):
        return None
    if any(new < before for new, before in zip(marks.max_ids, old.max_ids, strict=True)):
        return None  # the newest rows were removed
    delta = reader.rows_after(db, pid, old, now=marks)
    finished = reader.sessions_by_id(db, pid, list(loaded.open_ids))
    now = fingerprint_for(db, pid)
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
        if (sessions[i].completed, sessions[i].notes) != (completed, notes):
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
        log = SessionLog.model_validate({k: v for k, v in entry.items() if k != "_id"})
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
        i = TABLES.index(table)
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
