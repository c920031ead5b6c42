"""Read-only queries the web app needs that the repository does not offer.

Each takes an open SQLAlchemy session (from ``Store.transaction()``), like the repository.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from glutecoach.store import repository as repo
from glutecoach.store.tables import (
    CheckInRow,
    ClearanceRow,
    DecisionRow,
    ScreeningRow,
    SessionRow,
    SetRow,
    SettingRow,
)


@dataclass(frozen=True)
class SessionInfo:
    id: int
    day: dt.date
    completed: bool


def session_info(db: Session, person: str, session_id: int) -> SessionInfo | None:
    """The session ``session_id`` if it belongs to ``person``."""
    pid = repo.person_id(db, person)
    if pid is None:
        return None
    row = db.get(SessionRow, session_id)
    if row is None or row.person_id != pid:
        return None
    return SessionInfo(id=row.id, day=row.performed_on, completed=row.completed)


def sessions_on(db: Session, person: str, day: dt.date) -> list[SessionInfo]:
    """Every session of ``day`` (open or finished), oldest first, without creating one."""
    pid = repo.person_id(db, person)
    if pid is None:
        return []
    rows = db.execute(
        select(SessionRow.id, SessionRow.completed)
        .where(SessionRow.person_id == pid, SessionRow.performed_on == day)
        .order_by(SessionRow.id)
    )
    return [SessionInfo(id=r.id, day=day, completed=r.completed) for r in rows]


def fingerprint(db: Session, person: str) -> tuple[object, ...] | None:
    """Changes whenever anything the progress summary reads changes (for caching it)."""
    pid = repo.person_id(db, person)
    if pid is None:
        return None
    parts: list[object] = []
    for table in (ScreeningRow, SessionRow, CheckInRow, ClearanceRow, DecisionRow):
        parts.append(db.scalar(select(func.max(table.id)).where(table.person_id == pid)))
    parts.append(
        db.scalar(
            select(func.count())
            .select_from(SessionRow)
            .where(SessionRow.person_id == pid, SessionRow.completed.is_(True))
        )
    )
    parts.append(
        db.scalar(
            select(func.max(SetRow.id))
            .join(SessionRow, SetRow.session_id == SessionRow.id)
            .where(SessionRow.person_id == pid)
        )
    )
    settings = db.execute(
        select(SettingRow.key, SettingRow.value).where(SettingRow.person_id == pid)
    )
    parts.append(tuple(sorted((k, repr(v)) for k, v in settings)))
    return tuple(parts)
