"""The dashboard's numbers, state and plan read from the store's head (no whole history) say
what the whole history says, on both databases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import SessionLog, SetLog
from glutecoach.core.plan import build_plan
from glutecoach.core.progress import summarize
from glutecoach.core.progression import current_state
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.db import Store

EXAMPLE = Path(__file__).parent.parent / "examples" / "simulation.json"


def test_overview_state_and_plan_match_the_whole_history(store: Store) -> None:
    catalog = load_catalog()
    script = SimulationScript.model_validate(json.loads(EXAMPLE.read_text()))
    history = simulate(script, catalog).history
    coach = Coach(store, catalog)
    coach.screen(history.screening, history.screened_on)
    with store.transaction() as db:
        pid = repo.person_id(db)
        assert pid is not None
        for session in history.sessions:
            repo.save_session(db, pid, session)
        # an unfinished session and a finished one without sets count as not done
        open_one = SessionLog(
            performed_on=history.sessions[-1].performed_on,
            phase=1,
            sets=(SetLog(exercise_id="glute_bridge", set_index=1, reps=5),),
            completed=False,
        )
        repo.save_session(db, pid, open_one)
        repo.save_session(db, pid, SessionLog(performed_on=open_one.performed_on, phase=1))
        for decision in history.decisions:
            repo.add_decision(db, pid, decision)
    whole = coach.history()
    days = list(coach.settings()["session_days"])
    for today in (history.screened_on, history.sessions[-1].performed_on + dt.timedelta(days=3)):
        numbers, last, plan = coach.overview(today)
        summary = summarize(whole, catalog, days, today)
        assert numbers.phase == summary.phase
        assert numbers.phase_started == summary.phase_started
        assert numbers.stopped == summary.stopped
        assert numbers.sessions_done == summary.sessions_done > 0
        assert numbers.adherence_share == summary.adherence_share
        assert last == whole.decisions[-1]
        state = current_state(whole, catalog)
        assert coach.state() == state
        assert coach.plan(today) == plan == build_plan(state, catalog, whole.screening, days, today)


def test_before_any_decision_the_state_is_phase_1s_start(store: Store) -> None:
    from tests.builders import MONDAY, answers

    coach = Coach(store, load_catalog())
    with store.transaction() as db:
        pid = repo.ensure_person(db, now=dt.datetime(2026, 1, 1))
        screening = answers()
        from glutecoach.core.screening import screen

        repo.save_screening(db, pid, MONDAY, screening, screen(screening, load_catalog()))
    assert coach.overview(MONDAY)[1] is None
    assert coach.state() == current_state(coach.history(), load_catalog())
    assert coach.overview(MONDAY)[0].sessions_done == 0
