"""Explanations a physiotherapist would sign: each reason cites what supports it, and each
reason's words are true of the case."""

from __future__ import annotations

import datetime as dt

from builders import MONDAY, answers, phase2_state, script, with_slot
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import DecisionKind
from glutecoach.core.screening import screen
from glutecoach.core.simulate import SimulationScript, simulate

CATALOG = load_catalog()
DAY = dt.timedelta(days=1)


def _cites(reason_sources: tuple[str, ...], source_id: str) -> bool:
    return CATALOG.sources[source_id].citation in reason_sources


def test_each_screening_emphasis_cites_its_own_evidence() -> None:
    result = screen(
        answers(
            pain={
                "low_back": {"score": 5, "onset_weeks": 40},
                "knee": {"score": 5, "onset_weeks": 40},
            },
            self_tests={"single_leg_bridge_reps_left": 8, "single_leg_bridge_reps_right": 20},
        ),
        CATALOG,
    )
    by_rule = {r.rule: r for r in result.reasons}
    core = by_rule["screening.core_control"]
    assert _cites(core.sources, "mcgill2007")
    assert not _cites(core.sources, "healy2008") and not _cites(core.sources, "freckleton2014")
    assert _cites(by_rule["screening.asymmetry"].sources, "freckleton2014")
    assert not _cites(by_rule["screening.asymmetry"].sources, "healy2008")
    assert _cites(by_rule["screening.gluteus_medius"].sources, "distefano2009")
    assert _cites(by_rule["screening.hip_flexor_mobility"].sources, "healy2008")


def _one_session(reps: int, start_reps: int) -> list[str]:
    state = with_slot(phase2_state(), "squat", load_kg=12.0, reps=start_reps)
    sets = [
        {
            "exercise_id": "goblet_squat",
            "set_index": i,
            "reps": reps,
            "load_kg": 12.0,
            "rpe": 7,
            "felt_in": ["glutes"],
        }
        for i in (1, 2, 3)
    ]
    data = script([{"type": "session", "day": MONDAY.isoformat(), "sets": sets}])
    data["initial_state"] = state
    result = simulate(SimulationScript.model_validate(data), CATALOG)
    return [r.text for r in result.steps[-1].decision.reasons]


def test_one_more_rep_mid_range_does_not_claim_the_top_of_the_range() -> None:
    texts = _one_session(reps=10, start_reps=10)
    squat = next(t for t in texts if t.startswith("Goblet squat"))
    assert "top of the rep range" not in squat
    assert "11 next time" in squat
    top = next(t for t in _one_session(reps=12, start_reps=12) if t.startswith("Goblet squat"))
    assert "top of the rep range (12) reached" in top


def test_keep_going_is_never_said_with_resting_pain_above_five() -> None:
    state = phase2_state()
    events = [
        {
            "type": "checkin",
            "day": MONDAY.isoformat(),
            "checkin": {"day": MONDAY.isoformat(), "pain": {"hip": 6}},
        }
    ]
    data = script(events)
    data["initial_state"] = state
    decision = simulate(SimulationScript.model_validate(data), CATALOG).steps[-1].decision
    texts = " ".join(r.text for r in decision.reasons)
    assert "keep going" not in texts
    assert "6/10" in texts and decision.kind is DecisionKind.HOLD
    calm = [{**events[0], "checkin": {"day": MONDAY.isoformat(), "pain": {"hip": 2}}}]
    data = script(calm)
    data["initial_state"] = state
    decision = simulate(SimulationScript.model_validate(data), CATALOG).steps[-1].decision
    assert "keep going" in " ".join(r.text for r in decision.reasons)


def test_every_rule_and_emphasis_cites_sources_that_exist() -> None:
    for name in ("time_off", "band_progression", "asymmetry", "older_adults"):
        rule = getattr(CATALOG.rules, name)
        assert rule.sources and all(s in CATALOG.sources for s in rule.sources)
    for ids in CATALOG.rules.screening.emphasis_sources.values():
        assert ids and all(s in CATALOG.sources for s in ids)


def test_phase1_check_in_with_resting_pain_above_five_names_a_time_to_see_someone() -> None:
    events = [
        {
            "type": "checkin",
            "day": MONDAY.isoformat(),
            "checkin": {"day": MONDAY.isoformat(), "pain": {"hip": 7}},
        }
    ]
    decision = simulate(SimulationScript.model_validate(script(events)), CATALOG).steps[-1].decision
    assert decision.kind is DecisionKind.HOLD
    assert decision.reasons[0].rule == "pain_model.resting"
    assert "7/10" in decision.reasons[0].text and "within 14 days" in decision.reasons[0].text
