"""Use cases shared by the CLI, the web app and the desk daemon.

Each method is one short transaction: load what the core needs, call the core, store the result.
No business rule lives here; they are all in ``glutecoach.core``. The clock is the caller's:
every method takes ``today`` (or ``now``) as a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    CheckIn,
    Clearance,
    Decision,
    Equipment,
    History,
    Phase,
    Plan,
    PlannedSession,
    ProgramState,
    ScreeningAnswers,
    ScreeningResult,
    SessionLog,
    SetLog,
)
from glutecoach.core.pain import checkin_level
from glutecoach.core.plan import build_plan, session_for
from glutecoach.core.progress import ProgressSummary, summarize
from glutecoach.core.progression import current_state, decide
from glutecoach.core.screening import screen, unknown_red_flags
from glutecoach.errors import InputError
from glutecoach.inputs import MAX_SESSION_NOTES_CHARS, check_day, check_note
from glutecoach.store import desk_repo
from glutecoach.store import repository as repo
from glutecoach.store.db import Store


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class NotScreened(InputError):
    def __init__(self) -> None:
        super().__init__("no screening yet: run `glutecoach screen` first")


@dataclass(frozen=True)
class DeskBout:
    """One sitting bout the desk coach saw (times in UTC, without a time zone)."""

    start: dt.datetime
    end: dt.datetime
    seconds: float
    cause: str
    reminders: int


class Coach:
    """One person's coach over an open store."""

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        person: str = repo.DEFAULT_PERSON,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.person = person
        self._now = now

    def _writable(self, day: dt.date, what: str) -> None:
        """Refuse to store a day outside the shared window (before anything is written)."""
        check_day(day, what, self._now().date())

    def _pid(self, db: Any) -> int:
        """The person's id; the person is created (stamped with ``now``) on first use."""
        return repo.ensure_person(db, self.person, now=self._now())

    # --- screening ----------------------------------------------------------------------

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
        self.decide(today)
        return result

    # --- history, state, plan -----------------------------------------------------------

    def history(self) -> History:
        with self.store.transaction() as db:
            pid = self._pid(db)
            history = repo.load_history(db, pid)
            if history is None:
                raise NotScreened()
            equipment = repo.get_settings(db, pid)["equipment"]
        return history.model_copy(update={"equipment": tuple(Equipment(e) for e in equipment)})

    def settings(self) -> dict[str, Any]:
        with self.store.transaction() as db:
            return repo.get_settings(db, self._pid(db))

    def set_setting(self, name: str, value: Any) -> Any:
        with self.store.transaction() as db:
            return repo.set_setting(db, self._pid(db), name, value)

    def state(self) -> ProgramState:
        return current_state(self.history(), self.catalog)

    def plan(self, today: dt.date) -> Plan:
        history = self.history()
        state = current_state(history, self.catalog)
        return build_plan(
            state, self.catalog, history.screening, list(self.settings()["session_days"]), today
        )

    def todays_session(self, today: dt.date) -> PlannedSession | None:
        return session_for(self.plan(today), today)

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
            return repo.add_set_once(db, session_id, log, key, may_add=may_add)

    def logged_sets(self, session_id: int) -> list[SetLog]:
        with self.store.transaction() as db:
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
        if history.checkins:
            baseline = checkin_level(history.checkins[-1])
        else:
            baseline = max((p.score for p in history.screening.pain.values()), default=0)
        spike = self.catalog.rules.red_flags.recheck_pain_spike
        return max(pain.values(), default=0) >= baseline + spike

    def red_flags_due(self, today: dt.date, every_days: int = 7) -> bool:
        """Whether the weekly red-flag re-check is due (screening or check-in that asked them)."""
        history = self.history()
        screened = history.latest_screening_on or history.screened_on
        asked = [screened, *(c.day for c in history.checkins if c.red_flags)]
        return (today - max(asked)).days >= every_days

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
        self._writable(today, "today")
        decision = decide(self.history(), self.catalog, today)
        with self.store.transaction() as db:
            repo.add_decision(db, self._pid(db), decision)
        return decision

    def decisions(self) -> list[Decision]:
        with self.store.transaction() as db:
            return repo.decisions(db, self._pid(db))

    def progress(self, today: dt.date) -> ProgressSummary:
        return summarize(self.history(), self.catalog, list(self.settings()["session_days"]), today)

    # --- hand-off exports ---------------------------------------------------------------

    def desk_bouts(self) -> list[DeskBout]:
        """Every sitting bout the desk coach recorded for this person, oldest first."""
        with self.store.transaction() as db:
            return [
                DeskBout(row.start, row.end, row.seconds, row.cause, row.reminders)
                for row in desk_repo.bouts(db, self._pid(db))
            ]
