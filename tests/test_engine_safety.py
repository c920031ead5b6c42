"""Safety, as a physiotherapist would state it: red flags stop with the right urgency, severe
pain starts gently with a stated time to see someone, and "new pain" means new."""

from __future__ import annotations

import datetime as dt
import json

from builders import MONDAY, answers, follow, script
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import (
    CheckIn,
    DecisionKind,
    History,
    ScreeningOutcome,
)
from glutecoach.core.plan import build_plan
from glutecoach.core.program import phase1_state
from glutecoach.core.progression import decide, red_flags_due
from glutecoach.core.screening import screen
from glutecoach.core.simulate import SimulationScript, simulate

CATALOG = load_catalog()


def _words(output: str) -> str:
    """Terminal output with line wrapping and panel borders undone."""
    return " ".join(output.replace("│", " ").split())


def _history(**screening: object) -> History:
    return History(screening=answers(**screening), screened_on=MONDAY)


def test_saddle_numbness_at_a_check_in_is_an_emergency_and_the_plan_stays_empty() -> None:
    history = _history()
    day = MONDAY + dt.timedelta(days=3)
    checkin = CheckIn(day=day, pain={"low_back": 3}, red_flags={"saddle_numbness": True})
    decision = decide(history.model_copy(update={"checkins": (checkin,)}), CATALOG, day)
    assert decision.kind is DecisionKind.STOP_AND_REFER
    assert decision.refer is ScreeningOutcome.REFER_EMERGENCY
    advice = decision.reasons[0].text
    assert "emergency" in advice and "today" in advice and "emergency department" in advice
    plan = build_plan(decision.state, CATALOG, history.screening, [0, 2, 4], day)
    assert plan.sessions == ()
    assert "emergency department" in plan.notes[0]


def test_a_soon_flag_at_a_check_in_asks_for_a_clinician_within_days_not_an_emergency() -> None:
    day = MONDAY + dt.timedelta(days=3)
    checkin = CheckIn(day=day, red_flags={"fever_or_unwell": True})
    decision = decide(_history().model_copy(update={"checkins": (checkin,)}), CATALOG, day)
    assert decision.refer is ScreeningOutcome.REFER_SOON
    assert "within the next few days" in decision.reasons[0].text
    assert "emergency department" not in decision.reasons[0].text


def test_emergency_at_check_in_through_the_cli_exits_3_and_says_where_to_go(run, tmp_path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers().model_dump(mode="json")))
    assert run("--today", "2026-01-05", "screen", "--answers", str(path)).exit_code == 0
    result = run(
        "--today", "2026-01-07", "checkin", "--pain", "low_back=3", "--red-flag", "saddle_numbness"
    )
    assert result.exit_code == 3, result.output
    text = _words(result.output)
    assert "EMERGENCY" in text and "emergency department" in text
    assert "Stop: see a doctor or physiotherapist soon" not in result.output
    as_json = run("--today", "2026-01-07", "checkin", "--pain", "low_back=3", "--json")
    assert as_json.exit_code == 3
    plan = run("--today", "2026-01-08", "plan")
    assert "paused" in plan.output and "emergency department" in _words(plan.output)


def test_simulate_prints_an_emergency_as_an_emergency(run, tmp_path) -> None:
    events = [
        follow(MONDAY, 3),
        {"type": "safety", "day": "2026-01-08", "yes": ["bladder_bowel_change"]},
    ]
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script(events)))
    result = run("simulate", str(path))
    assert result.exit_code == 0, result.output
    text = _words(result.output)
    assert "REFER_EMERGENCY" in text and "emergency department" in text


def test_severe_pain_at_screening_starts_gentlest_and_names_a_time_to_see_a_clinician() -> None:
    severe = answers(pain={"hip": {"score": 9, "onset_weeks": 30}})
    result = screen(severe, CATALOG)
    assert result.outcome is ScreeningOutcome.START
    assert "gentle start" in result.emphasis
    text = " ".join(result.explanation)
    days = CATALOG.rules.screening.params.severe_pain_settle_days
    assert f"within {days} days" in text and "9/10" in text
    rungs = CATALOG.rules.phase1_ladder.params.rungs
    gentle = phase1_state(severe, CATALOG, MONDAY).slot("bridge")
    standard = phase1_state(answers(), CATALOG, MONDAY).slot("bridge")
    assert gentle is not None and standard is not None
    assert (gentle.sets, gentle.reps) == (rungs[0].sets, rungs[0].reps)
    assert gentle.sets < standard.sets


def test_severe_pain_re_asks_the_red_flags_at_the_first_check_ins() -> None:
    history = History(
        screening=answers(pain={"hip": {"score": 8, "onset_weeks": 30}}), screened_on=MONDAY
    )
    day = MONDAY + dt.timedelta(days=1)
    assert "severe" in red_flags_due(history, CATALOG, day)
    needed = CATALOG.rules.screening.params.severe_pain_recheck_checkins
    asked = tuple(
        CheckIn(day=MONDAY + dt.timedelta(days=i + 1), red_flags={"saddle_numbness": False})
        for i in range(needed)
    )
    assert red_flags_due(history.model_copy(update={"checkins": asked}), CATALOG, day) == ""
    mild = History(screening=answers(), screened_on=MONDAY)
    assert red_flags_due(mild, CATALOG, day) == ""


def test_age_rule_refers_only_new_pain_and_says_what_to_tell() -> None:
    long_standing = answers(age=63, pain={"low_back": {"score": 3, "onset_weeks": 260}})
    assert screen(long_standing, CATALOG).outcome is ScreeningOutcome.START
    new = screen(answers(age=63, pain={"low_back": {"score": 3, "onset_weeks": 2}}), CATALOG)
    assert new.outcome is ScreeningOutcome.REFER_SOON
    assert "ticked" not in " ".join(new.explanation)
    assert "low back pain is new" in " ".join(new.explanation)
    unknown = screen(answers(age=17, pain={"knee": {"score": 2}}), CATALOG)
    assert unknown.outcome is ScreeningOutcome.REFER_SOON
    assert any("treated as new" in r.text for r in unknown.reasons)


def test_red_flag_start_is_reported_for_the_clinician() -> None:
    result = screen(
        answers(
            red_flags={"cancer_history": True}, red_flag_onset={"cancer_history": "2019-03-01"}
        ),
        CATALOG,
    )
    assert any("since 2019-03-01" in r.text for r in result.reasons)
    assert "since 2019-03-01" in " ".join(result.explanation)


def test_red_flag_in_any_form_stops_the_simulation_plan() -> None:
    events = [
        follow(MONDAY, 14),
        {"type": "safety", "day": "2026-01-12", "yes": ["cancer_history"]},
    ]
    result = simulate(SimulationScript.model_validate(script(events)), CATALOG)
    after = [s for s in result.steps if s.day >= dt.date(2026, 1, 12)]
    assert after[0].decision.refer is ScreeningOutcome.REFER_SOON
    assert not [s for s in result.history.sessions if s.performed_on >= dt.date(2026, 1, 12)]


def test_interactive_screening_asks_onset_and_what_is_owned(run) -> None:
    count = len(CATALOG.rules.red_flags.flags)
    lines = ["n"] * count
    # low back 4 (both sides, began 300 weeks ago), other regions 0, age 63
    lines += ["4", "both", "300", "0", "0", "0", "63"]
    lines += ["9", "120", "light", "dumbbells,band,step", "4, 6, 8", "light, medium", "20"]
    lines += [""] * 5 + [""]  # self-tests skipped, no PSFS
    result = run("--today", "2026-01-05", "screen", "--json", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    # A 63-year-old with long-standing back pain starts (the age rule is for new pain).
    assert '"outcome": "start"' in result.output
    from glutecoach.paths import database_url
    from glutecoach.services import Coach
    from glutecoach.store.db import open_store

    store = open_store(database_url())
    try:
        latest = Coach(store, CATALOG).latest_screening()
    finally:
        store.close()
    assert latest is not None
    given = latest[0]
    assert given.pain["low_back"].onset_weeks == 300
    assert given.owned is not None
    assert given.owned.dumbbell_pairs_kg == (4, 6, 8)
    assert [b.value for b in given.owned.bands] == ["light", "medium"]
    assert given.owned.step_height_cm == 20


def test_interactive_emergency_at_screening_records_when_it_started_and_exits_3(run) -> None:
    result = run("--today", "2026-01-05", "screen", input="y\n2026-01-03\n")
    assert result.exit_code == 3, result.output
    text = _words(result.output)
    assert "emergency department" in text and "(since 2026-01-03)" in text
