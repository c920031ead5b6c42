"""Adherence by sets: how much of each session's prescription was done.

Finishing after 1 of 18 prescribed sets is not a done session. A finished session earns the
share of its prescribed sets that were done (each prescription, exercise and side, counts at
most its own sets: 18 bridges do not stand in for the clamshells); a session counts as *done*
only when every prescribed set was. The prescription is the one the session was done under:
the program state the engine weighed it against (or the current state, before it is weighed)
and the self-tests of that day, which decide the extra sets for a weaker side.

Shares are exact fractions, so that adding weeks up in any order (the progress ledger adds
the settled part and the rest) gives the same numbers as adding them all at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple, Protocol

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    History,
    Prescription,
    ProgramState,
    SelfTests,
    SessionLog,
    Side,
)
from glutecoach.core.plan import SESSION_ROLES, session_prescriptions
from glutecoach.core.progression.state import current_state, initial_state


@dataclass(frozen=True)
class SessionCredit:
    """One finished session: the share of its prescribed sets done (0..1), and whether all were."""

    day: dt.date
    share: Fraction
    full: bool


@dataclass(frozen=True)
class WeekTally:
    """The finished sessions of one week: session-equivalents done, and whole sessions done."""

    credit: Fraction = Fraction(0)
    full: int = 0

    def __add__(self, other: WeekTally) -> WeekTally:
        return WeekTally(self.credit + other.credit, self.full + other.full)


class SetLike(Protocol):
    """What adherence reads of a set: which prescription it can fill."""

    @property
    def exercise_id(self) -> str: ...

    @property
    def side(self) -> Side: ...


class SessionLike(Protocol):
    """What adherence reads of a session (a :class:`SessionLog`, or its outline)."""

    @property
    def performed_on(self) -> dt.date: ...

    @property
    def completed(self) -> bool: ...

    @property
    def sets(self) -> Sequence[SetLike]: ...


class SetKey(NamedTuple):
    """A set as adherence sees it: its exercise and side (what a prescription is matched on)."""

    exercise_id: str
    side: Side


@dataclass(frozen=True, slots=True)
class SessionOutline:
    """A session as adherence sees it: its day, whether it was finished, and its sets' keys,
    in the order logged. Read without the sets' other columns, so that the adherence of a
    whole history is worked out without building every set."""

    performed_on: dt.date
    completed: bool
    sets: tuple[SetKey, ...]


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def sets_share(session: SessionLike, prescriptions: Sequence[Prescription]) -> Fraction:
    """The share of the prescribed sets done in ``session`` (0..1).

    A logged set fills its own prescription (same exercise and side) up to that prescription's
    sets; a set of a prescribed exercise on a side not prescribed fills that exercise's
    remaining room; the sets of an exercise that was not prescribed at all (a substitute)
    stand in for one prescribed exercise, the one with the most sets left. Without a
    prescription (a paused program) a session with sets is whole.
    """
    room: dict[tuple[str, str], int] = {}  # sides as Side members (each equal to its str)
    for p in prescriptions:
        key = (p.exercise_id, p.side)
        room[key] = room.get(key, 0) + p.sets
    prescribed = sum(room.values())
    if prescribed == 0:
        return Fraction(1 if session.sets else 0)
    done = 0
    other_side: dict[str, int] = defaultdict(int)
    substitutes: dict[str, int] = defaultdict(int)
    for log in session.sets:
        key = (log.exercise_id, log.side)
        if key in room:  # its own prescription; sets beyond it are extra, not a stand-in
            if room[key] > 0:
                room[key] -= 1
                done += 1
        elif any(exercise == log.exercise_id for exercise, _ in room):
            other_side[log.exercise_id] += 1
        else:
            substitutes[log.exercise_id] += 1
    for exercise, count in other_side.items():
        done += _fill(room, exercise, count)
    for count in substitutes.values():  # each stands in for one prescribed exercise at most
        left = _room_per_exercise(room)
        if left:
            exercise = max(left, key=lambda e: left[e])
            done += _fill(room, exercise, count)
    return Fraction(min(done, prescribed), prescribed)


def _room_per_exercise(room: Mapping[tuple[str, str], int]) -> dict[str, int]:
    left: dict[str, int] = defaultdict(int)
    for (exercise, _), n in room.items():
        if n > 0:
            left[exercise] += n
    return dict(left)


def _fill(room: dict[tuple[str, str], int], exercise: str, count: int) -> int:
    """Fill up to ``count`` of ``exercise``'s remaining sets (any side); how many were."""
    filled = 0
    for key in [k for k in room if k[0] == exercise]:
        taken = min(room[key], count - filled)
        room[key] -= taken
        filled += taken
    return filled


def _states_before(history: History, catalog: Catalog) -> dict[dt.date, deque[ProgramState]]:
    """Per day, the states in force for the sessions the decisions weighed, in order."""
    before: dict[dt.date, deque[ProgramState]] = defaultdict(deque)
    decisions = history.decisions
    for index, decision in enumerate(decisions):
        if not decision.weighed:
            continue
        prior = decisions[index - 1].state if index else initial_state(history, catalog)
        for day in decision.weighed:
            before[day].append(prior)
    return before


def self_tests_by_day(history: History) -> list[tuple[dt.date, SelfTests]]:
    """The check-ins' self-tests (retests), in history order."""
    return [(c.day, c.self_tests) for c in history.checkins if c.self_tests is not None]


def self_tests_on(
    retests: Sequence[tuple[dt.date, SelfTests]], screening: SelfTests, day: dt.date
) -> SelfTests:
    """The self-tests in force on ``day``: the last retest up to it, else the screening's."""
    tests = screening
    for retest_day, retest in retests:
        if retest_day > day:
            break
        tests = retest
    return tests


@dataclass
class CreditWork:
    """Work shared by the credits of one history: the prescriptions by what their set counts
    rest on, and the shares of session outlines already matched against them."""

    prescribed: dict[tuple[object, ...], tuple[Prescription, ...]] = field(default_factory=dict)
    shares: dict[tuple[object, ...], Fraction] = field(default_factory=dict)


def session_credit(
    session: SessionLike,
    state: ProgramState,
    tests: SelfTests,
    history: History,
    catalog: Catalog,
    cache: CreditWork,
) -> SessionCredit:
    """One finished session's credit under the state in force and the self-tests of its day
    (``cache``: prescriptions already worked out, by what their set counts rest on)."""
    key = (_set_counts_key(state), id(tests))
    if key not in cache.prescribed:
        cache.prescribed[key] = session_prescriptions(
            state, catalog, history.screening, SESSION_ROLES, tests
        )
    if isinstance(session, SessionOutline):  # equal outlines (the same plan done the same
        found = cache.shares.get((key, session.sets))  # way) share the work
        share = found if found is not None else sets_share(session, cache.prescribed[key])
        cache.shares[(key, session.sets)] = share
    else:
        share = sets_share(session, cache.prescribed[key])
    return SessionCredit(session.performed_on, share, share == 1)


def _set_counts_key(state: ProgramState) -> tuple[tuple[str, str, int], ...]:
    """What a state's prescribed set counts rest on (loads and reps do not change them)."""
    return tuple((e.slot, e.exercise_id, e.sets) for e in state.exercises)


Memo = dict[int, tuple[SessionLog, ProgramState, SelfTests, SessionCredit]]
"""A caller's store of credits already worked out, by the session's identity: one is reused
only for the very same session, state in force and self-tests (see the progress ledger)."""


def session_credits(
    history: History,
    catalog: Catalog,
    memo: Memo | None = None,
    sessions: Sequence[SessionLike] | None = None,
) -> list[SessionCredit]:
    """Every finished session with sets, in history order, with its share of sets done.

    ``memo`` (kept by a caller across calls) spares working out again the credits of
    sessions whose state in force and self-tests have not changed. ``sessions``: the
    history's sessions as outlines (:class:`SessionOutline`), when the history was read
    without them; the result is the same.
    """
    before = _states_before(history, catalog)
    current = current_state(history, catalog)
    retests = self_tests_by_day(history)
    cache = CreditWork()
    fresh: Memo = {}
    credits = []
    for session in history.sessions if sessions is None else sessions:
        if not session.sets:
            continue
        queue = before.get(session.performed_on)
        state = queue.popleft() if queue else current
        if not session.completed:
            continue
        tests = self_tests_on(retests, history.screening.self_tests, session.performed_on)
        known = memo.get(id(session)) if memo is not None else None
        if known is not None and known[0] is session and known[1] is state and known[2] is tests:
            credit = known[3]
        else:
            credit = session_credit(session, state, tests, history, catalog, cache)
        if isinstance(session, SessionLog):
            fresh[id(session)] = (session, state, tests, credit)
        credits.append(credit)
    if memo is not None:
        memo.clear()
        memo.update(fresh)
    return credits


def tally_per_week(credits: Iterable[SessionCredit]) -> dict[dt.date, WeekTally]:
    """The credits added up per week (keyed by its Monday)."""
    weeks: dict[dt.date, WeekTally] = defaultdict(WeekTally)
    for credit in credits:
        monday = monday_of(credit.day)
        weeks[monday] = weeks[monday] + WeekTally(credit.share, int(credit.full))
    return dict(weeks)


def merge_tallies(*parts: Mapping[dt.date, WeekTally]) -> dict[dt.date, WeekTally]:
    merged: dict[dt.date, WeekTally] = defaultdict(WeekTally)
    for part in parts:
        for monday, tally in part.items():
            merged[monday] = merged[monday] + tally
    return dict(merged)
