"""A physiotherapist's review of the engine's decisions, on whole histories.

Each file in tests/scenarios/ is one person: a `glutecoach simulate` script (``script``) and what
a physio expects of the decisions (``expect``, ``never``), taken from /work/shared/CLINICAL.md
(``clinical`` names the rule and its source), never from what the engine happens to print.
Run one by hand: ``jq .script tests/scenarios/NAME.json > s.json && glutecoach simulate s.json``.

Expectation keys, per decision (the last one of day ``on``, or of ``event`` that day):
``kind``, ``refer``, ``phase``, ``stopped``; ``rules`` (rule ids that must be cited), ``no_rules``;
``words`` / ``no_words`` (in the reasons, any case); ``only_unmet`` (the one Phase 1 gate
condition not met, named); ``slots`` (fields of a slot's state after the decision); ``same`` /
``changed`` (slots untouched / changed by the decision); ``volume_cut_between`` (each
volume cut's size). ``never`` rules out decision kinds, a phase or loads not owned over a span.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.models import Decision, ProgramState
from glutecoach.core.progression.state import initial_state
from glutecoach.core.simulate import SimulationResult, SimulationScript, SimulationStep, simulate

CATALOG = load_catalog()
SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.json"))
# Words that would name a condition: the coach screens and refers, it never diagnoses.
DIAGNOSES = re.compile(
    r"cauda equina|sciatica|herniat|disc (bulge|prolapse)|tendinopath|bursitis|arthritis|"
    r"fracture|tumou?r|infection",
    re.IGNORECASE,
)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _run(doc: dict[str, Any]) -> SimulationResult:
    return simulate(SimulationScript.model_validate(doc["script"]), CATALOG)


def _step(result: SimulationResult, on: str, event: str | None) -> tuple[int, SimulationStep]:
    day = dt.date.fromisoformat(on)
    found = [
        (i, s)
        for i, s in enumerate(result.steps)
        if s.day == day and (event is None or event in s.event)
    ]
    assert found, f"no decision on {on} ({event or 'any event'})"
    return found[-1]


def _before(result: SimulationResult, index: int, doc: dict[str, Any]) -> ProgramState:
    if index > 0:
        return result.steps[index - 1].decision.state
    initial = doc["script"].get("initial_state")
    if initial:
        return ProgramState.model_validate(initial)
    return initial_state(result.history, CATALOG)


def _text(decision: Decision) -> str:
    return " ".join(r.text for r in decision.reasons)


def _check_step(result: SimulationResult, doc: dict[str, Any], want: dict[str, Any]) -> None:
    index, step = _step(result, want["on"], want.get("event"))
    decision = step.decision
    where = f"{want['on']} {step.event}: {decision.kind.value} {[r.rule for r in decision.reasons]}"
    rules = {r.rule for r in decision.reasons}
    text = _text(decision).lower()
    if "kind" in want:
        assert decision.kind.value == want["kind"], where
    if "refer" in want:
        assert decision.refer is not None and decision.refer.value == want["refer"], where
    if "phase" in want:
        assert int(decision.state.phase) == want["phase"], where
    if "stopped" in want:
        assert decision.state.stopped is want["stopped"], where
    for rule in want.get("rules", ()):
        assert rule in rules, f"{where}: {rule} not cited"
    for rule in want.get("no_rules", ()):
        assert rule not in rules, f"{where}: {rule} cited"
    for word in want.get("words", ()):
        assert word.lower() in text, f"{where}: {word!r} not in {text!r}"
    for word in want.get("no_words", ()):
        assert word.lower() not in text, f"{where}: {word!r} in {text!r}"
    if "only_unmet" in want:
        unmet = [r.text for r in decision.reasons if r.text.startswith("Not yet")]
        assert len(unmet) == 1, f"{where}: unmet {unmet}"
        assert want["only_unmet"].lower() in unmet[0].lower(), f"{where}: {unmet[0]}"
    for slot, fields in want.get("slots", {}).items():
        item = decision.state.slot(slot)
        assert item is not None, f"{where}: no {slot}"
        for field, value in fields.items():
            got = getattr(item, field)
            got = got.value if hasattr(got, "value") else got
            assert got == value, f"{where}: {slot}.{field} = {got!r}, want {value!r}"
    before = _before(result, index, doc)
    for slot in want.get("same", ()):
        assert before is not None and before.slot(slot) == decision.state.slot(slot), where
    for slot in want.get("changed", ()):
        assert before is not None and before.slot(slot) != decision.state.slot(slot), where
    if "volume_cut_between" in want:
        _check_volume_cuts(decision, before, want["volume_cut_between"], where)


def _check_volume_cuts(
    decision: Decision, before: ProgramState | None, bounds: list[float], where: str
) -> None:
    assert before is not None
    low, high = bounds
    for after in decision.state.exercises:
        prior = before.slot(after.slot)
        if prior is None or prior.exercise_id != after.exercise_id:
            continue
        if prior.load_kg == after.load_kg and prior.sets != after.sets:
            cut = (prior.sets - after.sets) / prior.sets
            assert low - 1e-9 <= cut <= high + 1e-9, f"{where}: {after.slot} cut {cut:.0%}"


def _check_never(result: SimulationResult, rule: dict[str, Any]) -> None:
    start, end = dt.date.fromisoformat(rule["from"]), dt.date.fromisoformat(rule["to"])
    for step in result.steps:
        if not start <= step.day <= end:
            continue
        decision = step.decision
        where = f"{step.day} {step.event}: {decision.kind.value}"
        assert decision.kind.value not in rule.get("kinds", ()), where
        if "phase" in rule:
            assert int(decision.state.phase) != rule["phase"], where
        if "loads_not_in" in rule:
            allowed = rule["loads_not_in"]
            for item in decision.state.exercises:
                assert any(abs(item.load_kg - w) < 1e-6 for w in allowed), (where, item)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_a_physio_would_sign_each_decision(path: Path) -> None:
    doc = _load(path)
    result = _run(doc)
    if "screening_outcome" in doc:
        assert result.screening.outcome.value == doc["screening_outcome"]
    if "emphasis" in doc:
        assert doc["emphasis"] in result.screening.emphasis
    for want in doc["expect"]:
        _check_step(result, doc, want)
    for rule in doc.get("never", ()):
        _check_never(result, rule)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_no_decision_names_a_condition(path: Path) -> None:
    result = _run(_load(path))
    texts = [r.text for s in result.steps for r in s.decision.reasons]
    texts += [*result.screening.explanation, *(r.text for r in result.screening.reasons)]
    for text in texts:
        assert not DIAGNOSES.search(text), text


def test_the_scenarios_cover_every_rule_family_of_the_clinical_reference() -> None:
    cited = {
        r.rule
        for path in SCENARIOS
        for step in _run(_load(path)).steps
        for r in step.decision.reasons
    }
    for rule in (
        "pain_model.during",
        "pain_model.next_morning",
        "pain_model.after",
        "pain_model.weekly",
        "regression.hard_sessions",
        "regression.size",
        "phase_gate",
        "phase1_ladder",
        "band_progression",
        "double_progression",
        "time_off.return",
        "time_off.pain_rise",
        "red_flags.emergency",
        "red_flags.soon",
        "red_flags.age_rule",
    ):
        assert rule in cited, rule
