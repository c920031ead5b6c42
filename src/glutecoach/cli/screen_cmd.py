"""`glutecoach screen` (interactive or from an answers file) and `glutecoach start`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.panel import Panel

from glutecoach.cli.context import AppContext, json_option, pass_app, print_json
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    ActivityLevel,
    Equipment,
    ScreeningAnswers,
    ScreeningOutcome,
    ScreeningResult,
)
from glutecoach.core.screening import fired_red_flags, refer_outcome
from glutecoach.fileio import load_model_file, validate
from glutecoach.inputs import MAX_ANSWERS_BYTES
from glutecoach.presentation import REGION_LABELS


@click.command()
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Take the answers from a JSON or YAML file instead of asking (see --schema).",
)
@click.option("--schema", is_flag=True, help="Print the answers file's JSON Schema and exit.")
@json_option
@pass_app
def screen(app: AppContext, answers_file: Path | None, schema: bool, as_json: bool) -> None:
    """Screen for red flags, then find where to start and what to emphasise.

    \b
    Examples:
      glutecoach screen                          # asks, one question at a time
      glutecoach screen --answers answers.yaml   # non-interactive
      glutecoach screen --schema > answers.schema.json
    """
    if schema:
        print_json(ScreeningAnswers.model_json_schema())
        return
    if answers_file is not None:
        answers = load_model_file(answers_file, ScreeningAnswers, MAX_ANSWERS_BYTES)
    else:
        answers = ask_screening(app)
    result = app.coach.screen(answers, app.today)
    if as_json:
        print_json(result)
    else:
        show_screening_result(app, result)
    if result.outcome is not ScreeningOutcome.START:
        raise SystemExit(3)


def show_screening_result(app: AppContext, result: ScreeningResult) -> None:
    console = app.console
    if result.outcome is ScreeningOutcome.REFER_EMERGENCY:
        console.print(
            Panel(
                "\n\n".join(result.explanation),
                title="Stop: get help today",
                border_style="bold red",
            )
        )
    elif result.outcome is ScreeningOutcome.REFER_SOON:
        console.print(
            Panel(
                "\n\n".join(result.explanation),
                title="See a clinician first",
                border_style="yellow",
            )
        )
    else:
        console.print(
            Panel(
                "\n\n".join(result.explanation), title="Your starting point", border_style="green"
            )
        )
        console.print(
            "Next: [bold]glutecoach plan[/] to see your week, "
            "[bold]glutecoach session[/] to start today's session."
        )
    for reason in result.reasons:
        if reason.rule.startswith("red_flags"):
            console.print(f"  - {reason.text}")


def _ask_int(prompt: str, low: int, high: int, default: int | None = None) -> int:
    value: int = click.prompt(prompt, type=click.IntRange(low, high), default=default)
    return value


def _ask_optional_int(prompt: str) -> int | None:
    text: str = click.prompt(prompt + " (blank to skip)", default="", show_default=False)
    if not text.strip():
        return None
    try:
        number = int(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a whole number") from None
    return number


def _ask_optional_bool(prompt: str) -> bool | None:
    choice: str = click.prompt(prompt, type=click.Choice(["yes", "no", "skip"]), default="skip")
    return None if choice == "skip" else choice == "yes"


def ask_red_flags(catalog: Catalog) -> dict[str, bool]:
    """Ask every red-flag question; stop early on an emergency answer."""
    answers: dict[str, bool] = {}
    click.echo("First, some safety questions. Answer yes only if it applies now.")
    for flag in catalog.rules.red_flags.flags:
        answers[flag.id] = click.confirm(flag.question, default=False)
        if answers[flag.id] and flag.group == "emergency":
            break
    return answers


def _ask_red_flag_onset(flags: dict[str, bool]) -> dict[str, str]:
    """When each symptom answered yes began (for the clinician); blank when not sure."""
    onset = {}
    for flag_id in (f for f, yes in flags.items() if yes):
        day = click.prompt(
            "  When did that start? (YYYY-MM-DD, blank: not sure)", default="", show_default=False
        )
        if day.strip():
            onset[flag_id] = day.strip()
    return onset


def ask_screening(app: AppContext) -> ScreeningAnswers:
    catalog = app.catalog
    data: dict[str, Any] = {"red_flags": ask_red_flags(catalog)}
    data["red_flag_onset"] = _ask_red_flag_onset(data["red_flags"])
    if (
        refer_outcome(fired_red_flags(data["red_flags"], catalog))
        is ScreeningOutcome.REFER_EMERGENCY
    ):
        data.update(sitting_hours_per_day=0, longest_sitting_minutes=0, activity_level="light")
        return validate(ScreeningAnswers, data, "screening")
    click.echo("\nPain right now, 0 (none) to 10 (worst imaginable), by region.")
    pain: dict[str, Any] = {}
    for region, label in REGION_LABELS.items():
        score = _ask_int(f"  {label} pain", 0, 10, default=0)
        if score:
            side = click.prompt(
                f"  which side for the {label}",
                type=click.Choice(["left", "right", "both"]),
                default="both",
            )
            onset = _ask_optional_int(f"  how many weeks ago did the {label} pain start")
            pain[region.value] = {"score": score, "side": side, "onset_weeks": onset}
    data["pain"] = pain
    data["age"] = _ask_optional_int("Your age")
    click.echo("\nSitting habits.")
    data["sitting_hours_per_day"] = click.prompt(
        "  Hours sitting on a typical day", type=click.FloatRange(0, 24), default=8.0
    )
    data["longest_sitting_minutes"] = _ask_int(
        "  Longest unbroken sitting, in minutes", 0, 24 * 60, default=90
    )
    data["activity_level"] = click.prompt(
        "  Activity level", type=click.Choice([a.value for a in ActivityLevel]), default="light"
    )
    equipment = click.prompt(
        "  Equipment at hand (comma-separated: none, band, dumbbells, kettlebell, step)",
        default="none",
    )
    data["equipment"] = [e.strip() for e in equipment.split(",") if e.strip()]
    known = {e.value for e in Equipment}
    bad = [e for e in data["equipment"] if e not in known]
    if bad:
        raise click.BadParameter(f"unknown equipment {', '.join(bad)}; use {', '.join(known)}")
    data["owned"] = _ask_owned(data["equipment"])
    data["self_tests"] = _ask_self_tests()
    data["psfs"] = _ask_psfs()
    return validate(ScreeningAnswers, data, "screening")


def _numbers(text: str, what: str) -> list[float]:
    try:
        return [float(x) for x in text.replace(",", " ").split()]
    except ValueError:
        raise click.BadParameter(f"{what}: give weights in kg, e.g. 4, 6, 8") from None


def _ask_owned(equipment: list[str]) -> dict[str, Any] | None:
    """Exactly what the person owns, so loads only move to weights they have."""
    owned: dict[str, Any] = {}
    if "dumbbells" in equipment:
        owned["dumbbell_pairs_kg"] = _numbers(
            click.prompt(
                "  Dumbbell pairs you own, kg (e.g. 4, 6, 8; blank: not sure)",
                default="",
                show_default=False,
            ),
            "dumbbells",
        )
    if "kettlebell" in equipment:
        owned["kettlebells_kg"] = _numbers(
            click.prompt(
                "  Kettlebells you own, kg (blank: not sure)", default="", show_default=False
            ),
            "kettlebells",
        )
    if "band" in equipment:
        bands = click.prompt(
            "  Band strengths you own (light, medium, heavy, extra_heavy)", default="light"
        )
        owned["bands"] = [b.strip() for b in bands.split(",") if b.strip()]
    if "step" in equipment:
        owned["step_height_cm"] = _ask_optional_int("  Height of your step, cm")
    return owned or None


def _ask_self_tests() -> dict[str, Any]:
    click.echo("\nOptional self-tests (skip any you cannot do safely).")
    return {
        "single_leg_bridge_reps_left": _ask_optional_int(
            "  Single-leg bridge, reps until tired, LEFT leg"
        ),
        "single_leg_bridge_reps_right": _ask_optional_int(
            "  Single-leg bridge, reps until tired, RIGHT leg"
        ),
        "single_leg_stance_pelvic_drop": _ask_optional_bool(
            "  30 s standing on one leg (mirror): does the pelvis drop on the free side?"
        ),
        "single_leg_stance_pain": _ask_optional_bool("  ...and was it painful?"),
        "thomas_test_tight": _ask_optional_bool(
            "  Lying at the edge of a bed hugging one knee: does the other thigh stay lifted?"
        ),
    }


def _ask_psfs() -> list[dict[str, Any]]:
    click.echo(
        "\nName 3 to 5 activities that are hard because of your symptoms, and rate "
        "each 0 (cannot do) to 10 (as before). Leave blank to skip."
    )
    items: list[dict[str, Any]] = []
    while len(items) < 5:
        activity: str = click.prompt(f"  Activity {len(items) + 1}", default="", show_default=False)
        if not activity.strip():
            if items and len(items) < 3:
                click.echo("  Please name at least 3 (or none).")
                continue
            break
        items.append({"activity": activity.strip(), "score": _ask_int("    score", 0, 10)})
    return items


@click.command()
@pass_app
@click.pass_context
def start(ctx: click.Context, app: AppContext) -> None:
    """The main job: the web app when it is installed, else the terminal coach.

    The first run walks through the screening; later runs open today's session.
    """
    root = ctx.find_root()
    group = root.command
    serve = group.get_command(root, "serve") if isinstance(group, click.Group) else None
    session = group.get_command(root, "session") if isinstance(group, click.Group) else None
    if serve is not None:
        ctx.invoke(serve)
        return
    if app.coach.latest_screening() is None:
        app.console.print(
            Panel("Welcome to glutecoach. Let's start with a short screening.", border_style="cyan")
        )
        ctx.invoke(screen)
        return
    if session is not None:  # the command tree always has it; found there, not imported
        ctx.invoke(session)
