"""One contract suite for the store, run on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from builders import MONDAY, answers
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import CheckIn, FeltIn, FormSummary, SessionLog, SetLog, Side
from glutecoach.core.screening import screen
from glutecoach.errors import StoreError
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.db import Store, code_head, database_revision, open_store

NOW = dt.datetime(2026, 1, 5, 8, 0)


def test_schema_is_at_the_code_head(store: Store) -> None:
    assert database_revision(store.engine) == code_head()


def test_person_settings_round_trip(store: Store) -> None:
    with store.transaction() as db:
        pid = repo.ensure_person(db, "ana", now=NOW)
        assert repo.ensure_person(db, "ana", now=NOW) == pid
        repo.set_setting(db, pid, "equipment", "dumbbells,band")
        repo.set_setting(db, pid, "session_days", "mon,thu")
    with store.transaction() as db:
        values = repo.get_settings(db, pid)
    assert values["equipment"] == ["band", "dumbbells"]
    assert values["session_days"] == [0, 3]
    assert values["units"] == "kg"


def test_sets_are_committed_one_by_one(store: Store, catalog: Catalog) -> None:
    coach = Coach(store, catalog)
    coach.screen(answers(), MONDAY)
    session_id = coach.open_session(MONDAY)
    form = FormSummary(
        reps_observed=10,
        good_form_reps=8,
        good_form_share=0.8,
        mean_hold_seconds=2.5,
        symmetry=None,
        faults={"knees_cave": 2},
    )
    coach.log_set(
        session_id,
        SetLog(
            exercise_id="glute_bridge",
            set_index=1,
            reps=10,
            rpe=5,
            felt_in=(FeltIn.GLUTES,),
            pain=1,
            form=form,
        ),
    )
    # A second process (a crash before finishing) still sees the set:
    other = open_store(str(store.engine.url.render_as_string(hide_password=False)))
    try:
        assert Coach(other, catalog).logged_sets(session_id)[0].form == form
        assert Coach(other, catalog).open_session(MONDAY) == session_id  # resumes
    finally:
        other.close()


def test_a_camera_sets_form_baseline_is_carried_to_the_next_one(
    store: Store, catalog: Catalog
) -> None:
    coach = Coach(store, catalog)
    coach.screen(answers(), MONDAY)
    assert coach.camera_baseline("glute_bridge") == {}
    form = FormSummary(
        reps_observed=6,
        good_form_reps=6,
        good_form_share=1.0,
        baseline={"peak_hip_angle_deg": 171.5, "knee_width_ratio": 1.02},
    )
    session_id = coach.open_session(MONDAY)
    coach.log_set(session_id, SetLog(exercise_id="glute_bridge", set_index=1, reps=6, form=form))
    assert coach.camera_baseline("glute_bridge") == form.baseline
    assert coach.camera_baseline("clamshell") == {}


def test_history_round_trips_every_field(store: Store, catalog: Catalog) -> None:
    with store.transaction() as db:
        pid = repo.ensure_person(db, now=NOW)
        a = answers()
        repo.save_screening(db, pid, MONDAY, a, screen(a, catalog))
        log = SessionLog(
            performed_on=MONDAY,
            phase=1,
            notes="felt good",
            sets=(
                SetLog(
                    exercise_id="clamshell",
                    side=Side.LEFT,
                    set_index=1,
                    reps=12,
                    hold_seconds=2.0,
                    load_kg=0,
                    rpe=6.5,
                    felt_in=(FeltIn.GLUTES, FeltIn.OTHER),
                    pain=2,
                ),
            ),
        )
        repo.save_session(db, pid, log)
        checkin = CheckIn(
            day=MONDAY,
            pain={"low_back": 3, "hip": 1},
            stiffness=2,
            red_flags={"cancer_history": False},
            self_tests={"single_leg_stance_pelvic_drop": False, "single_leg_bridge_reps_left": 12},
        )
        repo.add_checkin(db, pid, checkin)
    with store.transaction() as db:
        history = repo.load_history(db, pid)
    assert history is not None
    assert history.screening == a
    assert history.sessions == (log,)
    assert history.checkins == (checkin,)


def test_decisions_round_trip(store: Store, catalog: Catalog) -> None:
    coach = Coach(store, catalog)
    coach.screen(answers(), MONDAY)
    decision = coach.log_session(
        MONDAY,
        [
            SetLog(
                exercise_id="glute_bridge",
                set_index=i,
                reps=10,
                hold_seconds=2,
                rpe=5,
                felt_in=(FeltIn.GLUTES,),
                pain=1,
            )
            for i in (1, 2)
        ],
        MONDAY,
    )
    assert coach.decisions()[-1] == decision
    assert len(coach.decisions()) == 2  # one at screening, one after the session


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as db:
        repo.ensure_person(db, "bo", now=NOW)
        raise RuntimeError("boom")
    with store.transaction() as db:
        assert repo.person_id(db, "bo") is None


def test_people_are_kept_apart(store: Store, catalog: Catalog) -> None:
    Coach(store, catalog, "ana").screen(answers(), MONDAY)
    Coach(store, catalog, "bo").screen(answers(age=30), MONDAY)
    with store.transaction() as db:
        assert repo.list_people(db) == ["ana", "bo"]
    assert Coach(store, catalog, "bo").history().screening.age == 30


# --- SQLite specifics and safety -------------------------------------------------------------


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    store.close()


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "glutecoach.db"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a glutecoach database"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_damaged_sqlite_pages_are_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "glutecoach.db"
    store = open_store(f"sqlite:///{path}")
    store.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    before = path.read_bytes()
    with pytest.raises(StoreError):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_database_from_a_newer_glutecoach_is_refused_untouched(store_url: str) -> None:
    store = open_store(store_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    store.close()
    with pytest.raises(StoreError, match="newer glutecoach"):
        open_store(store_url)
    store = open_store(store_url, upgrade=False)
    assert database_revision(store.engine) == "9999_future"
    store.close()


def test_migrations_upgrade_an_old_database_keeping_its_data(store_url: str) -> None:
    from alembic import command

    from glutecoach.store.db import alembic_config, make_engine

    engine = make_engine(store_url)
    command.upgrade(alembic_config(engine), "0001_core")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO people (id, name, created_at) VALUES (1, 'old', :t)"), {"t": NOW}
        )
        conn.execute(
            text(
                "INSERT INTO checkins (person_id, day, morning, pain, stiffness, red_flags) "
                "VALUES (1, :d, true, '{\"hip\": 2}', 1, '{}')"
            ),
            {"d": MONDAY},
        )
    engine.dispose()
    store = open_store(store_url)
    try:
        assert database_revision(store.engine) == code_head()
        with store.transaction() as db:
            (checkin,) = repo.checkins(db, 1)
        assert checkin.pain == {"hip": 2} and checkin.self_tests is None
    finally:
        store.close()
