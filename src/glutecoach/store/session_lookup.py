"""A person's sessions by day or by id, without reading the history (the web app's look-ups
before it opens, resumes or summarises a session)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.store.tables import SessionRow


@dataclass(frozen=True)
class SessionInfo:
    id: int
    day: dt.date
    completed: bool


def session_info(db: Session, pid: int | None, session_id: int) -> SessionInfo | None:
    """The session ``session_id`` if it belongs to the person ``pid`` (None: nobody yet)."""
    if pid is None:
        return None
    row = db.get(SessionRow, session_id)
    if row is None or row.person_id != pid:
        return None
    return SessionInfo(id=row.id, day=row.performed_on, completed=row.completed)


def sessions_on(db: Session, pid: int | None, day: dt.date) -> list[SessionInfo]:
    """The person's sessions of ``day`` (open or finished), oldest first (none for None)."""
    if pid is None:
        return []
    rows = db.execute(
        select(SessionRow.id, SessionRow.completed)
        .where(SessionRow.person_id == pid, SessionRow.performed_on == day)
        .order_by(SessionRow.id)
    )
    return [SessionInfo(id=r.id, day=day, completed=r.completed) for r in rows]
