"""Real X server (Xvfb) and notification server (dunst on a private D-Bus) for the desk tests.

Tests that need them are marked ``xserver``. Without the binaries they skip with the reason, and
they FAIL when the ``CI`` environment variable is set (CI must install them: see .ci/run).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.realparts import missing_real_part

XSERVER_BINARIES = ("Xvfb", "xdotool")
NOTIFY_BINARIES = ("dunst", "dunstctl", "dbus-run-session", "dbus-send")
APT_HINT = "apt-get install -y xvfb xdotool dunst dbus-x11 libnotify-bin"


def require_binaries(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if not missing:
        return
    missing_real_part(f"missing {', '.join(missing)} (install with: {APT_HINT})")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("GLUTECOACH_HOME", str(home))
    monkeypatch.delenv("GLUTECOACH_DATABASE_URL", raising=False)
    monkeypatch.delenv("GLUTECOACH_IDLE_BACKEND", raising=False)
    return home


@dataclass
class XServer:
    display: str
    process: subprocess.Popen[bytes]

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": self.display}, check=True)


@pytest.fixture(scope="session")
def xserver() -> Iterator[XServer]:
    require_binaries(*XSERVER_BINARIES)
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        pytest.fail("Xvfb did not report a display number")
    try:
        yield XServer(f":{number}", process)
    finally:
        process.terminate()
        process.wait(timeout=10)


DMENU = """#!/bin/sh
grep -m1 "$(cat {pick})"
"""

DUNSTRC = """[global]
    dmenu = {dmenu}
    history_length = 100
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
"""


@dataclass
class NotificationServer:
    bus: str
    display: str
    pick_file: Path
    process: subprocess.Popen[bytes]

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.bus, "DISPLAY": self.display}

    def dunstctl(self, *args: str) -> str:
        return subprocess.run(
            ["dunstctl", *args], env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def displayed(self) -> int:
        """How many notifications dunst has on screen now."""
        return int(self.dunstctl("count", "displayed").strip())

    def wait_displayed(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until at least ``count`` notifications are on screen (their buttons with them),
        instead of sleeping a fixed time before pressing one."""
        deadline = time.monotonic() + timeout
        while self.displayed() < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} notification(s) on screen after {timeout} s")
            time.sleep(0.05)

    def press(self, label: str) -> None:
        """Choose the button whose line contains ``label`` through the fake dmenu."""
        self.pick_file.write_text(label)
        self.dunstctl("context")

    def history(self) -> list[dict[str, object]]:
        import json

        self.dunstctl("close-all")
        data = json.loads(self.dunstctl("history"))
        return list(data["data"][0])

    def summaries(self) -> list[str]:
        return [str(n["summary"]["data"]) for n in self.history()]  # type: ignore[index]

    def clear_history(self) -> None:
        self.dunstctl("close-all")
        # older dunst (Debian 12) has no history-clear; callers then compare before/after
        subprocess.run(["dunstctl", "history-clear"], env=self.env, capture_output=True)


def _name_has_owner(bus: str, name: str) -> bool:
    out = subprocess.run(
        [
            "dbus-send",
            f"--bus={bus}",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"string:{name}",
        ],
        capture_output=True,
        text=True,
    )
    return "boolean true" in out.stdout


@pytest.fixture(scope="session")
def notification_server(
    xserver: XServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NotificationServer]:
    require_binaries(*NOTIFY_BINARIES)
    work = tmp_path_factory.mktemp("dunst")
    pick = work / "pick"
    pick.write_text("Done")
    dmenu = work / "fake-dmenu"
    dmenu.write_text(DMENU.format(pick=pick))
    dmenu.chmod(0o755)
    config = work / "dunstrc"
    config.write_text(DUNSTRC.format(dmenu=dmenu))
    bus_file = work / "bus"
    process = subprocess.Popen(
        [
            "dbus-run-session",
            "--",
            "sh",
            "-c",
            f'echo "$DBUS_SESSION_BUS_ADDRESS" > {bus_file}; exec dunst -config {config}',
        ],
        env={**os.environ, "DISPLAY": xserver.display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # with its dbus-daemon: stopped together, nothing left behind
    )
    deadline = time.monotonic() + 20
    bus = ""
    while time.monotonic() < deadline:
        bus = bus_file.read_text().strip() if bus_file.exists() else ""
        if bus and _name_has_owner(bus, "org.freedesktop.Notifications"):
            break
        if process.poll() is not None:
            pytest.fail("dunst exited early")
        time.sleep(0.1)
    else:
        stop_group(process)
        pytest.fail("dunst did not take org.freedesktop.Notifications on the private bus")
    try:
        yield NotificationServer(bus, xserver.display, pick, process)
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started with ``start_new_session`` and everything in its group."""
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # members that outlived the leader


def glutecoach_desk_command() -> list[str]:
    """The real command: the ``glutecoach`` console script's ``desk`` group when it is wired in,
    else ``python -m glutecoach.desk`` (the same click group the start-up entries run)."""
    script = Path(sys.executable).with_name("glutecoach")
    try:
        from glutecoach.cli import main  # noqa: F401
    except ImportError:
        return [sys.executable, "-m", "glutecoach.desk"]
    if script.exists():
        return [str(script), "desk"]
    return [sys.executable, "-c", "from glutecoach.cli import main; main()", "desk"]
