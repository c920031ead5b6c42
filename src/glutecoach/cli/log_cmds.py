"""Logging what was done: `glutecoach log` (sets, in the person's units) and `checkin`."""

from __future__ import annotations

from pathlib import Path

import click

from glutecoach.cli.context import AppContext, json_option, pass_app, print_json
from glutecoach.cli.session_cmd import exit_if_stopped, show_decision
from glutecoach.cli.types import LOAD, TypedLoad
from glutecoach.core.models import CheckIn, FeltIn, Region, SelfTests, SetLog, Side
from glutecoach.errors import InputError
from glutecoach.fileio import load_model_file, validate
from glutecoach.presentation import MAX_LOAD_KG, REGION_LABELS, show_load


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
@click.option(
    "--load",
    "load",
    type=LOAD,
    default="0",
    help="Load, in your units (the `units` setting: kg unless set) or with a unit: 20kg, 45lb.",
)
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
    load: TypedLoad,
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
              glutecoach log goblet_squat --sets 3 --reps 10 --load 35lb
    """
    try:
        app.catalog.exercise(exercise_id)
    except KeyError as exc:
        raise InputError(str(exc.args[0])) from None
    load_kg = _load_in_kg(app, load)
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


def _load_in_kg(app: AppContext, load: TypedLoad) -> float:
    """The typed load as stored (kg): a bare number is in the person's ``units`` setting."""
    units = load.unit or ("kg" if not load.value else str(app.coach.settings()["units"]))
    load_kg = load.in_kg(units)
    if load_kg > MAX_LOAD_KG:
        raise InputError(
            f"--load {load.value:g} {units} is more than the {show_load(MAX_LOAD_KG, units)} "
            "a set may log; "
            "check the number and its unit (e.g. --load 20kg or --load 45lb)"
        )
    return load_kg


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
