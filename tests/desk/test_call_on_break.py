"""A call that starts on a break, before any input: the real coach notices it at its next
wake-up (the cheap look: inotify on the devices, then the scan), starts the bout with it, and
counts the call as sitting - not at the next key press."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from glutecoach.desk.status import STATUS_FILE

from .conftest import glutecoach_desk_command
from .test_e2e import Lines


def test_the_coach_sees_a_call_that_starts_on_a_break(tmp_path: Path, _isolated_home: Path) -> None:
    idle = tmp_path / "idle"
    idle.write_text("3600")  # away from the keyboard for an hour: on a break
    camera = tmp_path / "dev" / "video0"
    camera.parent.mkdir()
    camera.write_bytes(b"")
    env = {
        **os.environ,
        "GLUTECOACH_IDLE_BACKEND": "file",
        "GLUTECOACH_IDLE_FILE": str(idle),
        "GLUTECOACH_CALL_DEVICES": str(camera.parent / "video*"),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    coach = subprocess.Popen(
        [*glutecoach_desk_command(), "--max-wait", "0.5", "--min-bout-seconds", "0.5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = Lines(coach)
    holder: subprocess.Popen[bytes] | None = None
    try:
        lines.wait_for("call detection", timeout=60)
        time.sleep(2)
        status = _isolated_home / STATUS_FILE
        assert json.loads(status.read_text())["bout_started"] is None  # on a break
        holder = subprocess.Popen(  # the call starts; nobody touches the keyboard
            [sys.executable, "-c", f"f = open({str(camera)!r}); import time; time.sleep(60)"]
        )
        started = time.monotonic()
        lines.wait_for("call: camera in use by python", timeout=10)
        assert time.monotonic() - started < 5  # at a wake-up, not at the next input
        deadline = time.monotonic() + 5
        while json.loads(status.read_text()).get("bout_started") is None:
            assert time.monotonic() < deadline, "no bout started with the call"
            time.sleep(0.1)
        data = json.loads(status.read_text())
        assert data["in_call"].startswith("camera in use")
    finally:
        if holder is not None:
            holder.kill()
            holder.wait()
        coach.terminate()
        coach.wait(timeout=20)
        lines.close()
    said = [line for _, line in lines.seen]
    assert not any("Welcome back" in line for line in said)  # no question in a call
