"""``glutecoach desk status`` / ``stats``: is the coach running, and what it measured."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from glutecoach.desk.live import DESK_SETTINGS


def _status_path() -> Path:
    from glutecoach.desk.daemon import STATUS_FILE
    from glutecoach.paths import user_dir

    return user_dir() / STATUS_FILE


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def status_cmd(obj: dict[str, Any], as_json: bool) -> None:
    """Is the coach installed and running, which idle source and notifications work here.

    \b
    Example:
        glutecoach desk status
    """
    from glutecoach.core.sedentary import DeskSettings
    from glutecoach.core.sedentary_metrics import metrics_json
    from glutecoach.desk.daemon import read_status
    from glutecoach.desk.idle import detect
    from glutecoach.desk.install import installed
    from glutecoach.desk.notify import open_notifier
    from glutecoach.desk.runner import quiet_hours_line
    from glutecoach.desk.status import refresh
    from glutecoach.desk_services import status_numbers

    async def probe() -> tuple[str, str]:
        detection = await detect()
        if detection.backend is not None:
            detection.backend.close()
        notifier = await open_notifier()
        await notifier.close()
        return detection.describe(), notifier.describe()

    idle_text, notify_text = asyncio.run(probe())
    numbers = status_numbers(obj["person"], dt.date.today(), dt.datetime.now())
    values, today = numbers.settings, numbers.today
    unit = installed()
    running = read_status(_status_path())
    pid_running = running.get("pid") if running and running.get("alive") else None
    # ask the running coach for a fresh status (SIGUSR1), so what is shown is live
    if isinstance(pid_running, int) and refresh(_status_path(), pid_running):
        running = read_status(_status_path())
    settings = DeskSettings.from_values(values)
    quiet = quiet_hours_line(settings, dt.datetime.now().astimezone())
    data = {
        "installed": str(unit) if unit else None,
        "running": bool(running and running.get("alive")),
        "daemon": running,
        "idle_source": idle_text,
        "notifications": notify_text,
        "settings": {k: values[k] for k in DESK_SETTINGS},
        "quiet_hours": quiet,
        "today": metrics_json([today])[0],
        "logged": numbers.counts,
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
        click.echo(f"now:           {_now_line(running)}")
        if running.get("status_indicator"):
            click.echo(f"tray:          {running['status_indicator']}")
    else:
        click.echo("running:       no")
    click.echo(f"quiet hours:   {quiet}")
    click.echo(f"idle source:   {idle_text}")
    click.echo(f"notifications: {notify_text}")
    click.echo("settings:      " + ", ".join(f"{k}={values[k]}" for k in DESK_SETTINGS))
    click.echo(
        f"today:         {today.sitting_s / 60:.0f} min seated in {today.bouts} bouts, "
        f"{today.breaks} breaks ({today.confirmed_breaks} confirmed, "
        f"{today.probable_breaks} probable), longest {today.longest_bout_s / 60:.0f} min"
    )


def _now_line(running: dict[str, object]) -> str:
    """The running coach's moment: in a call, quiet hours, or when the next reminder comes."""
    if running.get("paused_until"):
        return f"paused until {running['paused_until']} (`glutecoach desk resume` ends it)"
    if running.get("in_call"):
        return f"in a call ({running['in_call']}): no reminders until it ends"
    if running.get("quiet_now"):
        return "quiet hours: no reminders"
    due = running.get("next_reminder_in_s")
    if isinstance(due, int | float):
        return f"next reminder in {due / 60:.0f} min (if you keep working)"
    return "on a break (no bout running)"


@click.command("stats")
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
    from glutecoach.core.sedentary_metrics import metrics_json
    from glutecoach.desk import stats
    from glutecoach.desk_services import period_metrics

    end = dt.date.today()
    start = end - dt.timedelta(days=days - 1)
    daily, weekly = period_metrics(obj["person"], start, end, dt.datetime.now())
    if plot_path is not None:
        stats.plot(daily, plot_path)
    if as_json:
        payload = {
            "person": obj["person"],
            "start": start.isoformat(),
            "end": end.isoformat(),
            "days": metrics_json(daily),
            "weeks": metrics_json(weekly),
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
