"""A clinician's overrides as values in the history (core/override.py): hold, regress, progress,
dose, swap and end; the engine respects them until they end, and the pain model and red flags
always win. `simulate` replays them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from builders import MONDAY, follow, phase2_state, run_script, script
from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import DecisionKind, History, OverrideKind
from glutecoach.core.override import (
    OverrideRefused,
    OverrideRequest,
    make_override,
)
from glutecoach.core.progression import decide

CATALOG = load_catalog()
DAY = dt.timedelta(days=1)
OWNED = {"dumbbell_pairs_kg": [4.0, 6.0, 8.0, 10.0]}
EQUIPMENT = ["dumbbells", "band", "step"]
SET = {"exercise_id": "glute_bridge", "set_index": 1, "reps": 10, "rpe": 6, "pain": 7}


def _write(tmp_path: Path, events: list[dict]) -> Path:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script(events)))
    return path


def _override(day: dt.date, kind: str, **fields: Any) -> dict[str, Any]:
    return {"type": "override", "day": day.isoformat(), "kind": kind, **fields}


def _phase2(events: list[dict[str, Any]]) -> Any:
    initial = phase2_state(owned=OWNED, equipment=EQUIPMENT)
    return run_script(events, initial, owned=OWNED, equipment=EQUIPMENT)


def _slot(step: Any, slot: str) -> Any:
    found = step.decision.state.slot(slot)
    assert found is not None, slot
    return found


def test_a_hold_keeps_the_current_level_until_it_ends(tmp_path: Path) -> None:
    end = MONDAY + 14 * DAY
    result = _phase2(
        [
            _override(MONDAY, "hold", note="wait for the scan"),
            follow(MONDAY + DAY, 13, rpe=5, pain=0),
            _override(end, "end", note="scan clear"),
            follow(end + DAY, 10, rpe=5, pain=0),
        ]
    )
    steps = list(result.steps)
    held = steps[0]
    assert held.event == "override" and held.decision.override is not None
    during = [s for s in steps if held.day < s.day < end]
    assert during, "sessions were done while the hold lasted"
    for step in during:
        assert step.decision.state.exercises == held.decision.state.exercises
        assert step.decision.kind == DecisionKind.HOLD
        assert step.decision.reasons[0].rule == "clinician_override"
        assert "wait for the scan" in step.decision.reasons[0].text
        assert "2026-01-05" in step.decision.reasons[0].text
    assert any(r.rule == "clinician_override.held" for s in during for r in s.decision.reasons)
    ended = next(s for s in steps if s.day == end and s.event == "override")
    assert ended.decision.override is None and "scan clear" in ended.decision.reasons[0].text
    after = [s for s in steps if s.day > end]
    assert any(s.decision.kind == DecisionKind.ADVANCE for s in after), "back to the engine"
    assert all(s.decision.override is None for s in after)


def test_a_dose_holds_its_slot_while_the_others_progress() -> None:
    result = _phase2(
        [
            _override(MONDAY, "dose", slot="squat", note="knee", reps=10, load_kg=6.0),
            follow(MONDAY + DAY, 20, rpe=5, pain=0),
        ]
    )
    first = result.steps[0]
    squat = _slot(first, "squat")
    assert (squat.reps, squat.load_kg) == (10, 6.0)
    last = result.steps[-1]
    assert _slot(last, "squat") == squat, "the clinician's dose stays"
    assert _slot(last, "step") != _slot(first, "step"), "the other slots follow the engine"
    assert last.decision.override is not None and last.decision.override.slots == ("squat",)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reps": 40}, "reps: Goblet squat .* takes 1 to"),
        ({"sets": 9}, "sets: Goblet squat .* takes 1 to"),
        ({"load_kg": 7.0}, "load_kg: 7 kg is not a load the person has"),
        ({"hold_seconds": 30}, "hold_seconds: Goblet squat .* has no hold"),
        ({}, "dose: give at least one of"),
    ],
)
def test_a_dose_outside_the_catalog_or_the_equipment_is_refused(fields, message) -> None:
    with pytest.raises(OverrideRefused, match=message):
        _phase2([_override(MONDAY, "dose", slot="squat", note="n", **fields)])


def test_a_swap_takes_a_catalog_variant_the_equipment_allows() -> None:
    result = _phase2([_override(MONDAY, "swap", slot="squat", exercise_id="bodyweight_squat")])
    squat = _slot(result.steps[0], "squat")
    assert squat.exercise_id == "bodyweight_squat" and squat.load_kg == 0
    with pytest.raises(OverrideRefused, match="is not a variant of goblet_squat"):
        _phase2([_override(MONDAY, "swap", slot="squat", exercise_id="clamshell")])
    with pytest.raises(OverrideRefused, match="slot: 'nope' is not in the current plan"):
        _phase2([_override(MONDAY, "swap", slot="nope", exercise_id="clamshell")])


def test_regress_and_progress_take_one_step() -> None:
    result = _phase2(
        [
            _override(MONDAY, "progress", slot="squat", note="strong"),
            _override(MONDAY + DAY, "regress", note="tired week"),
        ]
    )
    start = phase2_state(owned=OWNED, equipment=EQUIPMENT)
    squat0 = next(e for e in start["exercises"] if e["slot"] == "squat")
    up = _slot(result.steps[0], "squat")
    assert up.reps == squat0["reps"] + 1 and result.steps[0].decision.kind == DecisionKind.ADVANCE
    down = result.steps[1].decision
    assert down.kind == DecisionKind.REGRESS and down.changes
    assert down.override is not None and down.override.kind == OverrideKind.REGRESS


def test_a_pain_flare_sets_an_override_aside_and_says_why() -> None:
    hurt = {"exercise_id": "goblet_squat", "set_index": 1, "reps": 8, "rpe": 6, "pain": 7}
    result = _phase2(
        [
            _override(MONDAY, "dose", slot="squat", reps=12, load_kg=8.0, note="push on"),
            {"type": "session", "day": (MONDAY + 2 * DAY).isoformat(), "sets": [hurt]},
        ]
    )
    flare = result.steps[-1].decision
    assert flare.kind == DecisionKind.REGRESS and flare.override is None
    aside = [r for r in flare.reasons if r.rule == "clinician_override.set_aside"]
    assert aside and "pain" in aside[0].text and "push on" in aside[0].text
    dosed, after = _slot(result.steps[-2], "squat"), _slot(result.steps[-1], "squat")
    # a real step back from the clinician's dose: a lighter load, or fewer sets/reps at it
    assert after.load_kg < dosed.load_kg or (
        after.load_kg == dosed.load_kg
        and (after.sets * (after.reps or 0) < dosed.sets * (dosed.reps or 0))
    )


def test_no_progress_while_the_pain_model_says_stop() -> None:
    hurt = {"exercise_id": "goblet_squat", "set_index": 1, "reps": 8, "rpe": 6, "pain": 7}
    flare = [{"type": "session", "day": MONDAY.isoformat(), "sets": [hurt]}]
    with pytest.raises(OverrideRefused, match="not while the pain model says stop"):
        _phase2([*flare, _override(MONDAY + DAY, "progress", slot="squat", note="n")])
    with pytest.raises(OverrideRefused, match="not while the pain model says stop"):
        _phase2([*flare, _override(MONDAY + DAY, "dose", slot="hinge", reps=10, note="n")])
    held = _phase2([*flare, _override(MONDAY + DAY, "hold", note="let it settle")])
    assert held.steps[-1].decision.override is not None
    with pytest.raises(OverrideRefused, match="not while the pain model says stop"):
        _phase2(
            [
                *flare,
                _override(MONDAY + DAY, "hold", note="first a hold"),
                _override(MONDAY + DAY, "progress", slot="hinge", note="then up"),
            ]
        )
    sore = {"day": (MONDAY + 2 * DAY).isoformat(), "pain": {"low_back": 7}}
    with pytest.raises(OverrideRefused, match=r"pain was 7/10 on 2026-01-07"):
        _phase2(
            [
                {"type": "checkin", "day": sore["day"], "checkin": sore},
                _override(MONDAY + 2 * DAY, "progress", slot="hinge", note="n"),
            ]
        )


def test_a_red_flag_stops_regardless_of_an_override() -> None:
    checkin = {"day": "2026-01-07", "red_flags": {"saddle_numbness": True}}
    result = _phase2(
        [
            _override(MONDAY, "hold", note="steady"),
            {"type": "checkin", "day": "2026-01-07", "checkin": checkin},
        ]
    )
    stop = result.steps[-1].decision
    assert stop.kind == DecisionKind.STOP_AND_REFER and stop.override is None
    assert any(r.rule == "clinician_override.set_aside" for r in stop.reasons)
    history = result.history
    for kind in OverrideKind:
        request = OverrideRequest(kind=kind, note="n", slot="squat", reps=9)
        with pytest.raises(OverrideRefused, match="red flag is not overridden"):
            make_override(history, CATALOG, MONDAY + 3 * DAY, request)


def test_end_needs_an_override_in_force() -> None:
    with pytest.raises(OverrideRefused, match="no override is in force"):
        _phase2([_override(MONDAY, "end", note="n")])


def test_no_decision_yet_is_refused(catalog) -> None:
    history = History(screening=run_script([]).history.screening, screened_on=MONDAY)
    with pytest.raises(OverrideRefused, match="no decision yet"):
        make_override(history, catalog, MONDAY, OverrideRequest(note="n"))
    assert decide(history, catalog, MONDAY).override is None


def test_simulate_shows_overrides_on_the_command_line(run, tmp_path: Path) -> None:
    events = [
        follow(MONDAY, 7, rpe=5, pain=1),
        {"type": "session", "day": "2026-01-12", "sets": [SET]},
        {"type": "override", "day": "2026-01-12", "note": "flare from gardening"},
        follow(MONDAY + 8 * DAY, 4, rpe=5, pain=1),
    ]
    result = run("simulate", str(_write(tmp_path, events)), "--json")
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["steps"]
    kinds = [(s["event"], s["decision"]["kind"]) for s in steps]
    at = kinds.index(("session", "regress"))
    assert kinds[at + 1] == ("override", "hold")
    override = steps[at + 1]["decision"]
    assert override["reasons"][0]["rule"] == "clinician_override"
    assert "gardening" in override["reasons"][0]["text"]
    assert override["state"] == steps[at]["decision"]["state"], "held at the current level"
    assert override["override"]["kind"] == "hold"
    for later in steps[at + 2 :]:
        assert later["decision"]["state"]["exercises"] == override["state"]["exercises"]
    shown = run("simulate", str(_write(tmp_path, events)))
    assert shown.exit_code == 0 and "gardening" in shown.output


def test_a_red_flag_is_never_overridden_in_a_script(run, tmp_path: Path) -> None:
    checkin = {
        "day": "2026-01-06",
        "pain": {},
        "stiffness": 0,
        "red_flags": {"saddle_numbness": True},
    }
    events = [
        {"type": "checkin", "day": "2026-01-06", "checkin": checkin},
        {"type": "override", "day": "2026-01-06", "note": "no"},
    ]
    result = run("simulate", str(_write(tmp_path, events)))
    assert result.exit_code == 2, result.output
    assert "red flag is not overridden" in result.output
    assert "Traceback" not in result.output


def test_a_whole_plan_hold_keeps_phase_1_and_a_slot_override_lapses_at_phase_2() -> None:
    """Following the plan reaches Phase 2 on 2026-01-19 without an override."""
    plain = run_script([follow(MONDAY, 40, rpe=5, pain=0)])
    assert any(s.decision.state.phase == 2 for s in plain.steps)
    held = run_script(
        [
            follow(MONDAY, 40, rpe=5, pain=0),
            _override(MONDAY + 11 * DAY, "hold", note="not yet: scan first"),
        ]
    )
    assert all(s.decision.state.phase == 1 for s in held.steps)
    gate = [
        s.decision
        for s in held.steps
        if any(
            r.rule == "clinician_override.held" and "phase" in r.text for r in s.decision.reasons
        )
    ]
    assert gate, "the gate's Phase 2 move is said to be held"
    slot = run_script(
        [
            follow(MONDAY, 40, rpe=5, pain=0),
            _override(MONDAY + 11 * DAY, "hold", slot="bridge", note="bridge as it is"),
        ]
    )
    moved = next(s.decision for s in slot.steps if s.decision.state.phase == 2)
    assert moved.override is None
    aside = [r.text for r in moved.reasons if r.rule == "clinician_override.set_aside"]
    assert aside and "Phase 2" in aside[0] and "bridge as it is" in aside[0]
