"""The one place that turns domain values into rows and back.

Every function takes an open SQLAlchemy session (from ``Store.transaction()``) so that callers
decide the unit of work: a set logged is committed on its own, so a crash loses nothing logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from glutecoach.core.models import (
    CheckIn,
    Clearance,
    Decision,
    History,
    ScreeningAnswers,
    ScreeningResult,
    SessionLog,
    SetLog,
)
from glutecoach.settings import load_settings, parse_setting
from glutecoach.store import reader
from glutecoach.store.people import ensure_person as ensure_person
from glutecoach.store.people import list_people as list_people
from glutecoach.store.people import lock_person as lock_person
from glutecoach.store.people import person_id as person_id
from glutecoach.store.tables import (
    OPEN_SESSION_WHERE,
    CheckInRow,
    ClearanceRow,
    DecisionRow,
    ScreeningRow,
    SessionRow,
    SetRow,
    SettingRow,
)
from glutecoach.store.upsert import insert_unless_exists

# The people functions live in store/people.py (the fast readers need them without the rest).


# --- settings -------------------------------------------------------------------------------


def get_settings(db: Session, pid: int) -> dict[str, Any]:
    """Every setting: the stored ones validated (a bad one is refused, naming it and the
    database), defaults for the rest."""
    rows = db.execute(select(SettingRow.key, SettingRow.value).where(SettingRow.person_id == pid))
    return load_settings({key: value for key, value in rows}, _database_name(db))


def _database_name(db: Session) -> str:
    bind = db.get_bind()
    url = bind.engine.url
    if url.get_backend_name() == "sqlite":
        return f"the database {url.database}"
    return f"the database {url.render_as_string(hide_password=True)}"


def stored_settings(db: Session, pid: int) -> dict[str, Any]:
    """Only the settings the person changed (defaults are not stored)."""
    rows = db.scalars(
        select(SettingRow).where(SettingRow.person_id == pid).order_by(SettingRow.key)
    )
    return {row.key: row.value for row in rows}


def set_setting(db: Session, pid: int, name: str, value: Any) -> Any:
    parsed = parse_setting(name, value)
    row = db.scalar(select(SettingRow).where(SettingRow.person_id == pid, SettingRow.key == name))
    if row is None:
        db.add(SettingRow(person_id=pid, key=name, value=parsed))
    else:
        row.value = parsed
    return parsed


# --- screening ------------------------------------------------------------------------------


def save_screening(
    db: Session, pid: int, day: dt.date, answers: ScreeningAnswers, result: ScreeningResult
) -> int:
    row = ScreeningRow(
        person_id=pid,
        taken_on=day,
        answers=answers.model_dump(mode="json"),
        result=result.model_dump(mode="json"),
    )
    db.add(row)
    db.flush()
    return row.id


def has_screening(db: Session, pid: int | None) -> bool:
    if pid is None:
        return False
    found = db.scalar(select(ScreeningRow.id).where(ScreeningRow.person_id == pid).limit(1))
    return found is not None


def latest_screening(db: Session, pid: int) -> tuple[ScreeningAnswers, ScreeningResult] | None:
    row = db.scalar(
        select(ScreeningRow)
        .where(ScreeningRow.person_id == pid)
        .order_by(ScreeningRow.taken_on.desc(), ScreeningRow.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return (
        ScreeningAnswers.model_validate(row.answers),
        ScreeningResult.model_validate(row.result),
    )


def all_screening_entries(
    db: Session, pid: int
) -> list[tuple[dt.date, ScreeningAnswers, ScreeningResult]]:
    rows = db.scalars(
        select(ScreeningRow).where(ScreeningRow.person_id == pid).order_by(ScreeningRow.id)
    )
    return [
        (
            r.taken_on,
            ScreeningAnswers.model_validate(r.answers),
            ScreeningResult.model_validate(r.result),
        )
        for r in rows
    ]


def has_data(db: Session, pid: int) -> bool:
    for table in (ScreeningRow, SessionRow, CheckInRow, DecisionRow):
        if db.scalar(select(table.id).where(table.person_id == pid).limit(1)) is not None:
            return True
    return False


# --- sessions and sets ----------------------------------------------------------------------


def open_session(db: Session, pid: int, day: dt.date, phase: int) -> int:
    """The unfinished session of ``day`` (to resume), or a new one.

    Race-free: the partial unique index on open sessions decides, so parallel calls all get
    the same session (never two open sessions for one day).
    """
    query = select(SessionRow.id).where(
        SessionRow.person_id == pid,
        SessionRow.performed_on == day,
        SessionRow.completed.is_(False),
    )
    existing = db.scalar(query)
    if existing is not None:
        return existing
    values = {"person_id": pid, "performed_on": day, "phase": phase, "completed": False}
    created = insert_unless_exists(
        db,
        SessionRow.__table__,  # type: ignore[arg-type]
        {**values, "notes": ""},
        ["person_id", "performed_on"],
        OPEN_SESSION_WHERE,
    )
    return created if created is not None else db.scalars(query).one()


def add_set(db: Session, session_id: int, log: SetLog) -> int:
    row = SetRow(session_id=session_id, **set_columns(log))
    db.add(row)
    db.flush()
    return row.id


def set_columns(log: SetLog) -> dict[str, Any]:
    data = log.model_dump(mode="json")
    return {
        "exercise_id": data["exercise_id"],
        "side": data["side"],
        "set_index": data["set_index"],
        "reps": data["reps"],
        "hold_seconds": data["hold_seconds"],
        "load_kg": data["load_kg"],
        "rpe": data["rpe"],
        "felt_in": data["felt_in"],
        "felt_main": data["felt_main"],
        "pain": data["pain"],
        "form": data["form"],
    }


def finish_session(db: Session, session_id: int, notes: str = "") -> None:
    row = db.get(SessionRow, session_id)
    if row is None:
        raise LookupError(f"no session {session_id}")
    row.completed = True
    if notes:
        row.notes = notes


def save_session(db: Session, pid: int, log: SessionLog) -> int:
    """Store a whole session at once (import, simulate, quick log).

    An unfinished session joins the day's open one, if there is one (one open session per
    day), keeping every set.
    """
    if not log.completed:
        session_id = open_session(db, pid, log.performed_on, int(log.phase))
        for logged in log.sets:
            add_set(db, session_id, logged)
        return session_id
    row = SessionRow(
        person_id=pid,
        performed_on=log.performed_on,
        phase=int(log.phase),
        completed=log.completed,
        notes=log.notes,
    )
    row.sets = [SetRow(**set_columns(s)) for s in log.sets]
    db.add(row)
    db.flush()
    return row.id


def _session_from_row(row: SessionRow) -> SessionLog:
    return SessionLog.model_validate(
        {
            "performed_on": row.performed_on,
            "phase": row.phase,
            "completed": row.completed,
            "notes": row.notes,
            "sets": [_set_fields(s) for s in row.sets],
        }
    )


def _set_fields(s: SetRow) -> dict[str, Any]:
    return {
        "exercise_id": s.exercise_id,
        "side": s.side,
        "set_index": s.set_index,
        "reps": s.reps,
        "hold_seconds": s.hold_seconds,
        "load_kg": s.load_kg,
        "rpe": s.rpe,
        "felt_in": s.felt_in,
        "felt_main": s.felt_main,
        "pain": s.pain,
        "form": s.form,
    }


def set_from_row(row: SetRow) -> SetLog:
    return SetLog.model_validate(_set_fields(row))


def sessions(db: Session, pid: int, *, since: dt.date | None = None) -> list[SessionLog]:
    query = (
        select(SessionRow)
        .where(SessionRow.person_id == pid)
        .options(selectinload(SessionRow.sets))
        .order_by(SessionRow.performed_on, SessionRow.id)
    )
    if since is not None:
        query = query.where(SessionRow.performed_on >= since)
    return [_session_from_row(r) for r in db.scalars(query)]


def session_sets(db: Session, session_id: int) -> list[SetLog]:
    row = db.get(SessionRow, session_id)
    return list(_session_from_row(row).sets) if row else []


# --- check-ins, clearances, decisions -------------------------------------------------------


def add_checkin(db: Session, pid: int, checkin: CheckIn) -> int:
    data = checkin.model_dump(mode="json")
    row = CheckInRow(
        person_id=pid,
        day=checkin.day,
        morning=checkin.morning,
        pain=data["pain"],
        stiffness=checkin.stiffness,
        red_flags=data["red_flags"],
        self_tests=data["self_tests"],
    )
    db.add(row)
    db.flush()
    return row.id


def checkins(db: Session, pid: int) -> list[CheckIn]:
    rows = db.scalars(
        select(CheckInRow)
        .where(CheckInRow.person_id == pid)
        .order_by(CheckInRow.day, CheckInRow.id)
    )
    return [
        CheckIn.model_validate(
            {
                "day": r.day,
                "morning": r.morning,
                "pain": r.pain,
                "stiffness": r.stiffness,
                "red_flags": r.red_flags,
                "self_tests": r.self_tests,
            }
        )
        for r in rows
    ]


def add_clearance(db: Session, pid: int, clearance: Clearance) -> None:
    db.add(ClearanceRow(person_id=pid, day=clearance.day, note=clearance.note))


def clearances(db: Session, pid: int) -> list[Clearance]:
    rows = db.scalars(
        select(ClearanceRow).where(ClearanceRow.person_id == pid).order_by(ClearanceRow.id)
    )
    return [Clearance(day=r.day, note=r.note) for r in rows]


def add_decision(db: Session, pid: int, decision: Decision) -> None:
    db.add(
        DecisionRow(
            person_id=pid,
            day=decision.day,
            kind=decision.kind.value,
            body=decision.model_dump(mode="json"),
        )
    )


def decisions(db: Session, pid: int) -> list[Decision]:
    rows = db.scalars(
        select(DecisionRow).where(DecisionRow.person_id == pid).order_by(DecisionRow.id)
    )
    return [Decision.model_validate(r.body) for r in rows]


def load_history(db: Session, pid: int) -> History | None:
    """The person's whole history as core values, or None before the first screening."""
    data = reader.history_data_for(db, pid)
    if data is None:
        return None
    _ids, sessions = reader.split_ids(data["sessions"])
    return History.model_validate({**data, "sessions": sessions})
