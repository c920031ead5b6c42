"""`glutecoach handout` and the format handling of `glutecoach export` (see docs/export.md)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from glutecoach.cli.context import AppContext, pass_app
from glutecoach.errors import InputError
from glutecoach.export.registry import (
    ExportRequest,
    check_options,
    save,
    writer_for,
    writers,
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def format_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--format` (every registered writer) and the options some formats read."""
    formats = list(writers())
    lines = "; ".join(f"{w.name}: {w.summary}" for w in writers().values())
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default="json",
            show_default=True,
            help=f"What to write. {lines}.",
        ),
        click.option("--weeks", type=click.IntRange(1, 52), help="ics: weeks ahead (default 4)."),
        click.option("--at", "at", metavar="HH:MM", help="ics: session time (default 18:00)."),
        click.option(
            "--alarm-minutes",
            type=click.IntRange(0, 1440),
            help="ics: reminder this many minutes before (default 15).",
        ),
        click.option(
            "--paper",
            type=click.Choice(["a4", "letter"], case_sensitive=False),
            help="pdf: paper size (default a4).",
        ),
        click.option("--name", help="pdf: a name to print on the handout (default: none)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def run_export(app: AppContext, fmt: str, output: Path | None, options: dict[str, Any]) -> None:
    """Write one format to ``output`` (or standard output for text formats)."""
    writer = writer_for(fmt)
    check_options(writer, options)
    if output is None and writer.binary:
        raise InputError(
            f"the {fmt} export is a binary file: name one with -o, e.g. "
            f"`glutecoach export --format {fmt} -o glutecoach{writer.suffix}`"
        )
    request = ExportRequest(coach=app.coach, today=app.today, now=_now(), options=options)
    data = writer.write(request)
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    save(data, output)
    what = "the handout" if fmt == "pdf" else f"the {fmt} export"
    click.echo(f"Wrote {what} to {output}", err=True)


@click.command(name="handout")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF file to write (refuses to overwrite).",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper size.",
)
@click.option("--name", help="A name to print on the handout. Default: no name.")
@pass_app
def handout(app: AppContext, output: Path, paper: str, name: str | None) -> None:
    """A PDF of your current plan to take to a physiotherapist or GP.

    Each exercise with its picture, dose, tempo, cues and common faults (per side), the pain
    rules in plain words, the red flags that mean stop, and a progress page (phase,
    adherence, pain trend, current loads, recent decisions and their reasons). Loads are in
    your units (`glutecoach settings set units lb`).

    \b
    Example:  glutecoach handout -o plan.pdf --paper letter --name "Ana"
    """
    run_export(app, "pdf", output, {"paper": paper, "name": name})


EXPORT_COMMANDS: list[click.Command] = [handout]
