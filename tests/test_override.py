"""A clinician's override as a value in the history: the engine carries on from the plan the
clinician kept, and `simulate` replays it (core/override.py, shared with clinic verdicts)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import script

SET = {"exercise_id": "glute_bridge", "set_index": 1, "reps": 10, "rpe": 6, "pain": 7}


def _write(tmp_path: Path, events: list[dict]) -> Path:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script(events)))
    return path


def test_simulate_shows_an_override_and_the_engine_follows_it(run, tmp_path: Path) -> None:
    events = [
        {"type": "follow_plan", "day": "2026-01-05", "days": 7, "rpe": 5, "pain": 1},
        {"type": "session", "day": "2026-01-12", "sets": [SET]},
        {"type": "override", "day": "2026-01-12", "note": "flare from gardening"},
        {"type": "follow_plan", "day": "2026-01-13", "days": 4, "rpe": 5, "pain": 1},
    ]
    result = run("simulate", str(_write(tmp_path, events)), "--json")
    assert result.exit_code == 0, result.output
    steps = json.loads(result.output)["steps"]
    kinds = [(s["event"], s["decision"]["kind"]) for s in steps]
    at = kinds.index(("session", "regress"))
    assert kinds[at + 1] == ("override", "hold")
    override = steps[at + 1]["decision"]
    assert override["reasons"][0]["rule"] == "clinician_override"
    assert "gardening" in override["reasons"][0]["text"]
    assert override["state"] == steps[at - 1]["decision"]["state"], "the plan before the flare"
    assert steps[at + 2]["decision"]["state"]["phase"] == override["state"]["phase"]
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
