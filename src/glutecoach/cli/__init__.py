"""The ``glutecoach`` command line: thin commands over ``glutecoach.services`` and the core.

Every expected failure (bad input, bad catalog, unusable database) prints ``Error: ...`` and
exits with status 2; an unexpected one prints a short notice, writes the details to
``crash.log`` in the data folder, and exits with status 1.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from typing import Any

import click

from glutecoach import __version__
from glutecoach.cli.context import AppContext
from glutecoach.errors import GlutecoachError
from glutecoach.paths import user_dir


class _Today(click.ParamType):  # type: ignore[type-arg]
    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2026-01-31", param, ctx)


DATE = _Today()


class UserError(click.ClickException):
    """A :class:`GlutecoachError` surfaced through click: ``Error: ...`` and exit status 2."""

    exit_code = 2


class GuardedGroup(click.Group):
    """Turns expected failures into a clear message and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GlutecoachError as exc:
            raise UserError(str(exc)) from None


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="glutecoach")
@click.option(
    "--person",
    default="me",
    show_default=True,
    envvar="GLUTECOACH_PERSON",
    help="Whose program to use (a clinic keeps several people in one database).",
)
@click.option(
    "--today",
    type=DATE,
    default=None,
    envvar="GLUTECOACH_TODAY",
    help="Act as if today were this date (back-fill a log, replay a diary). Default: today.",
)
@click.pass_context
def cli(ctx: click.Context, person: str, today: dt.date | None) -> None:
    """glutecoach: a local-first coach for gluteal amnesia ("dead butt syndrome").

    Screening, a phased plan, guided sessions, check-ins and a progression engine that
    advances, holds or regresses on evidence. It never diagnoses: red flags stop the program
    and point you to a clinician.

    \b
    Start here:   glutecoach start
    Data folder:  $GLUTECOACH_HOME (default: your user data folder)
    Database:     $GLUTECOACH_DATABASE_URL (default: SQLite in the data folder)
    """
    app = AppContext(person=person, today=today or dt.date.today())
    ctx.obj = app
    from glutecoach.cli.live_wiring import LIVE_META, live_coach_provider

    ctx.meta[LIVE_META] = live_coach_provider  # the web app's camera coach (called by serve)
    ctx.call_on_close(app.close)


def _register() -> None:
    from glutecoach.cli import commands, data_cmds, export_cmd, screen_cmd, session_cmd

    for command in (
        screen_cmd.screen,
        screen_cmd.start,
        session_cmd.session,
        *commands.COMMANDS,
        *data_cmds.DATA_COMMANDS,
        *export_cmd.EXPORT_COMMANDS,
    ):
        cli.add_command(command)
    _register_optional("glutecoach.vision.cli", "vision_group")
    _register_optional("glutecoach.desk.cli", "desk_group")
    _register_optional("glutecoach.web.cli", "serve")


def _register_optional(module: str, attribute: str) -> None:
    """Add an adapter's command group when that adapter is present in this install."""
    import importlib

    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("glutecoach"):
            return
        raise
    cli.add_command(getattr(loaded, attribute))


_register()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="glutecoach", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("\nStopped. Everything logged so far is saved.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 1 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception:
        log = user_dir() / "crash.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat()} {sys.argv}\n")
            fh.write(traceback.format_exc())
        click.echo(
            f"glutecoach hit an internal error; nothing you logged was lost. Details: {log}",
            err=True,
        )
        sys.exit(1)
    sys.exit(0)
