"""Fast read-only queries: a person's whole history in a handful of column queries, and the
rows added since a fingerprint (:mod:`glutecoach.store.fingerprint`; the web app's incremental
cache). The session look-ups by day or id are in :mod:`glutecoach.store.session_lookup`.

:func:`glutecoach.store.repository.load_history` uses :func:`history_data_for`. Each function
takes an open SQLAlchemy session (from ``Store.transaction()``), like the repository.

Rows dated outside the readable window (:func:`glutecoach.inputs.readable_day`, written by an
older glutecoach or by hand) are left out of the history, so one odd row never poisons the
engine; export reads through the repository and still carries them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import Session

from glutecoach.inputs import FIRST_DAY, LAST_READABLE_DAY, readable_day
from glutecoach.store.fingerprint import Marks
from glutecoach.store.people import person_id
from glutecoach.store.set_rows import SetInterner, sets_after
from glutecoach.store.tables import (
    CheckInRow,
    ClearanceRow,
    DecisionRow,
    ScreeningRow,
    SessionRow,
)


class _Json:
    """Decode JSON columns (text on SQLite, already decoded on PostgreSQL), memoising the
    few distinct small values (felt_in lists, pain dicts) that repeat thousands of times."""

    def __init__(self) -> None:
        self._seen: dict[str, Any] = {}

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if len(value) > 64:
            return json.loads(value)
        if value not in self._seen:
            self._seen[value] = json.loads(value)
        return self._seen[value]


def _raw(column: Any) -> Any:
    """A JSON column read as stored, so decoding happens once per distinct value."""
    return type_coerce(column, Text)


def program_head(db: Session, pid: int) -> dict[str, Any] | None:
    """What the program's state and plan rest on, without the whole history: the latest
    screening's answers, the first screening's day and the last decision (None before any).
    None before the first screening.
    """
    first = db.execute(
        select(ScreeningRow.taken_on)
        .where(ScreeningRow.person_id == pid)
        .order_by(ScreeningRow.taken_on, ScreeningRow.id)
        .limit(1)
    ).first()
    if first is None:
        return None
    latest = db.execute(
        select(ScreeningRow.taken_on, _raw(ScreeningRow.answers))
        .where(ScreeningRow.person_id == pid)
        .order_by(ScreeningRow.taken_on.desc(), ScreeningRow.id.desc())
        .limit(1)
    ).one()
    decision = db.execute(
        select(_raw(DecisionRow.body))
        .where(DecisionRow.person_id == pid)
        .order_by(DecisionRow.id.desc())
        .limit(1)
    ).first()
    decode = _Json()
    return {
        "screening": decode(latest[1]),
        "screened_on": first[0],
        "latest_screening_on": latest[0],
        "last_decision": decode(decision[0]) if decision is not None else None,
    }


def history_data(db: Session, person: str) -> dict[str, Any] | None:
    """:func:`history_data_for` the person called ``person``."""
    pid = person_id(db, person)
    if pid is None:
        return None
    return history_data_for(db, pid)


def history_data_for(
    db: Session, pid: int, sessions_since: dt.date = FIRST_DAY
) -> dict[str, Any] | None:
    """The person's whole history as data for ``History.model_validate`` (sets already as
    :class:`SetLog` values, each distinct row validated once: :mod:`glutecoach.store.set_rows`);
    only the sessions from ``sessions_since`` on, when given (see :mod:`glutecoach.store.outline`).

    Read with a handful of column queries instead of ORM objects: about five times faster on
    three years of history. Sessions carry their row ``id`` under ``"_id"`` (remove it
    before validating; :func:`split_ids` does).
    """
    screenings = db.execute(
        select(ScreeningRow.taken_on, _raw(ScreeningRow.answers))
        .where(ScreeningRow.person_id == pid)
        .order_by(ScreeningRow.id)
    ).all()
    if not screenings:
        return None
    decode = _Json()
    sane = [row for row in screenings if readable_day(row[0])]
    if sane:
        screenings = sane
    latest = max(range(len(screenings)), key=lambda i: (screenings[i][0], i))
    return {
        "latest_screening_on": _clamp(screenings[latest][0]),
        "screening": decode(screenings[latest][1]),
        "screened_on": _clamp(min(day for day, _ in screenings)),
        **rows_after(db, pid, None, decode, sessions_since=sessions_since),
    }


def _clamp(day: dt.date) -> dt.date:
    return min(max(day, FIRST_DAY), LAST_READABLE_DAY)


def _readable(column: Any) -> Any:
    return column.between(FIRST_DAY, LAST_READABLE_DAY)


def rows_after(
    db: Session,
    pid: int,
    marks: Marks | None,
    decode: Any = None,
    now: Marks | None = None,
    sessions_since: dt.date = FIRST_DAY,
) -> dict[str, list[dict[str, Any]]]:
    """Sessions, sets (inside their sessions), check-ins, clearances and decisions added
    after ``marks`` (all of them for None), each list in the repository's order. Given the
    current marks ``now``, tables without a newer row are not queried."""
    decode = decode or _Json()

    def after(table: str) -> int:
        return marks.max_id(table) if marks is not None else 0

    def grown(*tables: str) -> bool:
        return now is None or any(now.max_id(t) > after(t) for t in tables)

    out: dict[str, list[dict[str, Any]]] = {
        "sessions": [],
        "checkins": [],
        "clearances": [],
        "decisions": [],
    }
    if grown("sessions", "sets"):
        out["sessions"] = _sessions(
            db, pid, after("sessions"), after("sets"), decode, sessions_since
        )
    if grown("checkins"):
        out["checkins"] = _checkins(db, pid, after("checkins"), decode)
    if grown("clearances"):
        out["clearances"] = [
            {"day": r.day, "note": r.note}
            for r in db.execute(
                select(ClearanceRow.day, ClearanceRow.note)
                .where(
                    ClearanceRow.person_id == pid,
                    ClearanceRow.id > after("clearances"),
                    _readable(ClearanceRow.day),
                )
                .order_by(ClearanceRow.id)
            )
        ]
    if grown("decisions"):
        out["decisions"] = [
            decode(body)
            for (body,) in db.execute(
                select(_raw(DecisionRow.body))
                .where(
                    DecisionRow.person_id == pid,
                    DecisionRow.id > after("decisions"),
                    _readable(DecisionRow.day),
                )
                .order_by(DecisionRow.id)
            )
        ]
    return out


def sessions_by_id(db: Session, pid: int, ids: list[int]) -> dict[int, tuple[bool, str]]:
    """Finished flag and notes of these sessions (the fields finishing a session updates)."""
    if not ids:
        return {}
    rows = db.execute(
        select(SessionRow.id, SessionRow.completed, SessionRow.notes).where(
            SessionRow.person_id == pid, SessionRow.id.in_(ids)
        )
    )
    return {r.id: (bool(r.completed), r.notes) for r in rows}


def _sessions(
    db: Session, pid: int, after_session: int, after_set: int, decode: _Json, since: dt.date
) -> list[dict[str, Any]]:
    """New sessions (from the day ``since``) with all their sets, plus (as stubs with only
    ``_id`` and ``sets``) older sessions that received new sets."""
    sessions: dict[int, dict[str, Any]] = {}
    for r in db.execute(
        select(
            SessionRow.id,
            SessionRow.performed_on,
            SessionRow.phase,
            SessionRow.completed,
            SessionRow.notes,
        )
        .where(
            SessionRow.person_id == pid,
            SessionRow.id > after_session,
            _readable(SessionRow.performed_on),
            SessionRow.performed_on >= since,
        )
        .order_by(SessionRow.performed_on, SessionRow.id)
    ):
        sessions[r.id] = {
            "_id": r.id,
            "performed_on": r.performed_on,
            "phase": r.phase,
            "completed": r.completed,
            "notes": r.notes,
            "sets": [],
        }
    intern = SetInterner(decode)
    for session_id, log in sets_after(db, pid, after_set, intern, since):
        session = sessions.get(session_id)
        if session is None:
            if session_id > after_session:  # written after the sessions were read: its
                continue  # session and sets come with the next read (the marks differ)
            session = sessions[session_id] = {"_id": session_id, "sets": []}
        session["sets"].append(log)
    return list(sessions.values())


def split_ids(sessions: list[dict[str, Any]]) -> tuple[list[int], list[dict[str, Any]]]:
    """Session row ids and the sessions without them (ready to validate)."""
    ids = [s["_id"] for s in sessions]
    return ids, [{k: v for k, v in s.items() if k != "_id"} for s in sessions]


def _checkins(db: Session, pid: int, after: int, decode: _Json) -> list[dict[str, Any]]:
    query = (
        select(
            CheckInRow.day,
            CheckInRow.morning,
            _raw(CheckInRow.pain),
            CheckInRow.stiffness,
            _raw(CheckInRow.red_flags),
            _raw(CheckInRow.self_tests),
        )
        .where(CheckInRow.person_id == pid, CheckInRow.id > after, _readable(CheckInRow.day))
        .order_by(CheckInRow.day, CheckInRow.id)
    )
    return [
        {
            "day": r[0],
            "morning": r[1],
            "pain": decode(r[2]),
            "stiffness": r[3],
            "red_flags": decode(r[4]),
            "self_tests": decode(r[5]),
        }
        for r in db.execute(query)
    ]
