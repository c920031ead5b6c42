"""``glutecoach desk``: the sitting-break coach and its helper commands."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from glutecoach.errors import GlutecoachError, InputError


def _store() -> Any:
    from glutecoach.paths import database_url
    from glutecoach.store.db import open_store

    return open_store(database_url())


def _person(db: Any, name: str) -> int:
    from glutecoach.store.repository import ensure_person

    return ensure_person(db, name, now=dt.datetime.now())


def _status_path() -> Path:
    from glutecoach.desk.daemon import STATUS_FILE
    from glutecoach.paths import user_dir

    return user_dir() / STATUS_FILE


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
# Test-speed options (hidden): fractional seconds instead of whole minutes.
@click.option("--interval-seconds", type=float, default=None, hidden=True)
@click.option("--idle-break-seconds", type=float, default=None, hidden=True)
@click.option("--snooze-seconds", type=float, default=None, hidden=True)
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
    interval_seconds: float | None,
    idle_break_seconds: float | None,
    snooze_seconds: float | None,
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
    if min_bout_seconds is not None:
        overrides["min_bout_s"] = min_bout_seconds
    if standing_desk is not None:
        overrides["standing_desk"] = standing_desk
    for name, value in overrides.items():
        if isinstance(value, float) and value <= 0:
            raise InputError(f"{name} must be positive")
    _lean_restart()
    run_coach(person, overrides, plain=plain, max_wait=max_wait, exit_after=exit_after)


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
    max_wait: float = 10.0,
    exit_after: float | None = None,
) -> None:
    """Set up (in a short-lived child process), then run the lean coach loop here."""
    from glutecoach.core.sedentary import DeskSettings, standing_goal_s
    from glutecoach.desk.daemon import read_status
    from glutecoach.desk.micro import load_micro
    from glutecoach.desk.prepare import prepare_in_child
    from glutecoach.desk.sink import OrmSink, Sink, SqliteSink

    running = read_status(_status_path())
    if running and running.get("alive") and running.get("pid") != os.getpid():
        raise InputError(
            f"the coach is already running (pid {running.get('pid')}); see `glutecoach desk status`"
        )
    prepared = prepare_in_child(person)
    settings = DeskSettings.from_values(prepared.settings)
    settings = replace(settings, stand_goal_s=standing_goal_s(prepared.recent_standing))
    settings = replace(settings, **overrides)
    sink: Sink
    if prepared.sqlite_path is not None:
        sink = SqliteSink(prepared.sqlite_path, prepared.person_id)
    else:  # another database: SQLAlchemy in this process (a larger footprint)
        from glutecoach.store.db import open_store

        sink = OrmSink(open_store(prepared.url), prepared.person_id)
    asyncio.run(
        _run(
            sink,
            settings,
            prepared.phase,
            load_micro(),
            plain=plain,
            max_wait=max_wait,
            exit_after=exit_after,
        )
    )


async def _run(
    sink: Any,
    settings: Any,
    phase: int,
    micro: Any,
    *,
    plain: bool,
    max_wait: float,
    exit_after: float | None,
) -> None:
    from glutecoach.desk.daemon import BreakCoach, SystemClock, install_signal_handlers
    from glutecoach.desk.idle import detect
    from glutecoach.desk.notify import open_notifier

    out = sys.stdout
    detection = await detect()
    notifier = await open_notifier(out, plain=plain)
    out.write(f"glutecoach desk: {detection.describe()}\n")
    out.write(f"glutecoach desk: {notifier.describe()}\n")
    out.write(
        f"glutecoach desk: reminder after {settings.interval_s / 60:g} min of computer use; "
        f"{settings.idle_break_s / 60:g} min idle counts as a break; phase {phase}"
        + ("; standing-desk mode" if settings.standing_desk else "")
        + "\n"
    )
    out.flush()
    stop = asyncio.Event()
    install_signal_handlers(stop)
    coach = BreakCoach(
        sink=sink,
        settings=settings,
        idle=detection.backend,
        notifier=notifier,
        micro=micro,
        phase=phase,
        clock=SystemClock(),
        out=out,
        status_path=_status_path(),
        max_wait=max_wait,
        idle_description=detection.describe(),
    )
    try:
        await coach.run(stop, exit_after=exit_after)
    finally:
        if detection.backend is not None:
            detection.backend.close()
        await notifier.close()
        sink.close()
        out.write("glutecoach desk: stopped\n")
        out.flush()


@desk_group.command("install")
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


@desk_group.command("uninstall")
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


@desk_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def status_cmd(obj: dict[str, Any], as_json: bool) -> None:
    """Is the coach installed and running, which idle source and notifications work here.

    \b
    Example:
        glutecoach desk status
    """
    from glutecoach.desk.daemon import read_status
    from glutecoach.desk.idle import detect
    from glutecoach.desk.install import installed
    from glutecoach.desk.notify import open_notifier
    from glutecoach.store import desk_repo
    from glutecoach.store.repository import get_settings

    async def probe() -> tuple[str, str]:
        detection = await detect()
        if detection.backend is not None:
            detection.backend.close()
        notifier = await open_notifier()
        await notifier.close()
        return detection.describe(), notifier.describe()

    idle_text, notify_text = asyncio.run(probe())
    store = _store()
    try:
        with store.transaction() as db:
            pid = _person(db, obj["person"])
            values = get_settings(db, pid)
            today = desk_repo.daily_metrics(db, pid, dt.date.today(), dt.date.today())[0]
            counts = desk_repo.counts(db, pid)
    finally:
        store.close()
    unit = installed()
    running = read_status(_status_path())
    data = {
        "installed": str(unit) if unit else None,
        "running": bool(running and running.get("alive")),
        "daemon": running,
        "idle_source": idle_text,
        "notifications": notify_text,
        "settings": {k: values[k] for k in DESK_SETTINGS},
        "today": desk_repo.metrics_json([today])[0],
        "logged": counts,
    }
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
        return
    click.echo(f"installed:     {data['installed'] or 'no (run `glutecoach desk install`)'}")
    if data["running"] and running:
        click.echo(
            f"running:       yes (pid {running.get('pid')}, since {running.get('started')}; "
            f"current bout {float(str(running.get('bout_seconds') or 0)) / 60:.0f} min)"
        )
    else:
        click.echo("running:       no")
    click.echo(f"idle source:   {idle_text}")
    click.echo(f"notifications: {notify_text}")
    click.echo("settings:      " + ", ".join(f"{k}={values[k]}" for k in DESK_SETTINGS))
    click.echo(
        f"today:         {today.sitting_s / 60:.0f} min seated in {today.bouts} bouts, "
        f"{today.breaks} breaks, longest {today.longest_bout_s / 60:.0f} min"
    )


DESK_SETTINGS = (
    "reminder_interval_minutes",
    "idle_break_minutes",
    "quiet_hours_start",
    "quiet_hours_end",
    "max_snoozes",
    "snooze_minutes",
    "max_skips_in_a_row",
    "standing_desk",
)


@desk_group.command("stats")
@click.option(
    "--days",
    type=click.IntRange(1, 366),
    default=7,
    show_default=True,
    help="How many days back, today included.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a PNG chart to this file (matplotlib).",
)
@click.pass_obj
def stats_cmd(obj: dict[str, Any], days: int, as_json: bool, plot_path: Path | None) -> None:
    """Sitting metrics per day and per week (SBRN 2017 terms).

    Total sitting, number of breaks, breaks per sedentary hour, mean and longest bout, time in
    bouts of 30 min or more, standing time and micro-exercises done.

    \b
    Example:
        glutecoach desk stats --days 14
        glutecoach desk stats --json
        glutecoach desk stats --plot sitting.png
    """
    from glutecoach.desk import stats
    from glutecoach.store import desk_repo

    end = dt.date.today()
    start = end - dt.timedelta(days=days - 1)
    store = _store()
    try:
        with store.transaction() as db:
            pid = _person(db, obj["person"])
            daily = desk_repo.daily_metrics(db, pid, start, end)
            weekly = desk_repo.weekly_metrics(db, pid, start, end)
    finally:
        store.close()
    if plot_path is not None:
        stats.plot(daily, plot_path)
    if as_json:
        payload = {
            "person": obj["person"],
            "start": start.isoformat(),
            "end": end.isoformat(),
            "days": desk_repo.metrics_json(daily),
            "weeks": desk_repo.metrics_json(weekly),
        }
        click.echo(json.dumps(payload, indent=2))
        return
    click.echo(stats.table(daily))
    click.echo()
    click.echo(stats.table(weekly))
    click.echo()
    click.echo(stats.chart(daily))
    if plot_path is not None:
        click.echo(f"\nwrote {plot_path}")


def main() -> None:
    """Entry point of ``python -m glutecoach.desk`` (the start-up entries run this)."""
    try:
        desk_group.main(prog_name="glutecoach desk")
    except GlutecoachError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
