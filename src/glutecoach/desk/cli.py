"""``glutecoach desk``: the sitting-break coach and its helper commands."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import click

from glutecoach.desk.cli_report import _status_path, stats_cmd, status_cmd
from glutecoach.desk.cli_setup import install_cmd, pause_cmd, resume_cmd, uninstall_cmd
from glutecoach.errors import GlutecoachError, InputError


@click.group(name="desk", invoke_without_command=True)
@click.option(
    "--person",
    default=None,
    help="Whose coach this is (default: glutecoach's --person, else 'me').",
)
@click.option(
    "--interval-minutes",
    type=click.IntRange(30, 60),
    default=None,
    help="Minutes of unbroken computer use before a reminder (30-60); default: your setting.",
)
@click.option(
    "--standing-desk/--no-standing-desk",
    default=None,
    help="Alternate sit/stand prompts (default: your standing_desk setting).",
)
@click.option(
    "--plain", is_flag=True, help="Print reminders here instead of desktop notifications."
)
@click.option(
    "--place",
    "where",
    type=click.Choice(["auto", "office", "home"]),
    default="auto",
    show_default=True,
    help="Where you are: office = exercises at the desk or standing; home = floor work too; "
    "auto = office on weekdays 08:00-18:00, else home.",
)
# Test-speed options (hidden): fractional seconds instead of whole minutes.
@click.option("--interval-seconds", type=float, default=None, hidden=True)
@click.option("--idle-break-seconds", type=float, default=None, hidden=True)
@click.option("--snooze-seconds", type=float, default=None, hidden=True)
@click.option("--reprompt-seconds", type=float, default=None, hidden=True)
@click.option("--min-bout-seconds", type=float, default=None, hidden=True)
@click.option("--max-wait", type=float, default=10.0, hidden=True)
@click.option("--exit-after", type=float, default=None, hidden=True)
@click.pass_context
def desk_group(
    ctx: click.Context,
    person: str | None,
    interval_minutes: int | None,
    standing_desk: bool | None,
    plain: bool,
    where: str,
    interval_seconds: float | None,
    idle_break_seconds: float | None,
    snooze_seconds: float | None,
    reprompt_seconds: float | None,
    min_bout_seconds: float | None,
    max_wait: float,
    exit_after: float | None,
) -> None:
    """Sitting-break coach: reminds you to stand and move after a stretch of computer use.

    With no subcommand it runs in the foreground until Ctrl-C. It measures unbroken computer use
    from the input idle time, reminds you after your interval (30-60 min) with a micro-exercise
    from your current phase, and logs bouts and breaks.

    \b
    Example:
        glutecoach desk                    # run the coach
        glutecoach desk install            # start it with every session
        glutecoach desk stats --days 7     # sitting metrics of the last week
    """
    if person is None:
        root = ctx.find_root().obj
        person = getattr(root, "person", None) or "me"
    ctx.obj = {"person": person}
    if ctx.invoked_subcommand is not None:
        return
    overrides: dict[str, Any] = {}
    if interval_minutes is not None:
        overrides["interval_s"] = interval_minutes * 60.0
    if interval_seconds is not None:
        overrides["interval_s"] = interval_seconds
    if idle_break_seconds is not None:
        overrides["idle_break_s"] = idle_break_seconds
    if snooze_seconds is not None:
        overrides["snooze_s"] = snooze_seconds
    if reprompt_seconds is not None:
        overrides["reprompt_s"] = reprompt_seconds
    if min_bout_seconds is not None:
        overrides["min_bout_s"] = min_bout_seconds
    if standing_desk is not None:
        overrides["standing_desk"] = standing_desk
    for name, value in overrides.items():
        if isinstance(value, float) and value <= 0:
            raise InputError(f"{name} must be positive")
    _lean_restart()
    run_coach(person, overrides, plain=plain, where=where, max_wait=max_wait, exit_after=exit_after)


def _lean_restart() -> None:
    """Started as the ``glutecoach`` console script (which loads every command and the store,
    ~70 MB)? Replace this process with the lean entry point ``python -m glutecoach.desk`` and the
    same arguments, so the long-running coach stays small. Same PID; POSIX only."""
    argv = sys.argv
    if os.name != "posix" or Path(argv[0]).name != "glutecoach" or "desk" not in argv[1:]:
        return
    if "sqlalchemy" not in sys.modules:
        return
    rest = argv[argv.index("desk", 1) + 1 :]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "glutecoach.desk", *rest])


def run_coach(
    person: str,
    overrides: dict[str, Any],
    *,
    plain: bool = False,
    where: str = "auto",
    max_wait: float = 10.0,
    exit_after: float | None = None,
) -> None:
    """Set up (in a short-lived child process), then run the lean coach loop here."""
    from glutecoach.core.sedentary import standing_goal_s
    from glutecoach.desk.daemon import read_status
    from glutecoach.desk.live import LiveSettings
    from glutecoach.desk.prepare import prepare_in_child
    from glutecoach.desk.runner import run
    from glutecoach.desk.sink import Sink, SqliteSink

    running = read_status(_status_path())
    if running and running.get("alive") and running.get("pid") != os.getpid():
        raise InputError(
            f"the coach is already running (pid {running.get('pid')}); see `glutecoach desk status`"
        )
    prepared = prepare_in_child(person)
    sink: Sink
    if prepared.sqlite_path is not None:
        sink = SqliteSink(prepared.sqlite_path, prepared.person_id)
    else:  # another database: SQLAlchemy in this process (a larger footprint)
        from glutecoach.desk_services import OrmSink

        sink = OrmSink.open(prepared.url, prepared.person_id)
    live = LiveSettings(
        sink,
        prepared.defaults or prepared.settings,
        stored=prepared.stored or prepared.settings,
        overrides=overrides,
        stand_goal_s=standing_goal_s(prepared.recent_standing),
    )
    sink.read_settings()  # note the database's version: only later changes count as new
    asyncio.run(
        run(
            prepared,
            sink,
            live,
            where=where,
            plain=plain,
            max_wait=max_wait,
            exit_after=exit_after,
            status_path=_status_path(),
        )
    )


for _command in (install_cmd, uninstall_cmd, status_cmd, stats_cmd, pause_cmd, resume_cmd):
    desk_group.add_command(_command)


def main() -> None:
    """Entry point of ``python -m glutecoach.desk`` (the start-up entries run this)."""
    try:
        desk_group.main(prog_name="glutecoach desk")
    except GlutecoachError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
