"""The people in the store: found by name, created on first use, locked for a decision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.errors import InputError
from glutecoach.inputs import DEFAULT_PERSON, clean_person_name
from glutecoach.store.tables import PersonRow


def ensure_person(db: Session, name: str = DEFAULT_PERSON, *, now: dt.datetime) -> int:
    """Id of the person called ``name``, created on first use (the shared name rule applies)."""
    found = person_id(db, name)
    if found is not None:
        return found
    if clean_person_name(name, "person") != name:
        raise InputError("person: a person's name cannot start or end with spaces")
    row = PersonRow(name=name, created_at=now)
    db.add(row)
    db.flush()
    return row.id


def lock_person(db: Session, name: str = DEFAULT_PERSON, *, now: dt.datetime) -> int:
    """Id of the person called ``name`` (created on first use), their row locked until the
    transaction ends (``SELECT ... FOR UPDATE``; SQLite has no row locks: open the transaction
    with ``Store.transaction(write_lock=True)``)."""
    ensure_person(db, name, now=now)
    pid = db.scalar(select(PersonRow.id).where(PersonRow.name == name).with_for_update())
    assert pid is not None
    return pid


def person_id(db: Session, name: str = DEFAULT_PERSON) -> int | None:
    return db.scalar(select(PersonRow.id).where(PersonRow.name == name))


def list_people(db: Session) -> list[str]:
    return list(db.scalars(select(PersonRow.name).order_by(PersonRow.name)))
