"""The web app's fast reads agree with the repository, and the cache never serves stale data."""

from __future__ import annotations

import datetime as dt
import tempfile
import weakref
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.builders import MONDAY, answers

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import CheckIn, Clearance, FormSummary, Region, SessionLog, SetLog
from glutecoach.history_cache import HistoryCache
from glutecoach.services import Coach
from glutecoach.store import fingerprint as marks
from glutecoach.store import reader as queries
from glutecoach.store import repository as repo
from glutecoach.store import session_lookup as lookup
from glutecoach.store.db import Store, open_store


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
        # The column reader against the repository's ORM reads, table by table.
        pid = repo.person_id(db) or 0
        latest = repo.latest_screening(db, pid)
        entries = repo.all_screening_entries(db, pid)
        assert latest is not None
        expected = History(
            screening=latest[0],
            screened_on=min(day for day, _a, _r in entries),
            latest_screening_on=max(day for day, _a, _r in entries),
            sessions=tuple(repo.sessions(db, pid)),
            checkins=tuple(repo.checkins(db, pid)),
            clearances=tuple(repo.clearances(db, pid)),
            decisions=tuple(repo.decisions(db, pid)),
        )
        data = queries.history_data(db, "me")
        assert repo.load_history(db, pid) == expected
    assert data is not None
    _, sessions = queries.split_ids(data["sessions"])
    assert History.model_validate({**data, "sessions": sessions}) == expected
    with store.transaction() as db:
        assert queries.history_data(db, "nobody") is None


def test_equal_set_rows_are_validated_once_and_shared(store: Store) -> None:
    """Sets repeat session after session: equal rows become one frozen value, rows that
    differ in any column (a JSON column too) stay apart and read back as written."""
    coach = Coach(store, load_catalog())
    coach.screen(answers(), MONDAY)
    form = FormSummary(reps_observed=10, good_form_reps=9, good_form_share=0.9)
    same = SetLog(exercise_id="glute_bridge", set_index=1, reps=12, felt_in=("glutes",))
    other = same.model_copy(update={"form": form})
    for offset in (0, 2, 4):
        coach.log_session(MONDAY + dt.timedelta(days=offset), [same, other], MONDAY)
    with store.transaction() as db:
        history = repo.load_history(db, repo.person_id(db) or 0)
    assert history is not None
    firsts = [s.sets[0] for s in history.sessions]
    seconds = [s.sets[1] for s in history.sessions]
    assert firsts == [same] * 3 and seconds == [other] * 3
    assert all(s is firsts[0] for s in firsts) and all(s is seconds[0] for s in seconds)
    assert firsts[0] is not seconds[0]


def test_cached_history_follows_every_write(store: Store) -> None:
    coach = Coach(store, load_catalog(), "me", cache=HistoryCache())
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


class _Node:
    def __init__(self) -> None:
        self.me = self


def _cyclic_garbage() -> weakref.ref[_Node]:
    """An unreachable reference cycle (only the cyclic GC frees it) and a way to see it."""
    node = _Node()
    return weakref.ref(node)


def test_a_whole_history_load_is_kept_out_of_the_collector(store: Store) -> None:
    """A full load moves the held history out of the cyclic GC's scans (gc.freeze); a load
    that only adds the new rows does not freeze again, and the collector is left enabled."""
    import gc

    fill(store)
    cache = HistoryCache()
    coach = Coach(store, load_catalog(), "me", cache=cache)
    frozen = gc.get_freeze_count()
    garbage = _cyclic_garbage()
    try:
        history = coach.history()
        assert garbage() is None  # collected before, never frozen with the history
        grown = gc.get_freeze_count()
        assert grown > frozen
        assert gc.isenabled()
        held = history.sessions[0]  # the cached object (the History itself is a copy)
        assert all(held is not obj for g in (0, 1, 2) for obj in gc.get_objects(generation=g))
        session_id = coach.open_session(MONDAY + dt.timedelta(days=4))
        coach.log_set(session_id, SetLog(exercise_id="glute_bridge", set_index=1, reps=3))
        assert coach.history() == Coach(store, load_catalog(), "me").history()
        assert gc.get_freeze_count() <= grown  # frozen objects still die by refcount
    finally:
        gc.unfreeze()


def test_a_progress_ledger_rebuild_is_kept_out_of_the_collector(store: Store) -> None:
    """A view that (re)builds the progress ledger's settled part (many sessions at once) is
    frozen out of the GC's scans like a whole load; an ordinary view freezes nothing."""
    import gc

    from glutecoach.history_cache import MANY_SETTLED
    from glutecoach.progress_ledger import ProgressLedger

    class Rebuilt(ProgressLedger):
        settled_sessions = MANY_SETTLED  # type: ignore[assignment]

    fill(store)
    cache = HistoryCache()
    with store.transaction() as db:
        pid = repo.person_id(db) or 0
        now = cache.marks(db, pid)
    frozen = gc.get_freeze_count()
    try:
        assert cache.memo(pid, now, "plain", lambda: [["a view"]]) == [["a view"]]
        assert gc.get_freeze_count() <= frozen

        def rebuild() -> list[list[str]]:
            cache.ledgers[pid] = Rebuilt()
            return [["rebuilt"]]

        garbage = _cyclic_garbage()
        assert cache.memo(pid, now, "rebuilt", rebuild) == [["rebuilt"]]
        assert garbage() is None  # collected, not frozen
        assert gc.get_freeze_count() > frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_sessions_on_and_session_info(store: Store) -> None:
    coach = fill(store)
    with store.transaction() as db:
        me, someone = repo.person_id(db, "me"), repo.person_id(db, "someone")
        assert me is not None and someone is None
        day = lookup.sessions_on(db, me, MONDAY + dt.timedelta(days=2))
        assert [s.completed for s in day] == [False]
        assert lookup.session_info(db, me, day[0].id) == day[0]
        assert lookup.session_info(db, someone, day[0].id) is None
        assert lookup.session_info(db, me + 1, day[0].id) is None
        assert lookup.sessions_on(db, someone, MONDAY) == []
        assert marks.fingerprint(db, "someone") is None
    assert coach.logged_sets(day[0].id)


def test_unused_session_log_import() -> None:
    assert SessionLog  # keep the model import meaningful for readers of fill()


def test_marks_see_every_kind_of_change(store: Store) -> None:
    coach = fill(store)
    with store.transaction() as db:
        before = marks.fingerprint(db, "me")
    coach.set_setting("units", "lb")
    with store.transaction() as db:
        after = marks.fingerprint(db, "me")
    assert before is not None and after is not None and before != after
    assert after.max_ids == before.max_ids


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("set"), st.integers(0, 6), st.booleans()),
        st.tuples(st.just("finish"), st.integers(0, 6), st.booleans()),
        st.tuples(st.just("checkin"), st.integers(0, 6), st.booleans()),
        st.tuples(st.just("quick_log"), st.integers(0, 6), st.booleans()),
        st.tuples(st.just("clear"), st.integers(0, 6), st.booleans()),
        st.tuples(st.just("setting"), st.integers(0, 6), st.booleans()),
        st.tuples(st.just("rescreen"), st.integers(0, 6), st.booleans()),
        st.tuples(st.just("delete_set"), st.integers(0, 6), st.booleans()),
    ),
    max_size=10,
)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS)
def test_cached_history_equals_a_fresh_load_after_any_writes(
    ops: list[tuple[str, int, bool]],
) -> None:
    """Writes through the web's coach or another process (the CLI): the cache never lags."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'h.db'}")
        try:
            catalog = load_catalog()
            cached = Coach(store, catalog, "me", cache=HistoryCache())
            plain = Coach(store, catalog)
            plain.screen(answers(), MONDAY)
            assert cached.history() == plain.history()
            for op, offset, through_cache in ops:
                writer: Coach = cached if through_cache else plain
                _apply(store, writer, op, MONDAY + dt.timedelta(days=offset))
                assert cached.history() == plain.history(), op
        finally:
            store.close()


def _apply(store: Store, writer: Coach, op: str, day: dt.date) -> None:
    from sqlalchemy import delete, func, select

    from glutecoach.store.tables import SetRow

    if op == "set":
        session_id = writer.open_session(day)
        writer.log_set(session_id, SetLog(exercise_id="glute_bridge", set_index=1, reps=10))
    elif op == "finish":
        session_id = writer.open_session(day)
        writer.finish_session(session_id, day, notes="done")
    elif op == "checkin":
        writer.checkin(CheckIn(day=day, pain={Region.LOW_BACK: 2}), day)
    elif op == "quick_log":
        writer.log_session(day, [SetLog(exercise_id="clamshell", set_index=1, reps=9)], day)
    elif op == "clear":
        writer.clear(day, "ok")
    elif op == "setting":
        writer.set_setting("session_days", [day.weekday()])
    elif op == "rescreen":
        writer.screen(answers(age=41), day)
    elif op == "delete_set":
        with store.transaction() as db:
            last = db.scalar(select(func.max(SetRow.id)))
            if last is not None:
                db.execute(delete(SetRow).where(SetRow.id == last))


def test_overlapping_collector_pauses_resume_it_once_and_freeze_nothing_in_flight() -> None:
    """A page's pause and the background read's pause may overlap: the collector is back on
    only when the last one ends, and a whole-history pause ending while another is open does
    not freeze the other's objects in flight (they may be garbage)."""
    import gc

    from glutecoach.history_cache import no_gc

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    page, read = no_gc(), no_gc(keep=True)
    page.__enter__()
    read.__enter__()
    in_flight = [[]]  # a page's short-lived object, made while both pauses are open
    read.__exit__(None, None, None)
    assert gc.get_freeze_count() == frozen and not gc.isenabled()
    page.__exit__(None, None, None)
    assert gc.isenabled() and gc.get_freeze_count() == frozen and in_flight
    read, page = no_gc(keep=True), no_gc()
    read.__enter__()
    page.__enter__()
    page.__exit__(None, None, None)
    assert not gc.isenabled()
    read.__exit__(None, None, None)  # the last one: the history read is frozen now
    assert gc.isenabled() and gc.get_freeze_count() > frozen
    gc.unfreeze()


def test_a_session_written_between_the_outline_s_two_reads_is_left_for_the_next(
    store: Store, store_url: str
) -> None:
    """The sessions and their sets' keys are two statements: a session and its sets written
    between them by someone else are not counted now (and no error), but next time."""
    from sqlalchemy import event

    from glutecoach.store import outline

    coach = fill(store)
    other = open_store(store_url)
    writer = Coach(other, load_catalog())
    wrote: list[int] = []

    def between(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("SELECT ss.id, ss.performed_on, ss.completed") and not wrote:
            sets = [SetLog(exercise_id="clamshell", set_index=1, reps=10)]
            writer.log_session(MONDAY + dt.timedelta(days=4), sets, MONDAY)
            wrote.append(1)

    event.listen(store.engine, "after_cursor_execute", between)
    try:
        with store.transaction() as db:
            pid = repo.person_id(db) or 0
            first = outline.session_outlines(db, pid)
    finally:
        event.remove(store.engine, "after_cursor_execute", between)
        other.close()
    assert wrote
    with store.transaction() as db:
        again = outline.session_outlines(db, pid)
    assert len(again) == len(first) + 1 and again[-1].sets[0].exercise_id == "clamshell"
    assert coach.overview(MONDAY + dt.timedelta(days=5))[0].sessions_done >= 0
