"""The web app's fast reads agree with the repository, and the cache never serves stale data."""

from __future__ import annotations

import datetime as dt

from tests.builders import MONDAY, answers

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import CheckIn, Clearance, FormSummary, Region, SessionLog, SetLog
from glutecoach.services import Coach
from glutecoach.store import repository as repo
from glutecoach.store.db import Store
from glutecoach.web import queries
from glutecoach.web.coach import CachedCoach, HistoryCache


def fill(store: Store) -> Coach:
    coach = Coach(store, load_catalog())
    coach.screen(answers(), MONDAY)
    form = FormSummary(reps_observed=10, good_form_reps=9, good_form_share=0.9, faults={"x": 1})
    sets = [
        SetLog(
            exercise_id="glute_bridge",
            set_index=i,
            reps=12,
            rpe=6.5,
            felt_in=("glutes",),
            pain=1,
            form=form if i == 1 else None,
        )
        for i in (1, 2, 3)
    ]
    coach.log_session(MONDAY, sets, MONDAY)
    session_id = coach.open_session(MONDAY + dt.timedelta(days=2))
    coach.log_set(
        session_id,
        SetLog(
            exercise_id="clamshell", side="left", set_index=1, reps=8, hold_seconds=2.5, load_kg=0
        ),
    )
    coach.checkin(CheckIn(day=MONDAY + dt.timedelta(days=1), pain={Region.HIP: 2}), MONDAY)
    with store.transaction() as db:
        repo.add_clearance(db, repo.person_id(db) or 0, Clearance(day=MONDAY, note="n"))
    coach.screen(answers(age=40), MONDAY + dt.timedelta(days=3))
    return coach


def test_history_data_matches_the_repository(store: Store) -> None:
    from glutecoach.core.models import History

    fill(store)
    with store.transaction() as db:
        expected = repo.load_history(db, repo.person_id(db) or 0)
        data = queries.history_data(db, "me")
    assert expected is not None and data is not None
    assert History.model_validate(data) == expected
    with store.transaction() as db:
        assert queries.history_data(db, "nobody") is None


def test_cached_history_follows_every_write(store: Store) -> None:
    coach = CachedCoach(store, load_catalog(), "me", HistoryCache())
    plain = fill(store)
    assert coach.history() == plain.history()
    before = coach.progress(MONDAY + dt.timedelta(days=3))
    session_id = coach.open_session(MONDAY + dt.timedelta(days=4))
    assert coach.history() == plain.history()
    coach.log_set(session_id, SetLog(exercise_id="glute_bridge", set_index=1, reps=3))
    assert coach.history() == plain.history()
    coach.finish_session(session_id, MONDAY + dt.timedelta(days=4))
    assert coach.history() == plain.history()
    plain.set_setting("session_days", [1])
    assert coach.history() == plain.history()
    after = coach.progress(MONDAY + dt.timedelta(days=3))
    assert after != before
    assert after == plain.progress(MONDAY + dt.timedelta(days=3))


def test_sessions_on_and_session_info(store: Store) -> None:
    coach = fill(store)
    with store.transaction() as db:
        day = queries.sessions_on(db, "me", MONDAY + dt.timedelta(days=2))
        assert [s.completed for s in day] == [False]
        assert queries.session_info(db, "me", day[0].id) == day[0]
        assert queries.session_info(db, "someone", day[0].id) is None
        assert queries.sessions_on(db, "someone", MONDAY) == []
        assert queries.fingerprint(db, "someone") is None
    assert coach.logged_sets(day[0].id)


def test_unused_session_log_import() -> None:
    assert SessionLog  # keep the model import meaningful for readers of fill()
