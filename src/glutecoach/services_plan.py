"""The program's state and the week's plan, and the dashboard's numbers (a part of
:class:`glutecoach.services.Coach`).

The plan rests on the decisions, the check-ins and the sessions from the last training day
on; the adherence numbers on every session's outline. So when the whole history is not held
in memory (the first page after a start, or a command), they are worked out from those
(:mod:`glutecoach.store.outline`) instead of building every set of the history; the results
are the same (tests/test_light_dashboard.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import Decision, Equipment, History, Plan, PlannedSession, ProgramState
from glutecoach.core.plan import build_plan, session_for
from glutecoach.core.progress import Overview, done_per_week, overview
from glutecoach.core.progression import (
    active_override,
    current_state,
    latest_self_tests,
    override_line,
    planning_state,
)
from glutecoach.errors import InputError
from glutecoach.history_cache import HistoryCache
from glutecoach.inputs import FIRST_DAY
from glutecoach.settings import owned_from_text
from glutecoach.store import outline, reader
from glutecoach.store import repository as repo
from glutecoach.store.db import Store
from glutecoach.store.fingerprint import Marks


class NotScreened(InputError):
    def __init__(self) -> None:
        super().__init__("no screening yet: run `glutecoach screen` first")


def with_what_they_own(history: History, settings: dict[str, Any]) -> History:
    """``history`` with the equipment the person's settings say they have now."""
    owned = owned_from_text(settings.get("owned_equipment", "")) or history.screening.owned
    return history.model_copy(
        update={"equipment": tuple(Equipment(e) for e in settings["equipment"]), "owned": owned}
    )


class PlanViews:
    """The state, plan and dashboard numbers of one person (``Coach`` provides the rest)."""

    store: Store
    catalog: Catalog
    _cache: HistoryCache | None
    _person_id: int | None

    def _pid(self, db: Any) -> int:
        raise NotImplementedError

    def _hint(self, pid: int) -> Marks | None:
        raise NotImplementedError

    def _history_in(self, db: Any, pid: int, settings: dict[str, Any] | None = None) -> History:
        raise NotImplementedError

    def _head(self, db: Any, pid: int) -> tuple[History, dict[str, Any]]:
        """The program's state rests on the screening and the last decision only: a History
        of just those (not the whole history), and the store's other head data."""
        head = reader.program_head(db, pid)
        if head is None:
            raise NotScreened()
        last = head["last_decision"]
        history = History.model_validate(
            {
                "screening": head["screening"],
                "screened_on": head["screened_on"],
                "latest_screening_on": head["latest_screening_on"],
                "decisions": [last] if last is not None else [],
            }
        )
        return history, head

    def _planning_history(
        self, db: Any, pid: int, settings: dict[str, Any], today: dt.date
    ) -> tuple[History, bool]:
        """What the plan of ``today`` rests on, and whether it is the whole history: the
        whole one when it is held in memory, else the history with only its sessions from the
        last training day up to ``today`` on (a break is measured from that day; the rest
        comes from the decisions and check-ins, read whole)."""
        if self._cache is not None and self._cache.holds(pid):
            return self._history_in(db, pid, settings), True
        since = outline.last_trained_day(db, pid, today) or FIRST_DAY
        data = reader.history_data_for(db, pid, since)
        if data is None:
            raise NotScreened()
        _ids, sessions = reader.split_ids(data["sessions"])
        history = History.model_validate({**data, "sessions": sessions})
        return with_what_they_own(history, settings), False

    def state(self) -> ProgramState:
        with self.store.transaction() as db:
            head, _ = self._head(db, self._pid(db))
        return current_state(head, self.catalog)

    def plan(self, today: dt.date) -> Plan:
        """The week's plan; during a break, at the reduced dose a return would get."""
        with self.store.transaction() as db:
            pid = self._pid(db)
            settings = repo.get_settings(db, pid)
            history, _whole = self._planning_history(db, pid, settings, today)
        return self.plan_from(history, list(settings["session_days"]), today)

    def plan_from(self, history: History, session_days: list[int], today: dt.date) -> Plan:
        """The plan for an already-read ``history`` (one read serves several views)."""
        state = planning_state(history, self.catalog, today)
        plan = build_plan(
            state, self.catalog, history.screening, session_days, today, latest_self_tests(history)
        )
        override = active_override(history)  # "Your physio set this", first in the notes
        if override is None or state.stopped:
            return plan
        return plan.model_copy(update={"notes": (override_line(override), *plan.notes)})

    def overview(self, today: dt.date) -> tuple[Overview, Decision | None, Plan]:
        """The dashboard's numbers, last decision and plan from one read: the sessions done
        are weighed against their prescriptions, and a break changes the dose."""
        with self.store.transaction() as db:
            pid = self._pid(db)
            settings = repo.get_settings(db, pid)
            history, whole = self._planning_history(db, pid, settings, today)
            if whole and self._cache is not None:
                done = self._cache.ledger(pid).done_per_week(history, self.catalog)
            else:  # every session's outline: no set is built
                outlines = outline.session_outlines(db, pid)
                done = done_per_week(history, self.catalog, sessions=outlines)
        session_days = list(settings["session_days"])
        state = current_state(history, self.catalog)
        numbers = overview(state, done, history.screened_on, session_days, today)
        plan = self.plan_from(history, session_days, today)
        return numbers, history.decisions[-1] if history.decisions else None, plan

    def read_history_later(self) -> None:
        """Read the person's whole history on a background thread, unless it is held: for a
        long-running app after a page worked out without it, once that page is sent (so that
        it does not compete with the page), since the next pages (the session, the progress
        charts) need it. Nothing without a cache or before the person was looked up."""
        pid = self._person_id
        if self._cache is not None and pid is not None:
            self._cache.load_later(self.store, pid)

    def todays_session(self, today: dt.date) -> PlannedSession | None:
        return session_for(self.plan(today), today)
