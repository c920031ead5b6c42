"""`glutecoach simulate`: replay a scripted history and print each decision with its reasons."""

from __future__ import annotations

from pathlib import Path

import click

from glutecoach.cli.context import AppContext, json_option, pass_app, print_json
from glutecoach.core.override import OverrideRefused
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.errors import InputError
from glutecoach.fileio import load_model_file
from glutecoach.inputs import check_day


@click.command(name="simulate")
@click.argument("script_file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--schema", is_flag=True, help="Print the script file's JSON Schema and exit.")
@json_option
@pass_app
def simulate_cmd(app: AppContext, script_file: Path | None, schema: bool, as_json: bool) -> None:
    """Replay a scripted history through the engine and print each decision with its reasons.

    Nothing is written to your database. See examples/simulation.json.

    \b
    Example:  glutecoach simulate examples/simulation.json
    """
    if schema:
        print_json(SimulationScript.model_json_schema())
        return
    if script_file is None:
        raise click.UsageError("give a script file (or --schema)")
    script = load_model_file(script_file, SimulationScript)
    _check_script(script, script_file)
    try:
        result = simulate(script, app.catalog)
    except OverrideRefused as exc:
        raise InputError(f"{script_file}: an override event: {exc}") from None
    if as_json:
        print_json({"screening": result.screening, "steps": result.steps})
        return
    console = app.console
    console.print(
        f"Screening: {result.screening.outcome.value}"
        + (
            f", emphasis {', '.join(result.screening.emphasis)}"
            if result.screening.emphasis
            else ""
        )
    )
    previous: set[str] = set()
    for step in result.steps:
        d = step.decision
        urgency = f" - {d.refer.value.upper()}" if d.refer is not None else ""
        console.print(
            f"[bold]{step.day}[/] {step.event}: [bold]{d.kind.value}{urgency}[/] "
            f"(phase {int(d.state.phase)})"
        )
        for change in d.changes:
            console.print(f"    {change.slot}: {change.before} -> {change.after}")
        texts = [r.text for r in d.reasons]
        for text in texts:
            if text not in previous or d.refer is not None:
                console.print(f"    - {text}")
        previous = set(texts)


MAX_SIMULATED_DAYS = 3660


def _check_script(script: SimulationScript, path: Path) -> None:
    """The shared day window for every day in the script, and at most ten years replayed."""
    check_day(script.start, f"{path}: start")
    for index, event in enumerate(script.events):
        check_day(event.day, f"{path}: events[{index}].day")
    total = sum(getattr(event, "days", 1) for event in script.events)
    if total > MAX_SIMULATED_DAYS:
        raise InputError(
            f"{path}: the events replay {total} days; at most {MAX_SIMULATED_DAYS} (ten years)"
        )
