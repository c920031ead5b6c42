"""The ext-idle-notify-v1 backend against a real compositor: KWin (Debian's kwin-wayland 5.27,
``--virtual``: headless), which offers ``ext_idle_notifier_v1``. Input comes from KWin's own
fake-input protocol (``org_kde_kwin_fake_input``; its bindings are generated with pywayland's
scanner from plasma-wayland-protocols' XML), which KWin grants to a client whose executable a
desktop file names (``X-KDE-Wayland-Interfaces``).

Debian 12's wlroots compositors (sway 1.7, cage, wayfire: wlroots 0.15) and weston 10 do not
implement ext-idle-notify-v1 (wlroots added it in 0.16); KWin 5.27 does (version 1).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import glutecoach_desk_command, require_binaries, stop_group
from .test_e2e import Lines

FAKE_INPUT_XML = Path("/usr/share/plasma-wayland-protocols/fake-input.xml")
SOCKET = "wayland-glutecoach"


@contextlib.contextmanager
def _kwin(work: Path) -> Iterator[dict[str, str]]:
    """Headless KWin on its own D-Bus; the environment that reaches it."""
    require_binaries("kwin_wayland", "kbuildsycoca5", "dbus-run-session")
    pytest.importorskip("pywayland")
    if not FAKE_INPUT_XML.exists():
        pytest.fail(f"{FAKE_INPUT_XML} is missing: apt-get install plasma-wayland-protocols")
    runtime = work / "run"
    runtime.mkdir(mode=0o700)
    binary = work / "bin" / "kwin_wayland"  # a copy without file capabilities (containers
    binary.parent.mkdir()  # refuse to exec the original), still named so KWin loads its QPA
    shutil.copy(shutil.which("kwin_wayland") or "", binary)
    applications = work / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / "glutecoach-test-input.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=test input\nNoDisplay=true\n"
        f"Exec={os.path.realpath(sys.executable)}\n"
        "X-KDE-Wayland-Interfaces=org_kde_kwin_fake_input\n"
    )
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(work),
        "XDG_DATA_HOME": str(work / "share"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_CACHE_HOME": str(work / "cache"),
    }
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP"):
        env.pop(name, None)
    script = (
        "kbuildsycoca5 --noincremental >/dev/null 2>&1; "
        f"exec {binary} --virtual --socket {SOCKET} --width 800 --height 600 "
        "--no-lockscreen --no-global-shortcuts"
    )
    process = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", script],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (runtime / SOCKET).exists():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("kwin_wayland --virtual did not open its socket")
            time.sleep(0.1)
        time.sleep(1.0)
        yield {**env, "WAYLAND_DISPLAY": SOCKET}
    finally:
        stop_group(process)  # type: ignore[arg-type]


def _fake_input_module(work: Path) -> ModuleType:
    out = work / "protocols"
    subprocess.run(
        [sys.executable, "-m", "pywayland.scanner", "-i", str(FAKE_INPUT_XML), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    spec = importlib.util.spec_from_file_location("fake_input", out / "fake_input.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeInput:
    """A second Wayland client that moves the pointer through KWin's fake input."""

    def __init__(self, work: Path) -> None:
        from pywayland.client.display import Display

        module = _fake_input_module(work)
        self.display = Display(SOCKET)
        self.display.connect()
        offered: dict[str, tuple[int, int]] = {}
        registry = self.display.get_registry()

        def announce(_registry: Any, name: int, interface: str, version: int) -> None:
            offered.setdefault(interface, (name, version))

        registry.dispatcher["global"] = announce
        self.display.roundtrip()
        assert "org_kde_kwin_fake_input" in offered, "KWin did not grant fake input"
        name, version = offered["org_kde_kwin_fake_input"]
        self.proxy = registry.bind(name, module.OrgKdeKwinFakeInput, min(version, 4))
        self.proxy.authenticate("glutecoach tests", "simulated input")
        self.display.roundtrip()

    def move(self) -> None:
        self.proxy.pointer_motion(4.0, 3.0)
        self.display.roundtrip()

    def close(self) -> None:
        self.display.disconnect()


def test_idled_after_the_timeout_and_resumed_on_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _kwin(tmp_path) as env:
        monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
        from glutecoach.desk.idle.wayland import WaylandIdle

        backend = WaylandIdle(SOCKET, timeout_ms=1000)
        person = FakeInput(tmp_path)

        async def scenario() -> list[float]:
            seen = [(await backend.read()).idle_s]  # the fd is now watched by this loop
            await asyncio.sleep(2.5)
            seen.append((await backend.read()).idle_s)  # idled after 1 s: ~2.5 s idle
            person.move()
            await asyncio.sleep(0.3)
            seen.append((await backend.read()).idle_s)  # resumed
            await asyncio.sleep(1.6)
            seen.append((await backend.read()).idle_s)
            return seen

        try:
            assert backend.describe() == "wayland ext-idle-notify idle (v1)"
            first, idle, after_input, again = asyncio.run(scenario())
        finally:
            person.close()
            backend.close()
        assert first < 1.0
        assert 2.0 <= idle <= 3.5  # exact to the event, not rounded to the timeout
        assert after_input == 0.0
        assert 1.0 <= again <= 2.2


def test_the_coach_on_kwin_uses_ext_idle_notify_and_sees_input_and_breaks(
    tmp_path: Path,
) -> None:
    with _kwin(tmp_path) as env:
        env = {**env, "GLUTECOACH_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        coach = subprocess.Popen(
            [*glutecoach_desk_command(), "--plain", "--interval-seconds", "600",
             "--idle-break-seconds", "6", "--min-bout-seconds", "8", "--max-wait", "0.2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        lines = Lines(coach)
        person: FakeInput | None = None
        try:
            lines.wait_for("idle time from wayland", timeout=60)
            lines.wait_for("quiet hours", timeout=10)
            # until the compositor's first "idled" (after its 5 s timeout) the backend cannot
            # know the person is away: that first stretch is shorter than a bout (8 s here,
            # 1 min by default) and leaves no trace
            time.sleep(8)
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
                person = FakeInput(tmp_path)
            began = time.monotonic()
            for _ in range(40):  # twelve seconds or so at the computer
                person.move()
                time.sleep(0.3)
            typed_s = time.monotonic() - began
            lines.wait_for("ended by idle", timeout=30)  # then away: the bout ends
        finally:
            if person is not None:
                person.close()
            coach.terminate()
            coach.wait(timeout=20)
            lines.close()
        said = [line for _, line in lines.seen]
        assert sum("ended by idle" in line for line in said) == 1, said
        stats = subprocess.run(
            [*glutecoach_desk_command(), "stats", "--days", "1", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        today = json.loads(stats.stdout)["days"][-1]
        # the time with input makes the bout, not the 6 s idle after it; the protocol says
        # nothing until its timeout (5 s) has passed, so the end may be late by up to that
        late = today["sitting_s"] - typed_s
        assert today["bouts"] == 1 and -1.5 <= late <= 5 + 1.5, (today, typed_s)
