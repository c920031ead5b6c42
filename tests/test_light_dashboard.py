"""The dashboard worked out without building every set equals the one from the whole history.

The first page after a start (and every command) plans from the history with only its
sessions from the last training day on, and counts adherence from every session's outline
(day, finished, each set's exercise and side): :mod:`glutecoach.services_plan`. Here, for
every clinical scenario and the example person, on every day from the screening to seven
weeks past the last entry (breaks, pain spikes, red flags, overrides, clearances, retests),
both halves are compared with the whole-history results; then the real read (SQLite and
PostgreSQL) is compared end to end.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.builders import history_as_of
from tests.export_history import save_history

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.adherence import SessionOutline, SetKey
from glutecoach.core.models import History, SessionLog
from glutecoach.core.progress import done_per_week, overview
from glutecoach.core.progression import current_state
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.history_cache import HistoryCache
from glutecoach.services import Coach
from glutecoach.services_plan import PlanViews
from glutecoach.store import repository as repo
from glutecoach.store.db import Store

HERE = Path(__file__).parent
CATALOG = load_catalog()
SCRIPTS = {
    p.stem: json.loads(p.read_text())["script"] for p in sorted((HERE / "scenarios").glob("*.json"))
}
SCRIPTS["example"] = json.loads((HERE.parent / "examples" / "simulation.json").read_text())
DAYS = [0, 2, 4]


def _history(name: str) -> History:
    return simulate(SimulationScript.model_validate(SCRIPTS[name]), CATALOG).history


def outline_of(session: SessionLog) -> SessionOutline:
    return SessionOutline(
        session.performed_on,
        session.completed,
        tuple(SetKey(s.exercise_id, s.side) for s in session.sets),
    )


def window(history: History, today: dt.date) -> History:
    """The history with only its sessions from the last training day up to ``today`` on."""
    trained = [
        s.performed_on
        for s in history.sessions
        if s.completed and s.sets and s.performed_on <= today
    ]
    since = max(trained, default=dt.date.min)
    kept = tuple(s for s in history.sessions if s.performed_on >= since)
    return history.model_copy(update={"sessions": kept})


def _days(history: History) -> list[dt.date]:
    last = max(
        [history.screened_on]
        + [s.performed_on for s in history.sessions]
        + [c.day for c in history.checkins]
    )
    span = (last - history.screened_on).days + 50
    return [history.screened_on + dt.timedelta(days=n) for n in range(span)]


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_outlines_and_the_recent_sessions_give_the_whole_history_s_dashboard(name: str) -> None:
    full = _history(name)
    views = PlanViews()
    views.catalog = CATALOG
    checked = 0
    for today in _days(full):
        history = history_as_of(full, today)
        light = window(history, today)
        outlines = [outline_of(s) for s in history.sessions]
        assert done_per_week(light, CATALOG, sessions=outlines) == done_per_week(
            history, CATALOG
        ), today
        for plan_day in (today, today + dt.timedelta(days=7)):  # this week and the next
            assert views.plan_from(light, DAYS, plan_day) == views.plan_from(
                history, DAYS, plan_day
            ), (today, plan_day)
        checked += 1
    assert checked >= 50


def test_the_window_check_can_fail() -> None:
    """Dropping the last training day from the window changes the plan during a break (the
    return dose is measured from it), so the comparison above would see a wrong window."""
    full = _history("example")
    views = PlanViews()
    views.catalog = CATALOG
    differs = 0
    for today in _days(full):
        history = history_as_of(full, today)
        trained = [s.performed_on for s in history.sessions if s.completed and s.sets]
        if not trained:
            continue
        too_late = history.model_copy(
            update={"sessions": tuple(s for s in history.sessions if s.performed_on > trained[-1])}
        )
        if views.plan_from(too_late, DAYS, today) != views.plan_from(history, DAYS, today):
            differs += 1
    assert differs > 0


def _write(store: Store, history: History) -> None:
    from glutecoach.core.screening import screen

    with store.transaction() as db:
        pid = repo.ensure_person(db, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        result = screen(history.screening, CATALOG)
        repo.save_screening(db, pid, history.screened_on, history.screening, result)
        save_history(db, pid, history)


@pytest.mark.parametrize("name", ["example", "return_after_8_weeks_off"])
def test_the_store_s_light_read_gives_the_whole_history_s_dashboard(
    store: Store, name: str
) -> None:
    full = _history(name)
    _write(store, full)
    light = Coach(store, CATALOG)  # no history held: outlines and recent sessions
    cached = Coach(store, CATALOG, cache=HistoryCache())
    whole = light.history()
    assert whole.sessions == full.sessions and any(s.sets for s in whole.sessions)
    days = list(light.settings()["session_days"])
    for today in _days(full)[::3]:
        numbers, last, plan = light.overview(today)
        expected = overview(
            current_state(whole, CATALOG),
            done_per_week(whole, CATALOG),
            whole.screened_on,
            days,
            today,
        )
        assert numbers == expected, today
        assert last == whole.decisions[-1]
        assert plan == light.plan_from(whole, days, today) == light.plan(today), today
        cached.history()  # the cached coach holds the whole history: its own path
        assert cached.overview(today) == (numbers, last, plan), today
