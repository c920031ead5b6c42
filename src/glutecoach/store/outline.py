"""What a dashboard needs of a whole history, without building every set.

The week's plan rests on the program's state (the decisions), the check-ins and the sessions
from the last training day on (a break is measured from it); the adherence numbers rest on
each session's day, whether it was finished, and which exercise and side each of its sets
was (:class:`~glutecoach.core.adherence.SessionOutline`). Both are read here: the history
with only its recent sessions, and every session's outline (a few small columns per set,
each distinct key built once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session

from glutecoach.core.adherence import SessionOutline, SetKey
from glutecoach.core.models import Side
from glutecoach.inputs import FIRST_DAY, LAST_READABLE_DAY
from glutecoach.store.tables import SessionRow, SetRow

_SESSIONS, _SETS = SessionRow.__tablename__, SetRow.__tablename__
_WINDOW = {"first": FIRST_DAY, "last": LAST_READABLE_DAY}
_DAYS = (bindparam("first", type_=Date), bindparam("last", type_=Date))

_LAST_TRAINED = text(
    f"SELECT max(ss.performed_on) FROM {_SESSIONS} ss WHERE ss.person_id = :pid"
    " AND ss.completed = :yes AND ss.performed_on BETWEEN :first AND :today"
    f" AND EXISTS (SELECT 1 FROM {_SETS} s WHERE s.session_id = ss.id)"
).bindparams(bindparam("first", type_=Date), bindparam("today", type_=Date))

_OUTLINE_SESSIONS = text(
    f"SELECT ss.id, ss.performed_on, ss.completed FROM {_SESSIONS} ss"
    " WHERE ss.person_id = :pid AND ss.performed_on BETWEEN :first AND :last"
    " ORDER BY ss.performed_on, ss.id"
).bindparams(*_DAYS)

_SET_KEYS = text(
    f"SELECT s.session_id, s.exercise_id, s.side FROM {_SETS} s JOIN {_SESSIONS} ss"
    " ON s.session_id = ss.id WHERE ss.person_id = :pid"
    " AND ss.performed_on BETWEEN :first AND :last ORDER BY s.id"
).bindparams(*_DAYS)


def last_trained_day(db: Session, pid: int, today: dt.date) -> dt.date | None:
    """The last day up to ``today`` with a finished session that has sets (None: none yet)."""
    found: Any = db.execute(
        _LAST_TRAINED, {"pid": pid, "yes": True, "first": FIRST_DAY, "today": today}
    ).scalar()
    if found is None or isinstance(found, dt.date):
        return found
    return dt.date.fromisoformat(str(found))  # SQLite's aggregate hands back the ISO text


def session_outlines(db: Session, pid: int) -> list[SessionOutline]:
    """Every session of the person on a readable day, in the history's order, as outlines."""
    sessions = db.execute(_OUTLINE_SESSIONS, {"pid": pid, **_WINDOW}).all()
    keys: dict[int, list[SetKey]] = {row[0]: [] for row in sessions}
    made: dict[tuple[str, str], SetKey] = {}
    rows = db.execute(_SET_KEYS, {"pid": pid, **_WINDOW}).all()
    for session_id, exercise_id, side in rows:
        found = keys.get(session_id)
        if found is None:  # its session was written after the sessions were read
            continue
        key = made.get((exercise_id, side))
        if key is None:
            key = made[(exercise_id, side)] = SetKey(exercise_id, Side(side))
        found.append(key)
    shared: dict[tuple[SetKey, ...], tuple[SetKey, ...]] = {}
    out = []
    for session_id, day, completed in sessions:
        sets = tuple(keys[session_id])
        out.append(
            SessionOutline(
                performed_on=day if isinstance(day, dt.date) else dt.date.fromisoformat(day),
                completed=bool(completed),
                sets=shared.setdefault(sets, sets),
            )
        )
    return out
