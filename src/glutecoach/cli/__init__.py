"""The ``glutecoach`` command line: thin commands over ``glutecoach.services`` and the core.

Every expected failure prints ``Error: ...`` and exits with the error's own status: 2 for bad
input, a bad catalog or an unusable database, 75 when the database stayed busy (nothing saved,
try again), 69 when it cannot be reached. An unexpected one prints a short notice, writes the
traceback to ``crash.log`` in the data folder (0600; code locations and exception types only:
no command-line arguments, no values, no SQL parameters), and exits with status 1.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

import click

from glutecoach import __version__
from glutecoach.catalog.loader import CATALOG_DIR_ENV
from glutecoach.cli.context import AppContext
from glutecoach.cli.crash import CURRENT_COMMAND, write_crash_log
from glutecoach.cli.types import DATE
from glutecoach.core.catalog import UnknownExercise
from glutecoach.errors import GlutecoachError, StoreBusy, StoreUnreachable
from glutecoach.inputs import name_problem

PRIVATE_UMASK = 0o077


def _person_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The shared name rule (trimmed, 1-80 printable characters) for ``--person``."""
    trimmed = value.strip()
    problem = name_problem(trimmed)
    if problem is not None:
        raise click.BadParameter(problem, ctx, param)
    return trimmed


class UserError(click.ClickException):
    """A :class:`GlutecoachError` surfaced through click: ``Error: ...`` and exit status 2."""

    exit_code = 2


class BusyError(UserError):
    """The database stayed busy: nothing was saved, try again (EX_TEMPFAIL)."""

    exit_code = StoreBusy.exit_code


class UnreachableError(UserError):
    """The database server or folder cannot be reached or written (EX_UNAVAILABLE)."""

    exit_code = StoreUnreachable.exit_code


def _user_error(exc: GlutecoachError) -> UserError:
    """The click exception that keeps ``exc``'s own exit status."""
    for kind in (BusyError, UnreachableError):
        if exc.exit_code == kind.exit_code:
            return kind(str(exc))
    return UserError(str(exc))


class GuardedGroup(click.Group):
    """Turns expected failures into a clear message and their own exit status (2, 69, 75)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GlutecoachError as exc:
            raise _user_error(exc) from None
        except UnknownExercise as exc:  # stored history names one the catalog in use lacks
            raise UserError(
                f"your program names exercise {exc.exercise_id!r}, which the catalog in use "
                f"lacks ({CATALOG_DIR_ENV}={os.environ.get(CATALOG_DIR_ENV) or '(packaged)'}). "
                "Use a catalog that holds it."
            ) from None


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="glutecoach")
@click.option(
    "--person",
    default="me",
    show_default=True,
    envvar="GLUTECOACH_PERSON",
    callback=_person_name,
    help="Whose program to use (a clinic keeps several people in one database; "
    "1-80 printable characters).",
)
@click.option(
    "--today",
    type=DATE,
    default=None,
    envvar="GLUTECOACH_TODAY",
    help="Act as if today were this date (back-fill a log, replay a diary); from 2000-01-01 "
    "to a year ahead. Default: today.",
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
    Exit status:  0 done, 1 internal error (crash.log), 2 bad input (nothing
                  written), 3 see a clinician, 69 database unreachable,
                  75 database busy (not saved: try again)
    """
    CURRENT_COMMAND[:] = [ctx.invoked_subcommand or "(none)"]
    app = AppContext(person=person, today=today or dt.date.today())
    ctx.obj = app
    from glutecoach.cli import live_wiring

    ctx.meta[live_wiring.LIVE_META] = live_wiring.live_coach_provider  # called by serve
    ctx.meta[live_wiring.REVIEW_META] = live_wiring.review_analyser_provider
    ctx.call_on_close(app.close)


def _register() -> None:
    from glutecoach.cli import (
        commands,
        data_cmds,
        export_cmd,
        screen_cmd,
        session_cmd,
        simulate_cmd,
    )

    for command in (
        screen_cmd.screen,
        screen_cmd.start,
        session_cmd.session,
        *commands.COMMANDS,
        simulate_cmd.simulate_cmd,
        *data_cmds.DATA_COMMANDS,
        *export_cmd.EXPORT_COMMANDS,
    ):
        cli.add_command(command)
    _register_optional("glutecoach.vision.cli", "vision_group")
    _register_optional("glutecoach.desk.cli", "desk_group")
    _register_optional("glutecoach.web.cli", "serve")
    _register_optional("glutecoach.clinic.cli", "clinic_group")


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
    # Every file this process creates (database, -wal/-shm, exports, plots, logs, the desk
    # status) is readable by its owner alone; the previous umask is restored on the way out.
    previous = os.umask(PRIVATE_UMASK)
    try:
        _run(argv)
    finally:
        os.umask(previous)


def _run(argv: list[str] | None) -> None:
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
    except GlutecoachError as exc:  # raised outside a command (e.g. while closing the store)
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        where = write_crash_log(exc)
        click.echo(
            "glutecoach hit an internal error. What was saved before it is kept, but this "
            f"command may not have finished; check with `glutecoach progress`. Details: {where}",
            err=True,
        )
        sys.exit(1)
    sys.exit(0)
