"""The incrementally grown progress summary equals the one built whole, at every step, and
really only builds what is new."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.builders import history_as_of

import glutecoach.progress_ledger as ledger_module
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import History, SetLog
from glutecoach.core.progress import summarize
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.progress_ledger import ProgressLedger

EXAMPLE = Path(__file__).parent.parent / "examples" / "simulation.json"
DAYS = [0, 1, 2, 3, 4, 5, 6]


@pytest.fixture(scope="module")
def full() -> History:
    from glutecoach.catalog.loader import load_catalog

    script = SimulationScript.model_validate(json.loads(EXAMPLE.read_text()))
    return simulate(script, load_catalog()).history


def days_of(history: History) -> list[dt.date]:
    last = max(s.performed_on for s in history.sessions)
    return [
        history.screened_on + dt.timedelta(days=i)
        for i in range((last - history.screened_on).days + 1)
    ]


def test_equals_the_whole_summary_day_by_day_and_set_by_set(
    full: History, catalog: Catalog
) -> None:
    ledger = ProgressLedger()
    for day in days_of(full):
        grown = history_as_of(full, day)
        today_sessions = [s for s in grown.sessions if s.performed_on == day]
        if today_sessions:  # first as an open session growing set by set
            done = today_sessions[-1]
            earlier = grown.sessions[: grown.sessions.index(done)]
            for n in range(1, len(done.sets) + 1):
                open_one = done.model_copy(update={"sets": done.sets[:n], "completed": False})
                partial = grown.model_copy(update={"sessions": (*earlier, open_one)})
                assert ledger.summarize(partial, catalog, DAYS, day) == summarize(
                    partial, catalog, DAYS, day
                )
        assert ledger.summarize(grown, catalog, DAYS, day) == summarize(grown, catalog, DAYS, day)


def test_after_the_first_build_only_the_open_session_is_rebuilt(
    full: History, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = ProgressLedger()
    last = full.sessions[-1]
    upto = history_as_of(full, last.performed_on)
    before = upto.model_copy(update={"sessions": upto.sessions[:-1]})
    ledger.summarize(before, catalog, DAYS, last.performed_on)
    built: list[object] = []
    real = ledger_module.session_load_points

    def counting(session: object) -> object:
        built.append(session)
        return real(session)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger_module, "session_load_points", counting)
    for n in range(1, 4):
        open_one = last.model_copy(update={"sets": last.sets[:n], "completed": False})
        grown = upto.model_copy(update={"sessions": (*upto.sessions[:-1], open_one)})
        summary = ledger.summarize(grown, catalog, DAYS, last.performed_on)
        assert summary == summarize(grown, catalog, DAYS, last.performed_on)
    assert len(built) <= 3 + 1  # the open session each time (and once the one before it)
    assert len(full.sessions) > 10


def test_a_changed_earlier_entry_or_a_new_screening_starts_over(
    full: History, catalog: Catalog
) -> None:
    ledger = ProgressLedger()
    today = full.sessions[-1].performed_on
    ledger.summarize(full, catalog, DAYS, today)
    sessions = list(full.sessions)
    sessions[3] = sessions[3].model_copy(
        update={
            "sets": (*sessions[3].sets, SetLog(exercise_id="glute_bridge", set_index=9, pain=6))
        }
    )
    edited = full.model_copy(update={"sessions": tuple(sessions)})
    assert ledger.summarize(edited, catalog, DAYS, today) == summarize(edited, catalog, DAYS, today)
    back_dated = full.model_copy(
        update={"checkins": (*full.checkins, full.checkins[0].model_copy(update={"pain": {}}))}
    )
    assert ledger.summarize(back_dated, catalog, DAYS, today) == summarize(
        back_dated, catalog, DAYS, today
    )
    rescreened = full.model_copy(
        update={"screening": full.screening.model_copy(update={"pain": {}})}
    )
    assert ledger.summarize(rescreened, catalog, DAYS, today) == summarize(
        rescreened, catalog, DAYS, today
    )
    assert ledger.summarize(full, catalog, DAYS, today) == summarize(full, catalog, DAYS, today)


def test_early_finishes_are_counted_by_sets_the_same_way_grown_or_whole(
    full: History, catalog: Catalog
) -> None:
    """Every third session cut short (finished after a third of its sets): the ledger's
    adherence and sessions done equal the whole computation's on every day, also while the
    decision that weighs a session (and fixes its prescription) is still to come."""
    cut_short = tuple(
        s.model_copy(update={"sets": s.sets[: max(1, len(s.sets) // 3)]}) if i % 3 == 0 else s
        for i, s in enumerate(full.sessions)
    )
    history = full.model_copy(update={"sessions": cut_short})
    ledger = ProgressLedger()
    for day in days_of(history):
        grown = history_as_of(history, day)
        for unweighed in (True, False):
            view = grown
            if unweighed:  # the day's sessions logged, its decision not yet
                view = grown.model_copy(
                    update={"decisions": tuple(d for d in grown.decisions if d.day < day)}
                )
            assert ledger.summarize(view, catalog, DAYS, day) == summarize(view, catalog, DAYS, day)
    summary = ledger.summarize(history, catalog, DAYS, days_of(history)[-1])
    assert summary.sessions_done == len(history.sessions) - len(range(0, len(cut_short), 3))
    assert summary.adherence_share is not None and summary.adherence_share < 1
