"""Use cases shared by the CLI, the web app and the desk daemon.

Each method is one short transaction: load what the core needs, call the core, store the result.
No business rule lives here; they are all in ``glutecoach.core``. The clock is the caller's:
every method takes ``today`` (or ``now``) as a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from glutecoach.core.camera_baseline import latest_camera_baseline
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    CheckIn,
    Clearance,
    Decision,
    History,
    Phase,
    ScreeningAnswers,
    ScreeningResult,
    SessionLog,
    SetLog,
)
from glutecoach.core.pain import pain_spike
from glutecoach.core.progression import (
    decide,
    red_flags_due,
)
from glutecoach.core.screening import screen, unknown_red_flags
from glutecoach.desk_services import DeskBout as DeskBout
from glutecoach.errors import InputError
from glutecoach.history_cache import HistoryCache
from glutecoach.inputs import DEFAULT_PERSON, MAX_SESSION_NOTES_CHARS, check_day, check_note
from glutecoach.services_desk import DeskViews
from glutecoach.services_plan import NotScreened as NotScreened
from glutecoach.services_plan import PlanViews, with_what_they_own
from glutecoach.services_progress import ProgressViews
from glutecoach.settings import owned_to_text
from glutecoach.store import idempotent
from glutecoach.store import repository as repo
from glutecoach.store.db import BUSY_TIMEOUT_MS, open_store
from glutecoach.store.db import Store as Store
from glutecoach.store.fingerprint import Marks
from glutecoach.store.session_lookup import SessionInfo as SessionInfo
from glutecoach.store.session_lookup import session_info, sessions_on

T = TypeVar("T")


#: How long a write waits for another program's lock before it gives up (StoreBusy).
BUSY_TIMEOUT_S = BUSY_TIMEOUT_MS / 1000


def open_database(url: str, on_wait: Callable[[], None] | None = None) -> Store:
    """Open (and migrate) the database at ``url``: the adapters' one way to a store.

    ``on_wait`` is called once when a transaction has waited a while for a lock."""
    return open_store(url, on_wait=on_wait)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Coach(DeskViews, ProgressViews, PlanViews):
    """One person's coach over an open store (the desk coach's numbers: ``DeskViews``)."""

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        person: str = DEFAULT_PERSON,
        now: Callable[[], dt.datetime] = _utc_now,
        cache: HistoryCache | None = None,
    ) -> None:
        """``cache`` (shared by the requests of a long-running app) keeps the history and the
        views derived from it in memory until the person's data changes."""
        self.store = store
        self.catalog = catalog
        self.person = person
        self._now = now
        self._cache = cache
        self._person_id: int | None = None  # once found (people are never removed)
        self._marks_hint: tuple[int, Marks] | None = None  # while a memo computes

    def _writable(self, day: dt.date, what: str) -> None:
        """Refuse to store a day outside the shared window (before anything is written)."""
        check_day(day, what, self._now().date())

    def _pid(self, db: Any) -> int:
        """The person's id; the person is created (stamped with ``now``) on first use."""
        found = self._known_pid(db)
        if found is None:  # not kept: the transaction that creates them may roll back
            return repo.ensure_person(db, self.person, now=self._now())
        return found

    def _known_pid(self, db: Any) -> int | None:
        """The person's id, None before they exist (looked up once per coach)."""
        if self._person_id is None:
            self._person_id = repo.person_id(db, self.person)
        return self._person_id

    # --- screening ----------------------------------------------------------------------

    def camera_baseline(self, exercise_id: str) -> dict[str, float]:
        """The form baseline of the person's last camera set of this exercise ({} if none)."""
        return latest_camera_baseline(self.history(), exercise_id)

    def screened(self) -> bool:
        """Whether the person has a screening (one index lookup, nothing validated)."""
        with self.store.transaction() as db:
            return repo.has_screening(db, self._known_pid(db))

    def latest_screening(self) -> tuple[ScreeningAnswers, ScreeningResult] | None:
        with self.store.transaction() as db:
            return repo.latest_screening(db, self._pid(db))

    def screen(self, answers: ScreeningAnswers, today: dt.date) -> ScreeningResult:
        unknown = unknown_red_flags(answers, self.catalog)
        if unknown:
            known = ", ".join(f.id for f in self.catalog.rules.red_flags.flags)
            raise InputError(
                f"red_flags: unknown question id(s) {', '.join(unknown)}; known ids: {known}"
            )
        self._writable(today, "screening day")
        result = screen(answers, self.catalog)
        with self.store.transaction() as db:
            pid = self._pid(db)
            repo.save_screening(db, pid, today, answers, result)
            repo.set_setting(db, pid, "equipment", [e.value for e in answers.equipment])
            if answers.owned is not None:  # a screening without the list keeps the setting
                repo.set_setting(db, pid, "owned_equipment", owned_to_text(answers.owned))
        self.decide(today)
        return result

    # --- history, state, plan -----------------------------------------------------------

    def history(self) -> History:
        with self.store.transaction() as db:
            return self._history_in(db, self._pid(db))

    def _history_in(self, db: Any, pid: int, settings: dict[str, Any] | None = None) -> History:
        """The person's history as read inside the transaction ``db``, with what they own now
        (``settings``: the person's, when the caller has read them in ``db``)."""
        if self._cache is not None:
            history = self._cache.history(db, pid, self._hint(pid))
        else:
            history = repo.load_history(db, pid)
        if history is None:
            raise NotScreened()
        return with_what_they_own(
            history, settings if settings is not None else repo.get_settings(db, pid)
        )

    def _hint(self, pid: int) -> Marks | None:
        """The marks a memo's view is being computed for (None outside one)."""
        hint = self._marks_hint
        return hint[1] if hint is not None and hint[0] == pid else None

    def memo(self, name: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, reused until the person's data changes (with a cache; ``name`` says
        what it is and must include every input besides the data, e.g. the day)."""
        if self._cache is None:
            return compute()
        with self.store.transaction() as db:
            pid = self._known_pid(db)
            marks = self._cache.marks(db, pid) if pid is not None else None
        if pid is None or marks is None:
            return compute()
        # The view is computed from the history as of ``marks`` (a later write shows in the
        # next view); views only read.
        self._marks_hint = (pid, marks)
        try:
            return self._cache.memo(pid, marks, name, compute)
        finally:
            self._marks_hint = None

    def settings(self) -> dict[str, Any]:
        with self.store.transaction() as db:
            return repo.get_settings(db, self._pid(db))

    def set_setting(self, name: str, value: Any) -> Any:
        with self.store.transaction() as db:
            return repo.set_setting(db, self._pid(db), name, value)

    # --- sessions -----------------------------------------------------------------------

    def open_session(self, today: dt.date) -> int:
        self._writable(today, "session day")
        phase = self.state().phase
        with self.store.transaction() as db:
            return repo.open_session(db, self._pid(db), today, int(phase))

    def log_set(self, session_id: int, log: SetLog) -> int:
        """Commit one set at once, so nothing logged is lost if the session is interrupted."""
        self._known_exercise(log.exercise_id)
        with self.store.transaction() as db:
            return repo.add_set(db, session_id, log)

    def log_set_once(
        self, session_id: int, log: SetLog, key: str, *, may_add: bool = True
    ) -> tuple[int, bool] | None:
        """Commit one set unless a set with this idempotency ``key`` is already in the session.

        A client that retries (the answer was lost) gets the first set's id back, never a
        duplicate: (set id, whether it was stored now); None when the set is not there and
        ``may_add`` is false (the session was finished meanwhile).
        """
        self._known_exercise(log.exercise_id)
        with self.store.transaction() as db:
            return idempotent.add_set_once(db, session_id, log, key, may_add=may_add)

    def sessions_on(self, day: dt.date) -> list[SessionInfo]:
        """Every session of ``day`` (open or finished), oldest first; none is created."""
        with self.store.transaction() as db:
            return sessions_on(db, self._known_pid(db), day)

    def session_info(self, session_id: int) -> SessionInfo | None:
        """The session ``session_id`` if it is this person's, else None."""
        with self.store.transaction() as db:
            return session_info(db, self._known_pid(db), session_id)

    def logged_sets(self, session_id: int) -> list[SetLog]:
        """The sets of a session, oldest first (from the cached history when it holds it)."""
        with self.store.transaction() as db:
            pid = self._known_pid(db) if self._cache is not None else None
            if self._cache is not None and pid is not None and self._cache.holds(pid):
                cached = self._cache.session_sets(db, pid, session_id, self._hint(pid))
                if cached is not None:
                    return list(cached)
            return repo.session_sets(db, session_id)

    def finish_session(self, session_id: int, today: dt.date, notes: str = "") -> Decision:
        check_note(notes, "notes", MAX_SESSION_NOTES_CHARS)
        with self.store.transaction() as db:
            repo.finish_session(db, session_id, notes)
        return self.decide(today)

    def log_session(self, day: dt.date, sets: list[SetLog], today: dt.date) -> Decision:
        self._writable(day, "session day")
        self._writable(today, "today")
        for log in sets:
            self._known_exercise(log.exercise_id)
        phase: Phase = self.state().phase
        with self.store.transaction() as db:
            repo.save_session(
                db, self._pid(db), SessionLog(performed_on=day, phase=phase, sets=tuple(sets))
            )
        return self.decide(today)

    def _known_exercise(self, exercise_id: str) -> None:
        try:
            self.catalog.exercise(exercise_id)
        except KeyError as exc:
            raise InputError(str(exc.args[0])) from None

    # --- check-ins and decisions --------------------------------------------------------

    def pain_spiked(self, pain: dict[Any, int]) -> bool:
        """Whether these ratings are a spike that should re-ask the red-flag questions."""
        history = self.history()
        at_screening = max((p.score for p in history.screening.pain.values()), default=0)
        spike = self.catalog.rules.red_flags.recheck_pain_spike
        return pain_spike(pain, history.checkins, at_screening, spike)

    def red_flags_due(self, today: dt.date, every_days: int = 7) -> bool:
        """Whether the red-flag questions are due: weekly, after a long break, or at the first
        check-ins after severe pain at screening (see ``red_flags_why``)."""
        return bool(self.red_flags_why(today, every_days))

    def red_flags_why(self, today: dt.date, every_days: int = 7) -> str:
        return red_flags_due(self.history(), self.catalog, today, every_days)

    def checkin(self, checkin: CheckIn, today: dt.date) -> Decision:
        unknown = sorted(
            set(checkin.red_flags) - {f.id for f in self.catalog.rules.red_flags.flags}
        )
        if unknown:
            raise InputError(f"red_flags: unknown question id(s) {', '.join(unknown)}")
        self._writable(checkin.day, "check-in day")
        self._writable(today, "today")
        with self.store.transaction() as db:
            repo.add_checkin(db, self._pid(db), checkin)
        return self.decide(today)

    def clear(self, day: dt.date, note: str) -> Decision:
        self._writable(day, "clearance day")
        check_note(note, "note")
        with self.store.transaction() as db:
            repo.add_clearance(db, self._pid(db), Clearance(day=day, note=note))
        return self.decide(day)

    def decide(self, today: dt.date) -> Decision:
        """Weigh what is new and record the decision, in one transaction that holds the
        person's row: a second decider (another process on the same database) waits, then
        sees this decision, so no session is ever weighed twice."""
        self._writable(today, "today")
        with self.store.transaction(write_lock=True) as db:
            pid = repo.lock_person(db, self.person, now=self._now())
            decision = decide(self._history_in(db, pid), self.catalog, today)
            repo.add_decision(db, pid, decision)
        return decision

    def decisions(self) -> list[Decision]:
        with self.store.transaction() as db:
            return repo.decisions(db, self._pid(db))
