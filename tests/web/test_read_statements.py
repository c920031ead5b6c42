"""How many statements a page reads the store with (a count, not a time: the pages seen right
after logging a set must stay cheap as code is added), and that what a coach remembers of the
person never outlives a rolled-back transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from tests.builders import MONDAY, answers

from glutecoach.catalog.loader import load_catalog
from glutecoach.history_cache import HistoryCache
from glutecoach.inputs import FIRST_DAY
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.db import Store
from glutecoach.store.fingerprint import _FINGERPRINT
from glutecoach.web.app import create_app
from glutecoach.web.deps import get_today

from .conftest import SCREENING_FORM, Web, local_client

SET = {"exercise_id": "glute_bridge", "set_index": 1, "reps": 12, "rpe": 6, "pain": 1}


WHOLE_SETS = "SELECT s.session_id, s.exercise_id, s.side, s.set_index"
SET_KEYS = "SELECT s.session_id, s.exercise_id, s.side FROM"


@contextmanager
def statements(web: Web, parameters: bool = False) -> Iterator[list[Any]]:
    """The SQL statements the app sends while the block runs (with their parameters)."""
    engine = web.client.app.state.web.store().engine  # type: ignore[attr-defined]
    seen: list[Any] = []

    def record(_conn: object, _cursor: object, statement: str, params: Any, *_: object) -> None:
        text = " ".join(statement.split())
        seen.append((text, params) if parameters else text)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _cache(web: Web) -> HistoryCache:
    return web.client.app.state.web.history_cache  # type: ignore[attr-defined,no-any-return]


def test_the_first_page_builds_no_set_and_leaves_the_history_to_a_background_read(
    store_path: str,
) -> None:
    """A fresh server's first page reads every set's keys but builds only the sets of the
    last training day; the whole history is read once, on a background thread meanwhile,
    and the session page after it finds it held."""
    days = {"today": MONDAY}

    def serve() -> Any:
        app = create_app(store_path)
        app.dependency_overrides[get_today] = lambda: days["today"]
        return app

    app = serve()
    with local_client(app) as client:
        web = Web(client, days)
        assert web.post_form("/screening", SCREENING_FORM).status_code == 200
        for offset in (0, 2):
            days["today"] = MONDAY + dt.timedelta(days=offset)
            session = web.api("POST", "/api/sessions").json()["id"]
            for index in (1, 2):
                web.api("POST", f"/api/sessions/{session}/sets", {**SET, "set_index": index})
            assert web.api("POST", f"/api/sessions/{session}/finish").status_code == 200
    app.state.web.close()
    days["today"] = MONDAY + dt.timedelta(days=3)
    app = serve()  # a new server on the same database
    with local_client(app) as client:
        web = Web(client, days)
        cache = _cache(web)
        with statements(web, parameters=True) as seen:
            assert web.get("/").status_code == 200
            cache.wait_for_loads()
        firsts = sorted(str(p[2]) for s, p in seen if s.startswith(WHOLE_SETS))
        # the page: the sets from the last training day; the background: all of them
        assert firsts == [str(FIRST_DAY), str(MONDAY + dt.timedelta(days=2))], seen
        assert any(s.startswith(SET_KEYS) for s, _ in seen)
        assert cache.loaded, "the background read keeps the history"
        with statements(web) as later:
            assert web.get("/today").status_code == 200
        assert not [s for s in later if s.startswith(WHOLE_SETS)], "\n".join(later)
    app.state.web.close()


def _log_a_set(web: Web, index: int) -> None:
    session = web.api("POST", "/api/sessions").json()["id"]
    response = web.api("POST", f"/api/sessions/{session}/sets", {**SET, "set_index": index})
    assert response.status_code in (200, 201), response.text


@pytest.mark.parametrize(("path", "most"), [("/progress", 12), ("/", 12)])
def test_a_page_after_a_write_reads_in_few_statements(screened: Web, path: str, most: int) -> None:
    """The page right after a set is logged: the person once, the history's fingerprint twice
    (the view's key, then the rows added since the cached copy, checked against it), the new
    rows, settings, and the desk tables' counts in one statement."""
    screened.get(path)
    _cache(screened).wait_for_loads()
    _log_a_set(screened, 1)
    with statements(screened) as seen:
        response = screened.get(path)
    assert response.status_code == 200
    fingerprint = " ".join(str(_FINGERPRINT).split())
    assert sum(1 for s in seen if s == fingerprint) <= 2, seen
    people = [s for s in seen if s.startswith("SELECT people.id FROM people WHERE")]
    assert len(people) == 1, "\n".join(seen)
    assert len(seen) <= most, "\n".join(seen)


def test_a_person_created_in_a_rolled_back_transaction_is_not_remembered(store: Store) -> None:
    coach = Coach(store, load_catalog())
    with pytest.raises(RuntimeError), store.transaction() as db:
        coach._pid(db)  # creates the person: undone below
        raise RuntimeError
    with store.transaction() as db:  # someone else takes the place (SQLite reuses the id)
        other = repo.ensure_person(db, "other", now=coach._now())
    coach.screen(answers(), MONDAY)
    with store.transaction() as db:
        mine = repo.person_id(db, coach.person)
        assert mine is not None and mine != other
        assert coach._pid(db) == mine
        assert repo.has_screening(db, mine) and not repo.has_screening(db, other)
