"""One door: the web app and the desk coach reach the store only through the services.

The import rule itself is an import-linter contract (`make lint`); these tests check the use
cases that replaced the direct store calls, on SQLite and PostgreSQL, and that the desk's use
cases stay lean enough for the long-running coach.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from builders import MONDAY, answers
from glutecoach.core.catalog import Catalog
from glutecoach.core.sedentary import BoutEnded, Cause
from glutecoach.desk_services import period_metrics, read_start, status_numbers
from glutecoach.history_cache import HistoryCache
from glutecoach.services import Coach, Store
from glutecoach.store import desk_repo
from glutecoach.store import repository as repo

NOW = dt.datetime(2026, 1, 5, 8, 0)


def _bout(pid: int, store: Store, start: dt.datetime, minutes: int) -> None:
    with store.transaction() as db:
        bout = BoutEnded(
            start, start + dt.timedelta(minutes=minutes), minutes * 60.0, Cause.IDLE, 0
        )
        desk_repo.add_bout(db, pid, bout)


def test_desk_metrics_follow_new_rows_through_the_cache(store: Store, catalog: Catalog) -> None:
    coach = Coach(store, catalog, now=lambda: NOW, cache=HistoryCache())
    assert coach.desk_metrics(MONDAY, 7) is None  # nobody yet: nothing is created
    coach.screen(answers(), MONDAY)
    assert coach.desk_metrics(MONDAY, 7) is None  # a person without desk rows
    with store.transaction() as db:
        pid = repo.person_id(db) or 0
    start = dt.datetime.combine(MONDAY, dt.time(9), tzinfo=dt.UTC)
    _bout(pid, store, start, 40)
    first = coach.desk_metrics(MONDAY, 7)
    assert first is not None and len(first) == 7
    assert sum(m.bouts for m in first) == 1
    _bout(pid, store, start + dt.timedelta(hours=2), 20)  # the desk daemon adds a row
    second = coach.desk_metrics(MONDAY, 7)
    assert second is not None
    assert sum(m.bouts for m in second) == 2
    assert sum(m.sitting_s for m in second) == 60 * 60.0


def test_sessions_of_a_day_are_the_persons_own(store: Store, catalog: Catalog) -> None:
    mine = Coach(store, catalog, now=lambda: NOW)
    other = Coach(store, catalog, person="someone else", now=lambda: NOW)
    mine.screen(answers(), MONDAY)
    session_id = mine.open_session(MONDAY)
    (found,) = mine.sessions_on(MONDAY)
    assert (found.id, found.day, found.completed) == (session_id, MONDAY, False)
    assert mine.session_info(session_id) == found
    assert other.session_info(session_id) is None
    assert other.sessions_on(MONDAY) == []
    assert mine.sessions_on(MONDAY + dt.timedelta(days=1)) == []


def test_desk_use_cases_read_the_person(store_url: str, store: Store, catalog: Catalog) -> None:
    Coach(store, catalog, now=lambda: NOW).screen(answers(), MONDAY)
    start = read_start("me", store_url, MONDAY, NOW)
    assert start.phase == 1
    assert start.settings["units"] in ("kg", "lb")
    assert start.emphasis == list(mine_emphasis(store))
    with store.transaction() as db:
        assert start.person_id == repo.person_id(db)
    assert read_start("new person", store_url, MONDAY, NOW).person_id != start.person_id


def mine_emphasis(store: Store) -> tuple[str, ...]:
    with store.transaction() as db:
        found = repo.latest_screening(db, repo.person_id(db) or 0)
    assert found is not None
    return tuple(found[1].emphasis)


def test_status_and_stats_use_cases() -> None:
    """`desk status` / `desk stats` read the user's database (the isolated data folder)."""
    from glutecoach.paths import database_url
    from glutecoach.services import open_database

    own = open_database(database_url())
    try:
        with own.transaction() as db:
            pid = repo.ensure_person(db, "me", now=NOW)
        _bout(pid, own, dt.datetime.combine(MONDAY, dt.time(9)), 35)
    finally:
        own.close()
    numbers = status_numbers("me", MONDAY, NOW)
    assert numbers.today.bouts == 1 and numbers.counts["bouts"] == 1
    daily, weekly = period_metrics("me", MONDAY - dt.timedelta(days=6), MONDAY, NOW)
    assert [m.bouts for m in daily] == [0, 0, 0, 0, 0, 0, 1]
    assert sum(m.bouts for m in weekly) == 1


def test_importing_the_desk_use_cases_loads_no_database_library() -> None:
    code = (
        "import sys, glutecoach.desk_services, glutecoach.desk.sink;"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')"
        " or m.startswith('glutecoach.store'));"
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_logged_sets_from_the_cache_equal_the_stores(store: Store, catalog: Catalog) -> None:
    """The web's coach serves a session's sets from its cached history (one fingerprint,
    no ORM load); they equal the store's, as sets are added, and another person's session is
    still read from the store."""
    from glutecoach.core.models import SetLog

    cached = Coach(store, catalog, now=lambda: NOW, cache=HistoryCache())
    plain = Coach(store, catalog, now=lambda: NOW)
    other = Coach(store, catalog, person="someone else", now=lambda: NOW, cache=HistoryCache())
    cached.screen(answers(), MONDAY)
    other.screen(answers(), MONDAY)
    session_id = cached.open_session(MONDAY)
    assert cached.logged_sets(session_id) == [] == plain.logged_sets(session_id)
    for index in range(1, 4):
        cached.log_set(session_id, SetLog(exercise_id="glute_bridge", set_index=index, reps=10))
        assert cached.logged_sets(session_id) == plain.logged_sets(session_id)
        assert [s.set_index for s in cached.logged_sets(session_id)] == list(range(1, index + 1))
    assert other.logged_sets(session_id) == plain.logged_sets(session_id)  # not in its history
