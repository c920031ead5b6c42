"""The smaller commands: plan, log, checkin, progress, catalog, resume (simulate: own module)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from glutecoach.cli.context import AppContext, json_option, pass_app, print_json
from glutecoach.cli.session_cmd import exit_if_stopped, show_decision
from glutecoach.cli.types import DATE
from glutecoach.core.models import CheckIn, FeltIn, Region, SelfTests, SetLog, Side
from glutecoach.errors import InputError
from glutecoach.fileio import load_model_file, validate
from glutecoach.presentation import PHASE_NAMES, REGION_LABELS, describe_dose, load_value


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
        app.console.print(f"- {note}")


@click.command(name="log")
@click.argument("exercise_id")
@click.option(
    "--sets",
    type=click.IntRange(1, 10),
    default=1,
    show_default=True,
    help="How many identical sets to log.",
)
@click.option("--reps", type=click.IntRange(0, 200), default=0)
@click.option(
    "--hold",
    "hold_seconds",
    type=click.FloatRange(0, 3600),
    default=None,
    help="Hold time in seconds.",
)
@click.option("--load", "load_kg", type=click.FloatRange(0, 500), default=0.0, help="Load in kg.")
@click.option("--rpe", type=click.FloatRange(0, 10), default=None, help="Effort, RPE 0-10.")
@click.option(
    "--felt",
    type=click.Choice([f.value for f in FeltIn]),
    multiple=True,
    help="Where you felt it (repeatable).",
)
@click.option(
    "--felt-main",
    type=click.Choice([f.value for f in FeltIn]),
    default=None,
    help="Where you felt it most (one area; default: the only --felt area, if one).",
)
@click.option("--pain", type=click.IntRange(0, 10), default=0, help="Pain during, 0-10.")
@click.option("--side", type=click.Choice([s.value for s in Side]), default="both")
@json_option
@pass_app
def log_cmd(
    app: AppContext,
    exercise_id: str,
    sets: int,
    reps: int,
    hold_seconds: float | None,
    load_kg: float,
    rpe: float | None,
    felt: tuple[str, ...],
    felt_main: str | None,
    pain: int,
    side: str,
    as_json: bool,
) -> None:
    """Quick entry: log sets done today (or on --today) without the guided session.

    \b
    Example:  glutecoach log glute_bridge --sets 3 --reps 12 --rpe 6 --felt glutes --pain 1
    """
    try:
        app.catalog.exercise(exercise_id)
    except KeyError as exc:
        raise InputError(str(exc.args[0])) from None
    logs = [
        validate(
            SetLog,
            {
                "exercise_id": exercise_id,
                "side": side,
                "set_index": index,
                "reps": reps,
                "hold_seconds": hold_seconds,
                "load_kg": load_kg,
                "rpe": rpe,
                "felt_in": list(felt),
                "felt_main": felt_main or (felt[0] if len(felt) == 1 else None),
                "pain": pain,
            },
            "log",
        )
        for index in range(1, sets + 1)
    ]
    decision = app.coach.log_session(app.today, logs, app.today)
    if as_json:
        print_json(decision)
    else:
        app.console.print(f"Logged {sets} set(s) of {exercise_id} on {app.today}.")
        show_decision(app, decision)
    exit_if_stopped(decision)


def _parse_region_pain(values: tuple[str, ...]) -> dict[Region, int]:
    out: dict[Region, int] = {}
    for item in values:
        region, _, score = item.partition("=")
        try:
            key, value = Region(region.strip()), int(score)
        except ValueError:
            raise InputError(
                f"--pain {item!r}: use REGION=SCORE with REGION one of "
                f"{', '.join(r.value for r in Region)} and SCORE 0-10"
            ) from None
        if key in out:
            raise InputError(
                f"--pain {key.value} is given twice ({out[key]} and {value}); give each region once"
            )
        out[key] = value
    return out


@click.command()
@click.option(
    "--pain",
    "pain_items",
    multiple=True,
    metavar="REGION=SCORE",
    help="Pain 0-10 for a region (repeatable), e.g. --pain low_back=3.",
)
@click.option("--stiffness", type=click.IntRange(0, 10), default=None, help="Stiffness 0-10.")
@click.option("--evening", is_flag=True, help="An evening check-in (default: morning).")
@click.option(
    "--red-flag",
    "red_flags",
    multiple=True,
    metavar="ID",
    help="A red-flag question answered yes (repeatable; ids: glutecoach catalog rules).",
)
@click.option(
    "--self-test",
    "self_test_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A JSON/YAML file with self-test results (single-leg stance, bridge reps).",
)
@json_option
@pass_app
def checkin(
    app: AppContext,
    pain_items: tuple[str, ...],
    stiffness: int | None,
    evening: bool,
    red_flags: tuple[str, ...],
    self_test_file: Path | None,
    as_json: bool,
) -> None:
    """Daily or next-morning check-in: pain per region and stiffness.

    With no options it asks. When pain has spiked it re-asks the red-flag questions.

    \b
    Example:  glutecoach checkin --pain low_back=2 --pain hip=1 --stiffness 2
    """
    from glutecoach.cli.screen_cmd import ask_red_flags

    interactive = not pain_items and stiffness is None
    if interactive:
        pain = {
            region: click.prompt(f"{label} pain 0-10", type=click.IntRange(0, 10), default=0)
            for region, label in REGION_LABELS.items()
        }
        stiffness = click.prompt("Stiffness 0-10", type=click.IntRange(0, 10), default=0)
    else:
        pain = _parse_region_pain(pain_items)
    flags = dict.fromkeys(red_flags, True)
    spiked = app.coach.pain_spiked(dict(pain))
    why = (
        "your pain is up since last time: a few safety questions again"
        if spiked
        else app.coach.red_flags_why(app.today)
    )
    if interactive and why:
        click.echo(f"{why[0].upper()}{why[1:]}.")
        flags = ask_red_flags(app.catalog)
    elif why and not red_flags:
        click.echo(
            f"{why[0].upper()}{why[1:]}: please answer them with "
            "`glutecoach checkin` (no options), or give --red-flag ID for each yes.",
            err=True,
        )
    self_tests = load_model_file(self_test_file, SelfTests) if self_test_file else None
    entry = validate(
        CheckIn,
        {
            "day": app.today,
            "pain": pain,
            "stiffness": stiffness or 0,
            "morning": not evening,
            "red_flags": flags,
            "self_tests": self_tests,
        },
        "check-in",
    )
    decision = app.coach.checkin(entry, app.today)
    if as_json:
        print_json(decision)
    else:
        app.console.print("Check-in saved.")
        show_decision(app, decision)
    exit_if_stopped(decision)


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


@click.group(name="catalog")
def catalog_group() -> None:
    """The exercise library and the rules, with their sources."""


@catalog_group.command(name="list")
@json_option
@pass_app
def catalog_list(app: AppContext, as_json: bool) -> None:
    """Every exercise: id, phase, category, equipment."""
    exercises = sorted(app.catalog.exercises.values(), key=lambda e: (e.phase, e.id))
    if as_json:
        print_json(exercises)
        return
    table = Table()
    for column in ("id", "name", "phase", "category", "equipment"):
        table.add_column(column)
    for e in exercises:
        table.add_row(
            e.id,
            e.name,
            str(e.phase),
            e.category,
            ", ".join(x.value for x in (*e.equipment, *e.load_equipment)),
        )
    app.console.print(table)


@catalog_group.command(name="show")
@click.argument("exercise_id")
@json_option
@pass_app
def catalog_show(app: AppContext, exercise_id: str, as_json: bool) -> None:
    """One exercise: setup, cues, faults, dose, regressions, progressions, sources."""
    try:
        e = app.catalog.exercise(exercise_id)
    except KeyError as exc:
        raise InputError(str(exc.args[0])) from None
    if as_json:
        print_json(e)
        return
    c = app.console
    c.print(f"[bold]{e.name}[/] ({e.id}) - phase {e.phase}, {e.category}")
    c.print(f"Targets: {', '.join(e.targets)}; camera view: {e.camera_view}")
    c.print(f"Setup: {e.setup}")
    c.print("Cues:\n" + "\n".join(f"  - {x}" for x in e.cues))
    c.print("Common faults:\n" + "\n".join(f"  - {x}" for x in e.faults))
    c.print(
        f"Regressions: {', '.join(e.regressions) or '-'}; "
        f"progressions: {', '.join(e.progressions) or '-'}"
    )
    c.print("Sources:\n" + "\n".join(f"  - {x}" for x in app.catalog.cite(e.sources)))


@catalog_group.command(name="rules")
@json_option
@pass_app
def catalog_rules(app: AppContext, as_json: bool) -> None:
    """Every rule with its parameters and sources (red flags included)."""
    rules = app.catalog.rules
    if as_json:
        print_json(rules)
        return
    for name, rule in rules:
        app.console.print(f"[bold]{name}[/]: {rule.description}")
        if hasattr(rule, "params"):
            app.console.print(f"  params: {rule.params!r}")
        app.console.print(f"  sources: {', '.join(getattr(rule, 'sources', ()) or ())}")


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
