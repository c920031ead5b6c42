"""Sets stored once per idempotency key: a client's retry (its answer was lost) never makes a
second row. The unique index on (session, key) decides, not a read before the write."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.core.models import SetLog
from glutecoach.errors import IdempotencyKeyReused
from glutecoach.store.repository import set_columns, set_from_row
from glutecoach.store.tables import SetRow
from glutecoach.store.upsert import insert_unless_exists


def _set_by_key(db: Session, session_id: int, key: str) -> tuple[int, SetLog] | None:
    row = db.scalars(
        select(SetRow).where(SetRow.session_id == session_id, SetRow.idempotency_key == key)
    ).one_or_none()
    return (row.id, set_from_row(row)) if row is not None else None


def _same_set(found: tuple[int, SetLog], log: SetLog) -> int:
    if found[1] != log:
        raise IdempotencyKeyReused(
            "Idempotency-Key: this key was already used for a different set in this session; "
            "send a new key for a new set"
        )
    return found[0]


def add_set_once(
    db: Session, session_id: int, log: SetLog, key: str, *, may_add: bool = True
) -> tuple[int, bool] | None:
    """Store ``log`` once per (session, ``key``): a retry returns the first id, unchanged.

    Returns (set id, whether it was stored now), or None when it is not there and
    ``may_add`` is false (a finished session). The same key with a different set is refused.
    """
    found = _set_by_key(db, session_id, key)
    if found is not None:
        return _same_set(found, log), False
    if not may_add:
        return None
    values = {"session_id": session_id, "idempotency_key": key, **set_columns(log)}
    table = SetRow.__table__
    created = insert_unless_exists(db, table, values, ["session_id", "idempotency_key"])  # type: ignore[arg-type]
    if created is not None:
        return created, True
    raced = _set_by_key(db, session_id, key)  # a parallel retry stored it first
    assert raced is not None
    return _same_set(raced, log), False


__all__ = ["IdempotencyKeyReused", "add_set_once"]  # the error lives in glutecoach.errors
