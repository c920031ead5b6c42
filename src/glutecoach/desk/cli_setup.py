"""``glutecoach desk install`` / ``uninstall``: start the coach with the session, or stop that."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import click


def stop_running(status_path: Path, timeout: float = 10.0) -> int | None:
    """Stop the coach that is running now (SIGTERM: it saves its open bout); returns its pid.

    Only a process whose command line is the coach's (``glutecoach.desk`` or ``glutecoach desk``)
    is signalled, never a stranger that reused the pid."""
    from glutecoach.desk.status import read_status

    running = read_status(status_path)
    pid = running.get("pid") if running and running.get("alive") else None
    if not isinstance(pid, int) or pid == os.getpid():
        return None
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        words = cmdline.read_bytes().split(b"\0")
        coach = b"glutecoach.desk" in words or (
            b"desk" in words and b"glutecoach" in b" ".join(words)
        )
        if not coach:
            return None
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        return None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    return pid


@click.command("install")
@click.pass_obj
def install_cmd(obj: dict[str, Any]) -> None:
    """Start the coach with your session (XDG autostart entry / LaunchAgent / Startup entry).

    The entry keeps the person (--person) and the database (GLUTECOACH_HOME,
    GLUTECOACH_DATABASE_URL) this command runs with.

    \b
    Example:
        glutecoach --person ann desk install
    """
    from glutecoach.desk.install import command, install

    person = obj["person"]
    written = install(person=person)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"The coach for {person} starts with your next session. To start it now, run:")
    click.echo("  " + " ".join(command(person=person)) + " &")


@click.command("uninstall")
def uninstall_cmd() -> None:
    """Stop starting the coach with your session, and stop the running coach.

    Removes what `desk install` wrote (and the systemd unit of earlier versions).

    \b
    Example:
        glutecoach desk uninstall
    """
    from glutecoach.desk.cli_report import _status_path
    from glutecoach.desk.install import uninstall

    removed = uninstall()
    stopped = stop_running(_status_path())
    if not removed:
        click.echo("nothing to remove: the coach was not installed")
    for path in removed:
        click.echo(f"removed {path}")
    if stopped is not None:
        click.echo(f"stopped the running coach (pid {stopped}); its open bout was saved")
    elif sys.platform.startswith("linux"):
        click.echo("no coach was running")


@click.command("pause")
@click.option(
    "--minutes",
    type=click.IntRange(1, 24 * 60),
    default=None,
    help="Pause for this many minutes (default: 60).",
)
@click.option("--until-tomorrow", is_flag=True, help="Pause until 08:00 tomorrow.")
def pause_cmd(minutes: int | None, until_tomorrow: bool) -> None:
    """Pause the reminders (the coach keeps measuring); a running coach follows at once.

    \b
    Example:
        glutecoach desk pause                  # for an hour
        glutecoach desk pause --until-tomorrow
        glutecoach desk resume
    """
    import datetime as dt

    from glutecoach.desk.control import pause, tomorrow_morning

    if minutes is not None and until_tomorrow:
        raise click.UsageError("give either --minutes or --until-tomorrow, not both")
    now = dt.datetime.now().astimezone()
    until = tomorrow_morning(now) if until_tomorrow else now + dt.timedelta(minutes=minutes or 60)
    pause(until)
    click.echo(f"reminders paused until {until:%a %H:%M}; `glutecoach desk resume` ends the pause")


@click.command("resume")
def resume_cmd() -> None:
    """End a pause of the reminders.

    \b
    Example:
        glutecoach desk resume
    """
    from glutecoach.desk.control import resume

    click.echo("reminders resumed" if resume() else "the coach was not paused")
