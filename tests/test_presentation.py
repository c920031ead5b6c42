"""One presentation module: doses, loads, labels and titles worded the same by the CLI, the web
app and the exports, in the person's units."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from builders import answers
from glutecoach.core.models import (
    BandStrength,
    Decision,
    DecisionKind,
    Prescription,
    ScreeningOutcome,
    Side,
)
from glutecoach.presentation import (
    decision_title,
    describe_dose,
    load_in_kg,
    load_value,
    show_load,
    side_label,
)


def _prescription(**changes: object) -> Prescription:
    base = {
        "exercise_id": "goblet_squat",
        "sets": 3,
        "reps": 8,
        "rep_range": (8, 12),
        "load_kg": 8.0,
        "tempo": "2-1-2",
        "rest_seconds": 90,
    }
    return Prescription.model_validate({**base, **changes})


def test_a_dose_in_kilograms_and_in_pounds() -> None:
    p = _prescription()
    assert describe_dose(p, "kg") == "3 × 8 reps, (range 8–12), 8 kg, tempo 2-1-2, rest 90 s"
    assert describe_dose(p, "lb") == "3 × 8 reps, (range 8–12), 17.6 lb, tempo 2-1-2, rest 90 s"


def test_a_dose_shows_the_band_the_hold_and_the_persons_cue() -> None:
    band = next(iter(BandStrength))
    p = _prescription(
        load_kg=0.0, band=band.value, hold_seconds=2, cue="hold on to a chair for balance"
    )
    text = describe_dose(p, "lb")
    assert f"{band.value.replace('_', ' ')} band" in text
    assert "hold 2 s at the top" in text
    assert text.endswith("hold on to a chair for balance")
    assert "lb" not in text and "kg" not in text  # no load, no unit
    held = _prescription(reps=None, rep_range=None, hold_seconds=30, load_kg=0.0)
    assert describe_dose(held, "kg").startswith("3 × 30 s hold")


@pytest.mark.parametrize("kg", [0.5, 2.0, 8.0, 12.5, 40.0, 100.0])
def test_a_load_typed_in_pounds_comes_back_as_the_stored_kilograms(kg: float) -> None:
    assert show_load(kg, "kg") == f"{kg:g} kg"
    shown = load_value(kg, "lb")
    assert show_load(kg, "lb") == f"{shown:.1f} lb"
    assert abs(load_in_kg(shown, "lb") - kg) < 0.03  # one decimal in pounds
    assert load_in_kg(kg, "kg") == kg


def test_titles_and_sides() -> None:
    stop = Decision.model_construct(
        kind=DecisionKind.STOP_AND_REFER, refer=ScreeningOutcome.REFER_EMERGENCY
    )
    assert decision_title(stop) == "Emergency: stop and get medical help today"
    soon = Decision.model_construct(
        kind=DecisionKind.STOP_AND_REFER, refer=ScreeningOutcome.REFER_SOON
    )
    assert decision_title(soon) == "Stop: see a doctor or physiotherapist soon"
    hold = Decision.model_construct(kind=DecisionKind.HOLD, refer=None)
    assert decision_title(hold) == "Hold steady"
    assert side_label(Side.BOTH) == "" and side_label(Side.LEFT) == "left side"


def _screen(run, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers().model_dump(mode="json")))
    assert run("--today", "2026-01-05", "screen", "--answers", str(path)).exit_code == 0


@pytest.mark.parametrize(("units", "shown"), [("kg", "8"), ("lb", "17.6")])
def test_the_cli_shows_loads_in_the_units_setting(run, tmp_path: Path, units, shown) -> None:
    _screen(run, tmp_path)
    assert run("settings", "set", "units", units).exit_code == 0
    logged = run("--today", "2026-01-05", "log", "glute_bridge", "--reps", "10", "--load", "8kg")
    assert logged.exit_code == 0, logged.output
    progress = run("--today", "2026-01-06", "progress")
    assert progress.exit_code == 0, progress.output
    assert f"load {units}" in progress.output
    row = next(line for line in progress.output.splitlines() if "glute_bridge" in line)
    assert shown in row.split()


def _guided_set(typed: str) -> tuple[str, float]:
    """Answer one guided set's questions (the load typed as ``typed``) with the real prompt."""
    from glutecoach.cli.context import AppContext
    from glutecoach.cli.session_cmd import ask_set_result

    @click.command()
    def one_set() -> None:
        app = AppContext(person="me", today=dt.date(2026, 1, 5))
        try:
            log = ask_set_result(app, _prescription(exercise_id="glute_bridge"), 1)
        finally:
            app.close()
        click.echo(f"stored={log.load_kg!r}")

    result = CliRunner().invoke(one_set, input=f"\n{typed}\n\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    return result.output, float(result.output.rsplit("stored=", 1)[1])


def test_the_guided_set_asks_the_load_in_pounds_and_stores_kilograms(run, tmp_path) -> None:
    _screen(run, tmp_path)
    assert run("settings", "set", "units", "lb").exit_code == 0
    output, stored = _guided_set("22")
    assert "Load (lb) [17.6]" in output
    assert stored == load_in_kg(22, "lb") == 9.98
    _, kept = _guided_set("")  # the default taken as shown: the prescribed load, exactly
    assert kept == 8.0
    assert run("settings", "set", "units", "kg").exit_code == 0
    output, stored = _guided_set("10")
    assert "Load (kg) [8.0]" in output and stored == 10.0


def _coach_texts() -> list[str]:
    """Every reason, change and plan note the engine writes across the clinical scenarios."""
    import json
    from pathlib import Path

    from glutecoach.catalog.loader import load_catalog
    from glutecoach.core.simulate import SimulationScript, simulate
    from glutecoach.services_plan import PlanViews

    catalog = load_catalog()
    views = PlanViews()
    views.catalog = catalog
    texts: list[str] = []
    for path in sorted((Path(__file__).parent / "scenarios").glob("*.json")):
        script = SimulationScript.model_validate(json.loads(path.read_text())["script"])
        history = simulate(script, catalog).history
        for decision in history.decisions:
            texts += [r.text for r in decision.reasons]
            texts += [t for c in decision.changes for t in (c.before, c.after)]
        last = max([history.screened_on, *(d.day for d in history.decisions)])
        texts += list(views.plan_from(history, [0, 2, 4], last).notes)
    return texts


def test_every_load_the_coach_writes_is_shown_in_pounds_for_lb() -> None:
    """Reasons, changes and plan notes carry loads in kg; for a person who set lb every one is
    shown in pounds (one decimal), none is left in kg, and kg texts stay as written."""
    import re

    from glutecoach.presentation import LB_PER_KG, loads_in_units

    with_loads = [t for t in _coach_texts() if "kg" in t]
    assert len(with_loads) >= 20  # the scenarios do reach loaded exercises
    for text in with_loads:
        shown = loads_in_units(text, "lb")
        assert "kg" not in shown, text
        for kg in re.findall(r"(\d+(?:\.\d+)?) kg", text):
            assert f"{float(kg) * LB_PER_KG:.1f} lb" in shown, (text, shown)
        assert loads_in_units(text, "kg") == text


@pytest.mark.parametrize(("units", "shown"), [("kg", "at 10 kg: 12 kg next"), ("lb", "at 22.0 lb")])
def test_the_cli_shows_a_decision_s_loads_in_the_units_setting(
    run, tmp_path: Path, units: str, shown: str
) -> None:
    """`glutecoach session` prints the engine's decision through ``show_decision``."""
    from glutecoach.cli.context import AppContext
    from glutecoach.cli.session_cmd import show_decision
    from glutecoach.core.models import Reason

    _screen(run, tmp_path)
    assert run("settings", "set", "units", units).exit_code == 0
    text = "Top of the range at 10 kg: 12 kg next."

    @click.command()
    def show() -> None:
        app = AppContext(person="me", today=dt.date(2026, 1, 5))
        try:
            decision = Decision(
                day=dt.date(2026, 1, 5),
                kind=DecisionKind.ADVANCE,
                state=app.coach.state(),
                reasons=(Reason(rule="phase2.load", text=text),),
            )
            show_decision(app, decision)
        finally:
            app.close()

    result = CliRunner().invoke(show)
    assert result.exit_code == 0, result.output
    assert shown in " ".join(result.output.split())


def test_a_physio_s_own_words_and_other_numbers_are_not_rewritten() -> None:
    from glutecoach.presentation import loads_in_units

    note = "Your physio set this on 2026-01-05: 3 sets, 12 kg. Note: “use the 8 kg bell”"
    assert loads_in_units(note, "lb") == (
        "Your physio set this on 2026-01-05: 3 sets, 26.5 lb. Note: “use the 8 kg bell”"
    )
    assert loads_in_units("between 10-12 kg", "lb") == "between 22.0-26.5 lb"
    assert loads_in_units("8 to 12 kg", "lb") == "17.6 to 26.5 lb"
    assert loads_in_units("1,000 kg and 2.5kg", "lb") == "1,000 kg and 2.5kg"
