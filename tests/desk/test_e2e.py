"""End to end: the real ``glutecoach desk`` command on Xvfb with dunst, driven by xdotool input.

The interval is shortened with the hidden test-speed options (``--interval-seconds`` etc.); the
check is that the reminder comes after the interval of simulated activity and not before, that the
button press is logged, and that ``desk stats --json`` then reports the bout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from glutecoach.paths import database_url
from glutecoach.store import desk_repo
from glutecoach.store.db import open_store
from glutecoach.store.repository import ensure_person, set_setting

from .conftest import NotificationServer, XServer, glutecoach_desk_command

INTERVAL_S = 4.0


def _no_quiet_hours() -> None:
    store = open_store(database_url())
    with store.transaction() as db:
        pid = ensure_person(db, "me", now=dt.datetime.now())
        set_setting(db, pid, "quiet_hours_start", "00:00")
        set_setting(db, pid, "quiet_hours_end", "00:00")
    store.close()


class Lines:
    """Read a subprocess's stdout lines on a thread, with timestamps."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[tuple[float, str]] = queue.Queue()
        self.seen: list[tuple[float, str]] = []
        assert process.stdout is not None
        stdout = process.stdout

        def pump() -> None:
            for line in stdout:
                self.queue.put((time.monotonic(), line.rstrip("\n")))

        self.stdout = stdout
        self.thread = threading.Thread(target=pump, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.thread.join(timeout=10)
        self.stdout.close()

    def wait_for(self, text: str, timeout: float) -> float:
        for when, line in self.seen:
            if text in line:
                return when
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line with {text!r}; saw: {[s for _, s in self.seen]}")
            try:
                when, line = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append((when, line))
            if text in line:
                return when


@pytest.mark.xserver
def test_desk_reminds_after_the_interval_logs_the_bout_and_stats_report_it(
    xserver: XServer, notification_server: NotificationServer, tmp_path: Path
) -> None:
    _no_quiet_hours()
    notification_server.dunstctl("close-all")  # so that "on screen" means our reminder
    env = {
        **os.environ,
        "DISPLAY": xserver.display,
        "DBUS_SESSION_BUS_ADDRESS": notification_server.bus,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("XDG_CURRENT_DESKTOP", None)
    # idle first, so that the bout starts with our input (not earlier)
    time.sleep(0.1)
    process = subprocess.Popen(
        [
            *glutecoach_desk_command(),
            "--interval-seconds",
            str(INTERVAL_S),
            "--idle-break-seconds",
            "2.5",
            "--min-bout-seconds",
            "0.5",
            "--max-wait",
            "0.2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = Lines(process)
    stop_input = threading.Event()
    try:
        lines.wait_for("glutecoach desk: idle time from x11", timeout=30)
        cmdline = Path(f"/proc/{process.pid}/cmdline")
        if cmdline.exists():  # the console script re-executed itself as the lean entry point
            assert b"glutecoach.desk" in cmdline.read_bytes()
        lines.wait_for("desktop notifications with buttons", timeout=5)
        lines.wait_for("reminder after", timeout=5)
        # let the X idle time pass the break threshold: the daemon sees nobody at the desk
        time.sleep(3.0)

        def typist() -> None:
            x = 10
            while not stop_input.is_set():
                x = 10 + (x + 37) % 900
                xserver.xdotool("mousemove", str(x), "300")
                time.sleep(0.25)

        first_input = time.monotonic()
        threading.Thread(target=typist, daemon=True).start()
        reminded = lines.wait_for("reminder: Stand up and move", timeout=30)
        # not before the interval of simulated activity...
        assert reminded - first_input >= INTERVAL_S
        # ...and shown by the notification server, buttons included
        notification_server.wait_displayed()
        notification_server.press("Done")
        lines.wait_for("answer: done", timeout=10)
        ended = lines.wait_for("ended by answer", timeout=10)
        assert ended >= reminded
        stop_input.set()
    finally:
        stop_input.set()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0
    lines.wait_for("glutecoach desk: stopped", timeout=5)
    lines.close()
    assert not any("Traceback" in line for _, line in lines.seen)

    # the answer and the bout are in the database
    store = open_store(database_url())
    with store.transaction() as db:
        pid = ensure_person(db, "me", now=dt.datetime.now())
        prompts = desk_repo.prompts(db, pid)
        bouts = desk_repo.bouts(db, pid)
    store.close()
    assert prompts[0].answer == "done"
    answered = [b for b in bouts if b.cause == "answer"]
    assert len(answered) == 1 and answered[0].seconds >= INTERVAL_S

    stats = subprocess.run(
        [*glutecoach_desk_command(), "stats", "--days", "1", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(stats.stdout)
    today = data["days"][-1]
    assert today["bouts"] >= 1
    assert today["breaks"] >= 1
    assert today["sitting_s"] >= INTERVAL_S
    assert today["longest_bout_s"] >= INTERVAL_S
    assert data["weeks"][-1]["bouts"] >= today["bouts"]
