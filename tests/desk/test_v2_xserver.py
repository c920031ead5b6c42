"""The coach v2 end to end: the real ``glutecoach desk`` on Xvfb with dunst on a private D-Bus.

One scenario, as a person would live it (times shortened with the hidden test-speed options):
a reminder with a sound and the app's icon (read off the bus with dbus-monitor), re-prompted
gently, a click on its body opening the exercise in a small window, Done closing it; a call (a
process holding a fake camera) during which idle time neither ends the bout nor brings a
reminder, and a gentle reminder when it ends; the question on return; settings changed with
``glutecoach settings set`` taking effect without a restart; the reminder withdrawn on exit;
``desk stats`` telling confirmed from probable breaks. Screenshots go to ``$GLUTECOACH_SHOTS``
when set (to be looked at), else to the test's temp dir.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from glutecoach.desk.notify import SOUND_NAME
from glutecoach.paths import database_url
from glutecoach.store.db import open_store
from glutecoach.store.repository import ensure_person, set_setting

from .conftest import NotificationServer, XServer, glutecoach_desk_command
from .test_e2e import Lines


def screenshot(display: str, path: Path) -> Path:
    """The whole X screen as a PNG (python-xlib + Pillow)."""
    import Xlib.display
    import Xlib.X
    from PIL import Image

    d = Xlib.display.Display(display)
    try:
        root = d.screen().root
        geometry = root.get_geometry()
        raw = root.get_image(0, 0, geometry.width, geometry.height, Xlib.X.ZPixmap, 0xFFFFFFFF)
        size = (geometry.width, geometry.height)
        Image.frombytes("RGB", size, raw.data, "raw", "BGRX").save(path)
    finally:
        d.close()
    return path


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GLUTECOACH_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _displayed(server: NotificationServer) -> int:
    return int(server.dunstctl("count", "displayed").strip())


def _wait(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Input:
    """Mouse moves every 0.3 s while ``on`` (a person at the keyboard)."""

    def __init__(self, xserver: XServer) -> None:
        self.on = threading.Event()
        self.stop = threading.Event()
        self.xserver = xserver
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        x = 100
        while not self.stop.is_set():
            if self.on.is_set():
                x = 100 if x > 600 else x + 7
                self.xserver.xdotool("mousemove", str(x), "300")
            time.sleep(0.3)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


@pytest.mark.xserver
def test_a_day_with_the_coach_v2(
    xserver: XServer, notification_server: NotificationServer, tmp_path: Path
) -> None:
    server = notification_server
    shots = _shots(tmp_path)
    store = open_store(database_url())
    with store.transaction() as db:
        pid = ensure_person(db, "me", now=dt.datetime.now())
        set_setting(db, pid, "quiet_hours_start", "00:00")
        set_setting(db, pid, "quiet_hours_end", "00:00")
    store.close()
    camera = tmp_path / "dev" / "video0"
    camera.parent.mkdir()
    camera.write_bytes(b"")  # a fake video device: what matters is a process holding it open
    env = {
        **os.environ,
        "DISPLAY": xserver.display,
        "DBUS_SESSION_BUS_ADDRESS": server.bus,
        "PYTHONUNBUFFERED": "1",
        "GLUTECOACH_CALL_DEVICES": str(camera.parent / "video*"),
        "GLUTECOACH_WEB_URL": "http://127.0.0.1:9",  # no web app: the how-to window opens
    }
    for name in ("WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP"):
        env.pop(name, None)
    server.dunstctl("close-all")
    monitor = subprocess.Popen(
        ["dbus-monitor", "--address", server.bus, "interface='org.freedesktop.Notifications'"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    bus_log: list[str] = []
    threading.Thread(
        target=lambda: bus_log.extend(iter(monitor.stdout.readline, "")),  # type: ignore[union-attr]
        daemon=True,
    ).start()
    person = Input(xserver)
    coach = subprocess.Popen(
        [
            *glutecoach_desk_command(),
            "--interval-seconds",
            "10",
            "--idle-break-seconds",
            "3",
            "--min-bout-seconds",
            "0.5",
            "--reprompt-seconds",
            "3",
            "--max-wait",
            "0.2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = Lines(coach)
    holder: subprocess.Popen[bytes] | None = None
    try:
        lines.wait_for("call detection: camera/microphone in use", timeout=60)
        lines.wait_for("no quiet hours", timeout=5)
        time.sleep(3.5)  # idle first: the bout starts with our input
        person.on.set()

        # --- a reminder with sound and icon, re-prompted gently ----------------------------
        _next_line(lines, "reminder: Stand up and move", timeout=30)
        time.sleep(0.5)
        bus = "".join(bus_log)
        assert f'string "{SOUND_NAME}"' in bus and 'string "sound-name"' in bus
        assert "glutecoach.png" in bus  # the app's icon, not Python's
        screenshot(xserver.display, shots / "1-reminder.png")
        _next_line(lines, "reminder: Reminder: stand up and move (after", timeout=15)
        time.sleep(0.5)
        assert "".join(bus_log).count('string "sound-name"') == 1  # the re-prompt is silent
        assert _displayed(server) == 1  # the first was withdrawn: one on screen, not a pile
        screenshot(xserver.display, shots / "2-reprompt.png")

        # --- a click on the body opens the exercise; the reminder comes back quietly ---------
        server.dunstctl("action", "0")
        _next_line(lines, "opening the exercise", timeout=10)
        _wait(lambda: _displayed(server) == 1, 10, "the reminder back on screen")
        _wait(lambda: _howto_windows(coach.pid), 10, "the how-to window's process")
        time.sleep(1.5)  # the Tk window drawn
        screenshot(xserver.display, shots / "3-exercise-window.png")

        # --- Done closes it and is logged as a confirmed break -----------------------------
        person.on.clear()
        server.press("Done")
        _next_line(lines, "answer: done", timeout=10)
        _wait(lambda: _displayed(server) == 0, 10, "the answered reminder to close")

        # --- a call: idle but present; no break, no reminder; a gentle one after -----------
        holder = subprocess.Popen(
            [sys.executable, "-c", f"f = open({str(camera)!r}); import time; time.sleep(60)"]
        )
        time.sleep(2.5)  # past the click's grace time: the next input starts a bout
        person.on.set()
        time.sleep(1.5)
        person.on.clear()  # sits still in the call, longer than the break time and interval
        _next_line(lines, "call: camera in use by python", timeout=15)
        in_call_from = len(lines.seen)
        time.sleep(12)
        _drain(lines)
        during = [line for _, line in lines.seen[in_call_from:]]
        assert not any("ended by idle" in line or "reminder:" in line for line in during), during
        holder.kill()
        holder.wait()
        holder = None
        _next_line(lines, "call ended", timeout=15)
        _next_line(lines, "(gently, no sound)", timeout=10)
        time.sleep(0.7)  # drawn
        screenshot(xserver.display, shots / "4-after-call.png")

        # --- away after the call (probable break), then the question on return -------------
        _next_line(lines, "ended by idle", timeout=15)
        person.on.set()
        _next_line(lines, "reminder: Welcome back: did you stand up?", timeout=15)
        time.sleep(0.5)
        screenshot(xserver.display, shots / "5-welcome-back.png")

        # --- settings follow `glutecoach settings set` without a restart --------------------
        glutecoach = glutecoach_desk_command()[:-1]  # the console script, without "desk"
        subprocess.run(
            [*glutecoach, "settings", "set", "snooze_minutes", "7"],
            env=env,
            check=True,
            capture_output=True,
        )
        _next_line(lines, "settings reloaded: snooze_minutes", timeout=20)

        # --- `desk status` is live ----------------------------------------------------------
        status = subprocess.run(
            [*glutecoach_desk_command(), "status", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        data = json.loads(status.stdout)
        assert data["running"] and data["daemon"]["quiet_hours"] is None
        updated = dt.datetime.fromisoformat(data["daemon"]["updated"])
        assert (dt.datetime.now(dt.UTC) - updated).total_seconds() < 5
    finally:
        _drain(lines)
        print("\n".join(line for _, line in lines.seen))  # shown by pytest on a failure
        person.close()
        if holder is not None:
            holder.kill()
            holder.wait()
        displayed_before_exit = _displayed(server)
        for window in _howto_windows(coach.pid):
            window.kill()
        coach.send_signal(signal.SIGTERM)
        coach.wait(timeout=30)
        lines.close()
        monitor.terminate()
        monitor.wait(timeout=10)
        monitor.stdout.close()  # type: ignore[union-attr]
    # --- withdrawn on exit: nothing of ours outlives the coach ------------------------------
    assert displayed_before_exit == 1  # the question on return was on screen
    assert _displayed(server) == 0
    stats = subprocess.run(
        [*glutecoach_desk_command(), "stats", "--days", "1", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    today = json.loads(stats.stdout)["days"][-1]
    assert today["confirmed_breaks"] == 1  # Done
    assert today["breaks"] == 2  # + the idle gap after the call, not answered: probable
    table = subprocess.run(
        [*glutecoach_desk_command(), "stats", "--days", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "confirmed" in table and "probable" in table


def _next_line(lines: Lines, text: str, timeout: float) -> str:
    """Wait for a line with ``text`` printed after the last one this function returned."""
    start = getattr(lines, "mark", 0)
    deadline = time.monotonic() + timeout
    while True:
        _drain(lines)
        for index in range(start, len(lines.seen)):
            if text in lines.seen[index][1]:
                lines.mark = index + 1  # type: ignore[attr-defined]
                return lines.seen[index][1]
        if time.monotonic() > deadline:
            seen = [line for _, line in lines.seen[start:]]
            raise AssertionError(f"no new line with {text!r}; saw: {seen}")
        time.sleep(0.05)


def _drain(lines: Lines) -> None:
    """Move every line printed so far into ``lines.seen``."""
    while not lines.queue.empty():
        lines.seen.append(lines.queue.get_nowait())


def _howto_windows(pid: int) -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process(pid).children()
        if "glutecoach.desk.howto" in " ".join(child.cmdline())
    ]
