"""Wire the coach's parts together and run it: idle source, notifications, call detection, the
exercise rotation, live settings and the status file. Called by ``glutecoach desk``."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from glutecoach.core.sedentary import DeskSettings, in_quiet_hours, quiet_hours_label
from glutecoach.desk.calls import CAPTURE_DEVICES, VIDEO_DEVICES, CallDetector
from glutecoach.desk.control import PAUSE_FILE, PauseWatch
from glutecoach.desk.live import LiveSettings
from glutecoach.desk.micro import Rotation, load_micro
from glutecoach.desk.prepare import Prepared
from glutecoach.desk.sink import Sink

CALL_DEVICES_ENV = "GLUTECOACH_CALL_DEVICES"
"""Colon-separated globs of camera devices to watch instead of /dev/video* (debugging, tests)."""


def quiet_hours_line(settings: DeskSettings, now: dt.datetime) -> str:
    """What start-up and ``desk status`` say about quiet hours."""
    label = quiet_hours_label(settings)
    if label is None:
        return "no quiet hours"
    if in_quiet_hours(now, settings):
        return f"quiet hours {label}: it is quiet hours now, so no reminders until {label[-5:]}"
    return f"quiet hours {label} (no reminders then)"


def call_detector(backend: Any) -> CallDetector:
    video: tuple[str, ...] = VIDEO_DEVICES
    if os.environ.get(CALL_DEVICES_ENV):
        video = tuple(p for p in os.environ[CALL_DEVICES_ENV].split(":") if p)
    fullscreen = getattr(backend, "fullscreen_window", None)
    return CallDetector(video=video, capture=CAPTURE_DEVICES, fullscreen=fullscreen)


async def run(
    prepared: Prepared,
    sink: Sink,
    live: LiveSettings,
    *,
    where: str = "auto",
    plain: bool = False,
    max_wait: float = 10.0,
    exit_after: float | None = None,
    status_path: Any = None,
    out: TextIO | None = None,
) -> None:
    import asyncio

    from glutecoach.desk.daemon import BreakCoach, SystemClock, install_signal_handlers
    from glutecoach.desk.exercise import ExerciseOpener
    from glutecoach.desk.idle import detect
    from glutecoach.desk.notify import open_notifier

    out = out or sys.stdout
    settings = live.build()
    detection = await detect()
    notifier = await open_notifier(out, plain=plain)
    calls = call_detector(detection.backend)
    stop = asyncio.Event()
    holder: list[Any] = []  # the coach, once built (the tray's menu acts on it)
    tray, tray_text = await _open_tray(
        lambda action: tray_action(action, holder[0], stop, status_path, notifier)
    )
    emphasis = ", ".join(prepared.emphasis) or "none recorded"
    for line in (
        detection.describe(),
        notifier.describe(),
        tray_text,
        calls.describe(),
        f"reminder after {settings.interval_s / 60:g} min of computer use; "
        f"{settings.idle_break_s / 60:g} min idle counts as a (probable) break; "
        f"phase {prepared.phase}; emphasis: {emphasis}; place: {where}"
        + ("; standing-desk mode" if settings.standing_desk else ""),
        quiet_hours_line(settings, dt.datetime.now().astimezone()),
    ):
        out.write(f"glutecoach desk: {line}\n")
    out.flush()
    micro = load_micro()
    coach = BreakCoach(
        sink=sink,
        settings=settings,
        idle=detection.backend,
        notifier=notifier,
        micro=micro,
        phase=prepared.phase,
        clock=SystemClock(),
        out=out,
        status_path=status_path,
        max_wait=max_wait,
        idle_description=detection.describe(),
        calls=calls,
        opener=ExerciseOpener(notifier.inform),
        rotation=Rotation(micro, prepared.phase, tuple(prepared.emphasis), where),
        live=live,
        pause=PauseWatch(Path(status_path).with_name(PAUSE_FILE)) if status_path else None,
        tray=tray,
    )
    coach.tray_description = tray_text
    holder.append(coach)
    install_signal_handlers(stop, coach.status_now)
    try:
        await coach.run(stop, exit_after=exit_after)
    finally:
        calls.close()
        if tray is not None:
            tray.close()
        if detection.backend is not None:
            detection.backend.close()
        await notifier.close()
        sink.close()
        out.write("glutecoach desk: stopped\n")
        out.flush()


async def _open_tray(on_action: Any) -> tuple[Any, str]:
    try:
        from glutecoach.desk.tray import open_tray
    except ImportError as exc:  # dbus-fast missing (not Linux)
        return None, f"status indicator: none (dbus-fast is not installed: {exc})"
    return await open_tray(on_action)


def tray_action(action: str, coach: Any, stop: Any, status_path: Any, notifier: Any) -> None:
    """A click in the status indicator's menu: pause, resume, open the app, quit."""
    from glutecoach.desk import control
    from glutecoach.desk.tray_menu import Action

    folder = Path(status_path).parent if status_path else None
    now = dt.datetime.now().astimezone()
    if action == Action.PAUSE_HOUR:
        control.pause(now + dt.timedelta(hours=1), folder)
        coach.say("paused for an hour (status indicator)")
    elif action == Action.PAUSE_TOMORROW:
        control.pause(control.tomorrow_morning(now), folder)
        coach.say("paused until tomorrow 08:00 (status indicator)")
    elif action == Action.RESUME:
        control.resume(folder)
        coach.say("resumed (status indicator)")
    elif action == Action.OPEN:
        coach.spawn(open_app(notifier))
    elif action == Action.QUIT:
        coach.say("quit (status indicator)")
        stop.set()
    coach.status_now()


async def open_app(notifier: Any) -> None:
    """The web app's desk page when it runs; otherwise say how to start it."""
    import asyncio
    import webbrowser

    from glutecoach.desk.exercise import DEFAULT_WEB_URL, WEB_URL_ENV, web_running

    base = os.environ.get(WEB_URL_ENV) or DEFAULT_WEB_URL
    if await asyncio.to_thread(web_running, base):
        await asyncio.to_thread(webbrowser.open, f"{base.rstrip('/')}/desk")
        return
    await notifier.inform(
        "The glutecoach web app is not running",
        f"Start it with `glutecoach serve`, then open {base.rstrip('/')}/desk",
    )
