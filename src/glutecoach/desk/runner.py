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
    emphasis = ", ".join(prepared.emphasis) or "none recorded"
    for line in (
        detection.describe(),
        notifier.describe(),
        calls.describe(),
        f"reminder after {settings.interval_s / 60:g} min of computer use; "
        f"{settings.idle_break_s / 60:g} min idle counts as a (probable) break; "
        f"phase {prepared.phase}; emphasis: {emphasis}; place: {where}"
        + ("; standing-desk mode" if settings.standing_desk else ""),
        quiet_hours_line(settings, dt.datetime.now().astimezone()),
    ):
        out.write(f"glutecoach desk: {line}\n")
    out.flush()
    stop = asyncio.Event()
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
    )
    install_signal_handlers(stop, coach.status_now)
    try:
        await coach.run(stop, exit_after=exit_after)
    finally:
        calls.close()
        if detection.backend is not None:
            detection.backend.close()
        await notifier.close()
        sink.close()
        out.write("glutecoach desk: stopped\n")
        out.flush()
