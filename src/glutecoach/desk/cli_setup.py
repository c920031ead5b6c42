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
