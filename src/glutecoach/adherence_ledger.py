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
from dataclasses import dataclass, field

from glutecoach.core.adherence import (
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
from glutecoach.core.models import History, Prescription, ProgramState
from glutecoach.core.progression.state import current_state, initial_state


@dataclass
class CreditLedger:
    """The settled part of one person's adherence by sets. Not thread-safe on its own: the
    progress ledger calls it under its lock."""

    settled_sessions: int = 0  # history.sessions[:settled_sessions] are counted in ``tally``
    tally: dict[dt.date, WeekTally] = field(default_factory=dict)
    decisions_seen: int = 0
    last_state: ProgramState | None = None  # the state of the last decision seen
    pending: dict[dt.date, deque[ProgramState]] = field(default_factory=lambda: defaultdict(deque))

    def done_per_week(
        self, history: History, catalog: Catalog, settled_upto: int
    ) -> dict[dt.date, WeekTally]:
        """Sessions done per week (the Monday's date -> tally), as ``done_per_week`` gives.

        ``history`` extends what this ledger saw (the caller checks that); the sessions before
        ``settled_upto`` are settled days (their sets, completion and day will not change).
        """
        self._queue_new_decisions(history, catalog)
        rest = self._credits_after(history, catalog, settled_upto)
        if not rest:
            return dict(self.tally)
        return merge_tallies(self.tally, tally_per_week(rest))

    def _queue_new_decisions(self, history: History, catalog: Catalog) -> None:
        """Each decision queues, for every day it weighed, the state in force before it."""
        for decision in history.decisions[self.decisions_seen :]:
            prior = self.last_state
            if prior is None:
                prior = initial_state(history, catalog)
            for day in decision.weighed:
                self.pending[day].append(prior)
            self.last_state = decision.state
        self.decisions_seen = len(history.decisions)

    def _credits_after(
        self, history: History, catalog: Catalog, settled_upto: int
    ) -> list[SessionCredit]:
        """The credits of the sessions after the settled ones; settles those it can (a
        settled day, weighed by a decision, every earlier session settled too)."""
        current = current_state(history, catalog)
        retests = self_tests_by_day(history)
        prescriptions: dict[tuple[object, ...], tuple[Prescription, ...]] = {}
        taken: dict[dt.date, int] = defaultdict(int)  # priors used by unsettled sessions
        settling = True
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
                self.settled_sessions = index + 1
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
        return rest
