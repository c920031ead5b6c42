"""Two deciders in separate processes on one database weigh each session once.

The CLI, the web app and the desk daemon may all decide at the same moment. Each child
process here slows the engine down (so both are inside ``Coach.decide`` at once) and starts
at the same barrier; without the transaction that holds the person's row, both read the
same unweighed session and both weigh it.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections import Counter
from typing import Any

from tests.builders import MONDAY, answers

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import SessionLog, SetLog
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.db import open_store

SESSION_DAY = MONDAY + dt.timedelta(days=1)
DECIDERS = 2
ENGINE_DELAY_S = 0.4


def _decide_in_child(url: str, barrier: Any, results: Any) -> None:
    """One process: open the store, wait for the others, decide with a slow engine."""
    import glutecoach.services as services

    engine = services.decide

    def slow_decide(*args: Any, **kwargs: Any) -> Any:
        decision = engine(*args, **kwargs)
        time.sleep(ENGINE_DELAY_S)  # widen the window between reading and writing
        return decision

    services.decide = slow_decide  # type: ignore[assignment]
    store = open_store(url)
    try:
        coach = Coach(store, load_catalog())
        barrier.wait(timeout=60)
        decision = coach.decide(SESSION_DAY)
        results.put(("ok", [d.isoformat() for d in decision.weighed]))
    except Exception as exc:  # report to the parent instead of dying silently
        results.put(("error", repr(exc)))
    finally:
        store.close()


def _history_with_one_unweighed_session(url: str) -> None:
    store = open_store(url)
    try:
        coach = Coach(store, load_catalog())
        coach.screen(answers(), MONDAY)  # decides once: nothing to weigh yet
        sets = tuple(
            SetLog(exercise_id="glute_bridge", set_index=i, reps=10, rpe=5, pain=1)
            for i in (1, 2, 3)
        )
        with store.transaction() as db:
            pid = repo.person_id(db)
            assert pid is not None
            repo.save_session(db, pid, SessionLog(performed_on=SESSION_DAY, phase=1, sets=sets))
    finally:
        store.close()


def test_two_processes_deciding_at_once_weigh_the_session_once(store_url: str) -> None:
    _history_with_one_unweighed_session(store_url)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(DECIDERS)
    results = context.Queue()
    children = [
        context.Process(target=_decide_in_child, args=(store_url, barrier, results))
        for _ in range(DECIDERS)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert [kind for kind, _ in outcomes] == ["ok"] * DECIDERS, outcomes

    store = open_store(store_url)
    try:
        with store.transaction() as db:
            pid = repo.person_id(db)
            assert pid is not None
            decisions = repo.decisions(db, pid)
    finally:
        store.close()
    assert len(decisions) == 1 + DECIDERS  # the screening's, then one per decider
    weighed = Counter(day for d in decisions for day in d.weighed)
    assert weighed == {SESSION_DAY: 1}
