"""The smaller commands: plan, progress, resume; log and checkin (log_cmds), catalog
(catalog_cmds); simulate has its own module."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from glutecoach.cli.catalog_cmds import catalog_group
from glutecoach.cli.context import AppContext, json_option, pass_app, print_json
from glutecoach.cli.log_cmds import checkin, log_cmd
from glutecoach.cli.session_cmd import exit_if_stopped, show_decision
from glutecoach.cli.types import DATE
from glutecoach.presentation import (
    PHASE_NAMES,
    REGION_LABELS,
    describe_dose,
    load_value,
    loads_in_units,
)


@click.command()
@click.option(
    "--week",
    "week_of",
    type=DATE,
    default=None,
    help="Show the week containing DATE (default: this week).",
)
@json_option
@pass_app
def plan(app: AppContext, week_of: dt.date | None, as_json: bool) -> None:
    """This week's schedule and each session's prescriptions.

    \b
    Example:  glutecoach plan --json
    """
    day = week_of or app.today
    week = app.coach.plan(day)
    if as_json:
        print_json(week)
        return
    app.console.print(f"[bold]{PHASE_NAMES[week.phase]}[/], week of {week.week_start:%d %B %Y}")
    units = str(app.coach.settings()["units"])
    for planned in week.sessions:
        table = Table(title=f"{planned.day:%a %d %b} - {planned.title}", title_justify="left")
        for column in ("exercise", "side", "dose", "role"):
            table.add_column(column)
        for p in planned.prescriptions:
            name = app.catalog.exercise(p.exercise_id).name
            table.add_row(name, p.side.value, describe_dose(p, units), p.role)
        app.console.print(table)
    for note in week.notes:
        app.console.print(f"- {loads_in_units(note, units)}")


@click.command()
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw pain, adherence and load charts into this PNG file.",
)
@json_option
@pass_app
def progress(app: AppContext, plot_file: Path | None, as_json: bool) -> None:
    """Phase, adherence, pain trend per region, load per exercise, and the decisions so far.

    \b
    Example:  glutecoach progress --plot progress.png
    """
    summary = app.coach.progress(app.today)
    if plot_file is not None:
        from glutecoach.export.plots import plot_progress

        plot_progress(summary, plot_file)
    if as_json:
        print_json(summary)
        return
    console = app.console
    status = " (paused: see a clinician)" if summary.stopped else ""
    console.print(f"[bold]{PHASE_NAMES[summary.phase]}[/]{status} since {summary.phase_started}")
    share = "n/a" if summary.adherence_share is None else f"{summary.adherence_share:.0%}"
    console.print(f"Sessions done: {summary.sessions_done}; adherence {share}")
    for region, change in summary.pain_trend.items():
        word = "better" if change < 0 else "worse" if change > 0 else "unchanged"
        console.print(f"Pain, {REGION_LABELS[region]}: {change:+.1f} over two weeks ({word})")
    latest: dict[str, Any] = {}
    for point in summary.loads:
        latest[point.exercise_id] = point
    if latest:
        table = Table(title="Latest per exercise", title_justify="left")
        units = str(app.coach.settings()["units"])
        for column in ("exercise", "day", "sets", "reps", f"load {units}"):
            table.add_column(column)
        for exercise_id, point in sorted(latest.items()):
            load = f"{load_value(point.load_kg, units):g}"
            table.add_row(exercise_id, str(point.day), str(point.sets), str(point.reps), load)
        console.print(table)
    for entry in summary.timeline[-5:]:
        console.print(f"{entry.day} {entry.kind.value}: {entry.summary}")
    if plot_file is not None:
        console.print(f"Charts written to {plot_file}")


@click.command(name="resume")
@click.option(
    "--cleared-by-clinician",
    is_flag=True,
    required=True,
    help="Confirm a clinician has said you can resume.",
)
@click.option("--note", default="", help="Who cleared you and what they said.")
@json_option
@pass_app
def resume_cmd(app: AppContext, cleared_by_clinician: bool, note: str, as_json: bool) -> None:
    """Resume after a stop: record that a clinician has cleared you to exercise."""
    decision = app.coach.clear(app.today, note)
    if as_json:
        print_json(decision)
    else:
        show_decision(app, decision)
    exit_if_stopped(decision)


COMMANDS: list[click.Command] = [
    plan,
    log_cmd,
    checkin,
    progress,
    catalog_group,
    resume_cmd,
]
