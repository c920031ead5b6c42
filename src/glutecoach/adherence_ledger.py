"""Adherence by sets, grown with the history instead of worked out again on every write.

A session's credit (the share of its prescribed sets done) rests on the program state the
engine weighed it against and on the self-tests of its day. Once a decision has weighed a
session and its day is settled (see :mod:`glutecoach.progress_ledger`), neither can change:
decisions are only ever added, and later check-ins are on later days. The
:class:`CreditLedger` keeps the weekly tally of those settled credits and the priors that
later decisions queued for sessions still to come; each call works out only the credits of
the sessions after them (today's, and any not yet weighed). The result equals
:func:`glutecoach.core.progress.done_per_week` (tested, property-based too).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import is_
from typing import TypeVar

from glutecoach.core.adherence import (
    CreditWork,
    SessionCredit,
    WeekTally,
    merge_tallies,
    monday_of,
    self_tests_by_day,
    self_tests_on,
    session_credit,
    tally_per_week,
)
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    CheckIn,
    Decision,
    History,
    ProgramState,
    SessionLog,
)
from glutecoach.core.progression.state import current_state, initial_state

T = TypeVar("T")


def same_prefix(items: Sequence[T], prefix: tuple[T, ...]) -> bool:
    """Whether ``items`` starts with exactly these objects (identity, not equality)."""
    return len(items) >= len(prefix) and all(map(is_, items[: len(prefix)], prefix))


@dataclass
class CreditLedger:
    """The settled part of one person's adherence by sets. Not thread-safe on its own: the
    progress ledger calls it under its lock."""

    screening: object = None  # the screening it was built on (identity)
    sessions: tuple[SessionLog, ...] = ()  # the settled sessions, counted in ``tally``
    tally: dict[dt.date, WeekTally] = field(default_factory=dict)
    decisions: tuple[Decision, ...] = ()  # every decision seen (they never change)
    last_state: ProgramState | None = None  # the state of the last decision seen
    pending: dict[dt.date, deque[ProgramState]] = field(default_factory=lambda: defaultdict(deque))
    checkins: tuple[CheckIn, ...] = ()  # the check-ins seen when it last settled
    cut: dt.date | None = None  # every session before this day is settled, if weighed

    @property
    def settled_sessions(self) -> int:
        return len(self.sessions)

    def done_per_week(self, history: History, catalog: Catalog) -> dict[dt.date, WeekTally]:
        """Sessions done per week (the Monday's date -> tally), as ``done_per_week`` gives."""
        if not self._extends(history):
            self._reset(history)
        self._queue_new_decisions(history, catalog)
        rest = self._credits_after(history, catalog, self._settled_upto(history))
        self.checkins = history.checkins
        if not rest:
            return dict(self.tally)
        return merge_tallies(self.tally, tally_per_week(rest))

    def _reset(self, history: History) -> None:
        fresh = CreditLedger(screening=history.screening)
        self.__dict__.update(fresh.__dict__)

    def _extends(self, history: History) -> bool:
        """Whether ``history`` is what was seen plus later entries (the very same objects:
        the history cache keeps unchanged entries), with no check-in before the cut."""
        if history.screening is not self.screening:
            return False
        if not (
            same_prefix(history.sessions, self.sessions)
            and same_prefix(history.decisions, self.decisions)
            and same_prefix(history.checkins, self.checkins)
        ):
            return False
        later = history.checkins[len(self.checkins) :]
        return self.cut is None or all(c.day >= self.cut for c in later)

    def _settled_upto(self, history: History) -> int:
        """How many sessions are on settled days: before the latest day of the history and
        before the first unfinished session (a session's day, sets and end then stay)."""
        days = [history.screened_on]
        if history.sessions:
            days.append(max(s.performed_on for s in history.sessions))
        if history.checkins:
            days.append(max(c.day for c in history.checkins))
        cut = max(days)
        unfinished = [s.performed_on for s in history.sessions if not s.completed]
        if unfinished:
            cut = min(cut, *unfinished)
        if self.cut is None or cut > self.cut:
            self.cut = cut
        cut = self.cut
        upto = self.settled_sessions
        sessions = history.sessions
        while (
            upto < len(sessions) and sessions[upto].completed and sessions[upto].performed_on < cut
        ):
            upto += 1
        return upto

    def _queue_new_decisions(self, history: History, catalog: Catalog) -> None:
        """Each decision queues, for every day it weighed, the state in force before it."""
        for decision in history.decisions[len(self.decisions) :]:
            prior = self.last_state
            if prior is None:
                prior = initial_state(history, catalog)
            for day in decision.weighed:
                self.pending[day].append(prior)
            self.last_state = decision.state
        self.decisions = history.decisions

    def _credits_after(
        self, history: History, catalog: Catalog, settled_upto: int
    ) -> list[SessionCredit]:
        """The credits of the sessions after the settled ones; settles those it can (a
        settled day, weighed by a decision, every earlier session settled too)."""
        current = current_state(history, catalog)
        retests = self_tests_by_day(history)
        prescriptions = CreditWork()
        taken: dict[dt.date, int] = defaultdict(int)  # priors used by unsettled sessions
        settling = True
        newly: list[SessionLog] = []
        rest: list[SessionCredit] = []
        for index in range(self.settled_sessions, len(history.sessions)):
            session = history.sessions[index]
            day = session.performed_on
            settling = settling and index < settled_upto
            if session.sets:
                queue = self.pending.get(day)
                weighed = queue is not None and len(queue) > taken[day]
                state = queue[taken[day]] if queue is not None and weighed else current
                settling = settling and weighed
                if settling:
                    assert queue is not None
                    queue.popleft()
                else:
                    taken[day] += int(weighed)
            if settling:
                newly.append(session)
            if not session.sets or not session.completed:
                continue
            tests = self_tests_on(retests, history.screening.self_tests, day)
            credit = session_credit(session, state, tests, history, catalog, prescriptions)
            if settling:
                monday = monday_of(day)
                self.tally[monday] = self.tally.get(monday, WeekTally()) + WeekTally(
                    credit.share, int(credit.full)
                )
            else:
                rest.append(credit)
        self.sessions += tuple(newly)
        return rest
