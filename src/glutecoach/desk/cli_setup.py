"""``glutecoach desk install`` / ``uninstall``: start the coach with the session, or stop that."""

from __future__ import annotations

import sys

import click


@click.command("install")
def install_cmd() -> None:
    """Start the coach with your session (systemd user unit / LaunchAgent / Startup entry).

    \b
    Example:
        glutecoach desk install
    """
    from glutecoach.desk.install import install

    written = install()
    for path in written:
        click.echo(f"wrote {path}")
    if sys.platform.startswith("linux"):
        click.echo("It starts with your next graphical session; to start it now run:")
        click.echo("  systemctl --user daemon-reload && systemctl --user start glutecoach-desk")


@click.command("uninstall")
def uninstall_cmd() -> None:
    """Stop starting the coach with your session (removes what `desk install` wrote).

    \b
    Example:
        glutecoach desk uninstall
    """
    from glutecoach.desk.install import uninstall

    removed = uninstall()
    if not removed:
        click.echo("nothing to remove: the coach was not installed")
    for path in removed:
        click.echo(f"removed {path}")
