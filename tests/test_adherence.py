"""Adherence counted by sets done against sets prescribed, as a physiotherapist would read a
training diary: stopping after 1 of 18 sets is not a session done and not 100 % adherence."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from tests.builders import MONDAY, answers

from glutecoach.core.adherence import sets_share
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import History, Prescription, SessionLog, SetLog, Side
from glutecoach.core.plan import build_plan, session_for
from glutecoach.core.program import phase1_state
from glutecoach.core.progress import summarize
from glutecoach.services import Coach
from glutecoach.store.db import Store

MON_WED_FRI = [0, 2, 4]


def todays_prescriptions(history: History, catalog: Catalog) -> tuple[Prescription, ...]:
    """What the person was shown for Monday: the plan's session, as the guide lists it."""
    state = phase1_state(history.screening, catalog, history.screened_on)
    plan = build_plan(state, catalog, history.screening, MON_WED_FRI, MONDAY)
    session = session_for(plan, MONDAY)
    assert session is not None
    return session.prescriptions


def sets_for(prescriptions: tuple[Prescription, ...]) -> list[SetLog]:
    """Every prescribed set, logged as the guide would (exercise, side, set number)."""
    return [
        SetLog(exercise_id=p.exercise_id, side=p.side, set_index=i, reps=p.reps or 0)
        for p in prescriptions
        for i in range(1, p.sets + 1)
    ]


def monday_history(sets: list[SetLog], *, screening: History | None = None) -> History:
    base = screening or History(screening=answers(), screened_on=MONDAY)
    session = SessionLog(performed_on=MONDAY, phase=1, sets=tuple(sets), completed=True)
    return base.model_copy(update={"sessions": (session,)})


def test_finishing_after_one_of_the_prescribed_sets_is_not_a_session_done(
    catalog: Catalog,
) -> None:
    blank = History(screening=answers(), screened_on=MONDAY)
    prescribed = todays_prescriptions(blank, catalog)
    total = sum(p.sets for p in prescribed)
    assert total > 10  # a real Phase 1 session: warm-up, main work, core and stretches
    history = monday_history(sets_for(prescribed)[:1])
    summary = summarize(history, catalog, MON_WED_FRI, MONDAY)
    assert summary.sessions_done == 0
    (week,) = summary.adherence
    assert week.planned == 1 and week.full == 0
    assert week.done == round(1 / total, 2)
    assert summary.adherence_share is not None and summary.adherence_share < 0.1


def test_every_prescribed_set_done_is_a_whole_session_and_full_adherence(
    catalog: Catalog,
) -> None:
    blank = History(screening=answers(), screened_on=MONDAY)
    history = monday_history(sets_for(todays_prescriptions(blank, catalog)))
    summary = summarize(history, catalog, MON_WED_FRI, MONDAY)
    assert summary.sessions_done == 1
    assert summary.adherence[0].done == 1.0
    assert summary.adherence_share == 1.0


def test_two_thirds_of_the_sets_count_two_thirds_of_a_session(catalog: Catalog) -> None:
    blank = History(screening=answers(), screened_on=MONDAY)
    every = sets_for(todays_prescriptions(blank, catalog))
    part = every[: len(every) * 2 // 3]
    summary = summarize(monday_history(part), catalog, MON_WED_FRI, MONDAY)
    assert summary.sessions_done == 0
    assert summary.adherence[0].done == round(len(part) / len(every), 2)


def test_extra_sets_of_one_exercise_do_not_stand_in_for_the_others(catalog: Catalog) -> None:
    blank = History(screening=answers(), screened_on=MONDAY)
    prescribed = todays_prescriptions(blank, catalog)
    total = sum(p.sets for p in prescribed)
    first = prescribed[0]
    eighteen = [
        SetLog(exercise_id=first.exercise_id, side=first.side, set_index=min(i, 20), reps=10)
        for i in range(1, 19)
    ]
    summary = summarize(monday_history(eighteen), catalog, MON_WED_FRI, MONDAY)
    assert summary.sessions_done == 0
    assert summary.adherence[0].done == round(first.sets / total, 2)


def test_one_side_only_of_a_single_leg_exercise_is_half_of_it() -> None:
    left = Prescription(exercise_id="clamshell", side=Side.LEFT, sets=3, reps=12)
    right = left.model_copy(update={"side": Side.RIGHT})
    only_left = SessionLog(
        performed_on=MONDAY,
        phase=1,
        sets=tuple(
            SetLog(exercise_id="clamshell", side=Side.LEFT, set_index=i, reps=12)
            for i in range(1, 7)
        ),
    )
    assert sets_share(only_left, (left, right)) == Fraction(1, 2)


def test_a_substitute_exercise_fills_the_room_left_by_the_one_it_replaced() -> None:
    bridge = Prescription(exercise_id="glute_bridge", sets=3, reps=12)
    clam = Prescription(exercise_id="clamshell", side=Side.LEFT, sets=2, reps=12)
    swapped = SessionLog(
        performed_on=MONDAY,
        phase=1,
        sets=(
            *(SetLog(exercise_id="hip_thrust", set_index=i, reps=10) for i in range(1, 4)),
            *(
                SetLog(exercise_id="clamshell", side=Side.LEFT, set_index=i, reps=12)
                for i in (1, 2)
            ),
        ),
    )
    assert sets_share(swapped, (bridge, clam)) == 1
    # ...but many sets of one substitute stand in for one prescribed exercise, not for all
    only_thrusts = SessionLog(
        performed_on=MONDAY,
        phase=1,
        sets=tuple(SetLog(exercise_id="hip_thrust", set_index=i, reps=10) for i in range(1, 19)),
    )
    assert sets_share(only_thrusts, (bridge, clam)) == Fraction(3, 5)


def test_an_unfinished_session_and_one_without_sets_earn_nothing(catalog: Catalog) -> None:
    blank = History(screening=answers(), screened_on=MONDAY)
    every = tuple(sets_for(todays_prescriptions(blank, catalog)))
    sessions = (
        SessionLog(performed_on=MONDAY, phase=1, sets=every, completed=False),
        SessionLog(performed_on=MONDAY, phase=1),
    )
    history = blank.model_copy(update={"sessions": sessions})
    summary = summarize(history, catalog, MON_WED_FRI, MONDAY)
    assert summary.sessions_done == 0 and summary.adherence[0].done == 0


def test_the_weaker_sides_extra_sets_are_part_of_the_prescription(catalog: Catalog) -> None:
    """With a clear left-right difference the weaker side gets extra sets (asymmetry rule);
    doing only the base sets on both sides is not the whole session."""
    tests = {
        "single_leg_bridge_reps_left": 6,
        "single_leg_bridge_reps_right": 15,
        "single_leg_stance_pelvic_drop": False,
        "single_leg_stance_pain": False,
    }
    blank = History(screening=answers(self_tests=tests), screened_on=MONDAY)
    prescribed = todays_prescriptions(blank, catalog)
    by_side = {(p.exercise_id, p.side): p.sets for p in prescribed}
    right = {e: n for (e, side), n in by_side.items() if side is Side.RIGHT}
    uneven = [p for p in prescribed if p.side is Side.LEFT and right[p.exercise_id] < p.sets]
    assert uneven, "the asymmetry rule should add sets on the weaker (left) side"
    base_only = [
        p.model_copy(update={"sets": right[p.exercise_id]}) if p in uneven else p
        for p in prescribed
    ]
    history = monday_history(sets_for(tuple(base_only)), screening=blank)
    summary = summarize(history, catalog, MON_WED_FRI, MONDAY)
    assert summary.sessions_done == 0 and summary.adherence[0].done < 1
    whole = monday_history(sets_for(prescribed), screening=blank)
    assert summarize(whole, catalog, MON_WED_FRI, MONDAY).sessions_done == 1


def test_the_dashboard_counts_an_early_finish_by_its_sets(store: Store, catalog: Catalog) -> None:
    """Through the app: open today's session, log one set, finish: the home page's numbers."""
    coach = Coach(store, catalog)
    coach.screen(answers(), MONDAY)
    coach.set_setting("session_days", MON_WED_FRI)
    planned = coach.todays_session(MONDAY)
    assert planned is not None
    first = planned.prescriptions[0]
    session_id = coach.open_session(MONDAY)
    coach.log_set(
        session_id,
        SetLog(exercise_id=first.exercise_id, side=first.side, set_index=1, reps=first.reps or 0),
    )
    coach.finish_session(session_id, MONDAY)
    numbers, _, _ = coach.overview(MONDAY)
    summary = coach.progress(MONDAY)
    total = sum(p.sets for p in planned.prescriptions)
    assert numbers.sessions_done == summary.sessions_done == 0
    assert numbers.adherence_share == summary.adherence_share
    assert summary.adherence[0].done == round(1 / total, 2)
    assert numbers.adherence_share is not None and numbers.adherence_share < 0.1
    # the next day's plan is unchanged by how adherence is counted; the set is kept
    assert len(coach.history().sessions[0].sets) == 1
    assert dt.date(2026, 1, 7) in {s.day for s in coach.plan(MONDAY).sessions}
