"""How many statements a page reads the store with (a count, not a time: the pages seen right
after logging a set must stay cheap as code is added), and that what a coach remembers of the
person never outlives a rolled-back transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from tests.builders import MONDAY, answers

from glutecoach.catalog.loader import load_catalog
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.db import Store
from glutecoach.store.fingerprint import _FINGERPRINT

from .conftest import Web

SET = {"exercise_id": "glute_bridge", "set_index": 1, "reps": 12, "rpe": 6, "pain": 1}


@contextmanager
def statements(web: Web) -> Iterator[list[str]]:
    """The SQL statements the app sends while the block runs."""
    engine = web.client.app.state.web.store().engine  # type: ignore[attr-defined]
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _log_a_set(web: Web, index: int) -> None:
    session = web.api("POST", "/api/sessions").json()["id"]
    response = web.api("POST", f"/api/sessions/{session}/sets", {**SET, "set_index": index})
    assert response.status_code in (200, 201), response.text


@pytest.mark.parametrize(("path", "most"), [("/progress", 12), ("/", 11)])
def test_a_page_after_a_write_reads_in_few_statements(screened: Web, path: str, most: int) -> None:
    """The page right after a set is logged: the person once, the history's fingerprint twice
    (the view's key, then the rows added since the cached copy, checked against it), the new
    rows, settings, and the desk tables' counts in one statement."""
    screened.get(path)
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
