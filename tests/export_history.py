"""A realistic stored history for the hand-off export tests: the README's simulated months."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy.orm import Session
from tests.builders import history_as_of

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import History
from glutecoach.core.sedentary import BoutEnded, BreakTaken, Cause
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.services import Coach
from glutecoach.store import desk_repo
from glutecoach.store import repository as repo
from glutecoach.store.db import Store

EXAMPLE = Path(__file__).parent.parent / "examples" / "simulation.json"
BEFORE_RED_FLAG = dt.date(2026, 3, 8)  # the example reports a red flag on 2026-03-09


def store_history(
    store: Store, person: str = "ana", until: dt.date | None = None, units: str = "kg"
) -> Coach:
    """Screen ``person`` and store the simulated sessions, check-ins and decisions up to
    ``until`` (all of them by default), plus a morning of desk-coach bouts."""
    catalog = load_catalog()
    script = json.loads(EXAMPLE.read_text())
    if until is not None:
        script["events"] = [e for e in script["events"] if dt.date.fromisoformat(e["day"]) <= until]
    history = simulate(SimulationScript.model_validate(script), catalog).history
    if until is not None:
        history = history_as_of(history, until)
    coach = Coach(store, catalog, person)
    coach.screen(history.screening, history.screened_on)
    coach.set_setting("units", units)
    with store.transaction() as db:
        pid = repo.person_id(db, person)
        assert pid is not None
        save_history(db, pid, history)
        add_desk_day(db, pid)
    return coach


def save_history(db: Session, pid: int, history: History) -> None:
    """Store a history's sessions, check-ins, clearances and decisions for ``pid``."""
    for session in history.sessions:
        repo.save_session(db, pid, session)
    for checkin in history.checkins:
        repo.add_checkin(db, pid, checkin)
    for clearance in history.clearances:
        repo.add_clearance(db, pid, clearance)
    for decision in history.decisions:
        repo.add_decision(db, pid, decision)


def add_desk_day(db: Session, pid: int) -> None:
    """A morning at the desk: two sitting bouts, a break, a reminder answered, a stretch."""
    start = dt.datetime(2026, 1, 6, 9, 0, tzinfo=dt.UTC)
    bout_end = start + dt.timedelta(minutes=35)
    desk_repo.add_bout(db, pid, BoutEnded(start, bout_end, 2100.0, Cause.IDLE, 1))
    desk_repo.add_break(db, pid, BreakTaken(bout_end, Cause.IDLE, confirmed=True))
    prompt = desk_repo.add_prompt(
        db,
        pid,
        start + dt.timedelta(minutes=30),
        "move",
        1800.0,
        "half_kneeling_hip_flexor_stretch",
    )
    desk_repo.answer_prompt(db, prompt, "done", start + dt.timedelta(minutes=31))
    desk_repo.add_micro(
        db, pid, start + dt.timedelta(minutes=31), "half_kneeling_hip_flexor_stretch"
    )
    later = start + dt.timedelta(hours=1)
    desk_repo.add_bout(
        db, pid, BoutEnded(later, later + dt.timedelta(minutes=50), 3000.0, Cause.LOCK, 0)
    )
