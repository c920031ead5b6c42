"""Races and retries, on SQLite and PostgreSQL: one open session per day (a unique index, not a
check-then-insert) and sets stored once per idempotency key; the migration that adds them
merges the duplicate open sessions older versions could leave, losing no set."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from builders import MONDAY, answers
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import SetLog
from glutecoach.errors import IdempotencyKeyReused
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.db import Store, code_head, database_revision, open_store
from glutecoach.store.tables import SessionRow, SetRow

NOW = dt.datetime(2026, 1, 5, 8, 0)
A_SET = SetLog(exercise_id="glute_bridge", set_index=1, reps=10, rpe=6, pain=1)


def _url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def _open_sessions(store: Store) -> int:
    with store.transaction() as db:
        query = select(func.count()).select_from(SessionRow).where(SessionRow.completed.is_(False))
        return int(db.scalar(query) or 0)


def test_parallel_opens_give_one_session(store: Store, catalog: Catalog) -> None:
    Coach(store, catalog).screen(answers(), MONDAY)
    writers = [open_store(_url(store)) for _ in range(6)]
    start = threading.Barrier(len(writers))
    ids: list[int] = []
    errors: list[BaseException] = []

    def open_one(writer: Store) -> None:
        try:
            start.wait()
            ids.append(Coach(writer, catalog).open_session(MONDAY))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for writer in writers:
        writer.close()
    assert not errors, errors
    assert len(ids) == 6 and len(set(ids)) == 1
    assert _open_sessions(store) == 1


def test_the_database_itself_refuses_a_second_open_session(store: Store) -> None:
    with store.transaction() as db:
        pid = repo.ensure_person(db, "ana", now=NOW)
        repo.open_session(db, pid, MONDAY, 1)
    with pytest.raises(IntegrityError), store.transaction() as db:
        db.add(SessionRow(person_id=pid, performed_on=MONDAY, phase=1, completed=False, notes=""))
    with store.transaction() as db:  # finished sessions of the same day are fine
        db.add(SessionRow(person_id=pid, performed_on=MONDAY, phase=1, completed=True, notes=""))
        db.add(SessionRow(person_id=pid, performed_on=MONDAY, phase=1, completed=True, notes=""))
    assert _open_sessions(store) == 1


def test_a_retried_set_is_stored_once(store: Store, catalog: Catalog) -> None:
    coach = Coach(store, catalog)
    coach.screen(answers(), MONDAY)
    session_id = coach.open_session(MONDAY)
    first = coach.log_set_once(session_id, A_SET, "key-1")
    again = coach.log_set_once(session_id, A_SET, "key-1")
    assert first is not None and again is not None
    assert first[1] is True and again == (first[0], False)
    other = coach.log_set_once(session_id, A_SET, "key-2")
    assert other is not None and other[1] is True and other[0] != first[0]
    with pytest.raises(IdempotencyKeyReused, match="different set"):
        coach.log_set_once(session_id, A_SET.model_copy(update={"reps": 11}), "key-1")
    assert coach.log_set_once(session_id, A_SET, "key-3", may_add=False) is None
    assert len(coach.logged_sets(session_id)) == 2


def test_parallel_retries_of_one_set_store_it_once(store: Store, catalog: Catalog) -> None:
    coach = Coach(store, catalog)
    coach.screen(answers(), MONDAY)
    session_id = coach.open_session(MONDAY)
    writers = [open_store(_url(store)) for _ in range(5)]
    start = threading.Barrier(len(writers))
    results: list[tuple[int, bool] | None] = []

    def retry(writer: Store) -> None:
        start.wait()
        results.append(Coach(writer, catalog).log_set_once(session_id, A_SET, "same-key"))

    threads = [threading.Thread(target=retry, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for writer in writers:
        writer.close()
    assert len(results) == 5 and len({r[0] for r in results if r}) == 1
    assert sum(1 for r in results if r and r[1]) == 1
    assert len(coach.logged_sets(session_id)) == 1


def test_the_migration_merges_duplicate_open_sessions_keeping_every_set(store_url: str) -> None:
    from alembic import command

    from glutecoach.store.db import alembic_config, make_engine

    engine = make_engine(store_url)
    command.upgrade(alembic_config(engine), "0003_checkin_self_tests")
    insert_session = text(
        "INSERT INTO sessions (id, person_id, performed_on, phase, completed, notes) "
        "VALUES (:id, 1, :day, 1, :done, '')"
    )
    insert_set = text(
        "INSERT INTO sets (session_id, exercise_id, side, set_index, reps, load_kg, felt_in, "
        "pain) VALUES (:sid, 'glute_bridge', 'both', :i, 10, 0, '[]', 1)"
    )
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO people (id, name, created_at) VALUES (1, 'old', :t)"), {"t": NOW}
        )
        for row_id, done in ((1, False), (2, False), (3, False), (4, True)):
            conn.execute(insert_session, {"id": row_id, "day": MONDAY, "done": done})
            conn.execute(insert_set, {"sid": row_id, "i": row_id})
        conn.execute(insert_session, {"id": 5, "day": MONDAY + dt.timedelta(days=1), "done": False})
    engine.dispose()
    store = open_store(store_url)
    try:
        assert database_revision(store.engine) == code_head()
        with store.transaction() as db:
            open_ids = db.scalars(
                select(SessionRow.id).where(SessionRow.completed.is_(False)).order_by(SessionRow.id)
            ).all()
            assert list(open_ids) == [1, 5]
            moved = db.scalars(select(SetRow.set_index).where(SetRow.session_id == 1)).all()
            assert sorted(moved) == [1, 2, 3]
            assert db.scalar(select(func.count()).select_from(SetRow)) == 4
    finally:
        store.close()


def test_saving_unfinished_sessions_of_one_day_joins_them(store: Store) -> None:
    """An import (or an old export) with two open sessions on a day keeps every set."""
    from glutecoach.core.models import Phase, SessionLog

    with store.transaction() as db:
        pid = repo.ensure_person(db, "ana", now=NOW)
        first = SessionLog(performed_on=MONDAY, phase=Phase(1), completed=False, sets=(A_SET,))
        second = first.model_copy(update={"sets": (A_SET, A_SET)})
        assert repo.save_session(db, pid, first) == repo.save_session(db, pid, second)
        done = first.model_copy(update={"completed": True})
        assert repo.save_session(db, pid, done) != repo.save_session(db, pid, done)
    assert _open_sessions(store) == 1
    with store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(SetRow)) == 5
