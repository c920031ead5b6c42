"""The scripted run of the README: answers -> plan -> weeks of sessions -> decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent.parent / "examples" / "simulation.json"


def _steps(run, path: Path) -> list[dict]:
    result = run("simulate", str(path), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["steps"]


def test_readme_example_reaches_phase_2_regresses_on_flare_and_stops_on_red_flag(run) -> None:
    steps = _steps(run, EXAMPLE)
    phases = [s["decision"]["state"]["phase"] for s in steps]
    first_phase2 = phases.index(2)
    advance = steps[first_phase2]["decision"]
    assert advance["kind"] == "advance"
    gate = [r["text"] for r in advance["reasons"] if r["rule"] == "phase_gate"]
    assert gate and all(t.startswith("Met:") for t in gate)
    # Before that, the gate was checked and found wanting (stance self-test, symmetry):
    before = [s["decision"] for s in steps[:first_phase2]]
    assert any("single-leg stance" in r["text"] for d in before for r in d["reasons"])
    regress = [s for s in steps if s["decision"]["kind"] == "regress"]
    assert regress and any(
        r["rule"] == "pain_model.during" for s in regress for r in s["decision"]["reasons"]
    )
    assert steps[-1]["decision"]["kind"] == "stop_and_refer"
    assert steps[-1]["decision"]["refer"] == "refer_emergency"


def test_without_the_stance_self_test_passing_phase_2_is_never_reached(run, tmp_path) -> None:
    script = json.loads(EXAMPLE.read_text())
    script["events"] = [e for e in script["events"] if e["type"] != "checkin"]
    path = tmp_path / "no_retest.json"
    path.write_text(json.dumps(script))
    assert all(s["decision"]["state"]["phase"] == 1 for s in _steps(run, path))


def test_simulate_human_output_and_schema(run) -> None:
    text = run("simulate", str(EXAMPLE))
    assert "advance" in text.output and "stop_and_refer" in text.output
    schema = json.loads(run("simulate", "--schema").output)
    assert "events" in schema["properties"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda s: s["events"][0].update(days=-3), "events.0.follow_plan.days"),
        (lambda s: s["events"][0].update(type="teleport"), "events.0"),
        (lambda s: s["screening"].update(sitting_hours_per_day=30), "sitting_hours_per_day"),
    ],
)
def test_bad_script_exits_2_naming_the_field(run, tmp_path, mutate, expected) -> None:
    script = json.loads(EXAMPLE.read_text())
    mutate(script)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(script))
    result = run("simulate", str(path))
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output


def test_readme_example_output_is_what_simulate_prints(run, monkeypatch) -> None:
    """Every unabridged line of the README's example appears in the real output, in order."""
    monkeypatch.setenv("COLUMNS", "400")
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    block = readme.split("prints (abridged):\n\n```\n", 1)[1].split("```", 1)[0]
    expected = [line for line in block.splitlines() if line.strip() and "..." not in line]
    output = run("simulate", str(EXAMPLE)).output.splitlines()
    position = 0
    for line in expected:
        found = [i for i, got in enumerate(output) if i >= position and got == line]
        assert found, f"README line not printed (in this order): {line!r}"
        position = found[0] + 1


def test_readme_example_expresses_a_break_the_band_and_owned_equipment(run) -> None:
    steps = _steps(run, EXAMPLE)
    rules = {r["rule"] for s in steps for r in s["decision"]["reasons"]}
    assert {"time_off.return", "band_progression", "pain_model.during"} <= rules
    loads = [e["load_kg"] for s in steps for e in s["decision"]["state"]["exercises"]]
    assert max(loads) <= 8
