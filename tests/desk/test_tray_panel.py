"""The status indicator in a real tray: Xfce's panel (its systray plugin is a StatusNotifierItem
host) on its own Xvfb and private D-Bus. The coach's icon is drawn in the panel, a right click
opens its menu (Xfce calls Activate on a left click), choosing "Pause for an hour" with the
keyboard pauses the coach, and the menu then says so. Screenshots go to
``$GLUTECOACH_SHOTS`` (to be looked at), else to the test's temp dir."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from glutecoach.desk import control
from glutecoach.desk.notify import icon_path

from .conftest import _name_has_owner, glutecoach_desk_command, require_binaries, stop_group
from .test_e2e import Lines
from .test_v2_xserver import _shots, screenshot


@contextlib.contextmanager
def _own_xvfb() -> Iterator[str]:
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x600x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def _xfce_panel(display: str, work: Path) -> Iterator[str]:
    """xfce4-panel (default layout: its systray plugin hosts StatusNotifierItems); its bus."""
    bus_file = work / "bus"
    home = work / "panel-home"
    home.mkdir()
    env = {**os.environ, "DISPLAY": display, "HOME": str(home)}
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    env["XDG_CACHE_HOME"] = str(home / ".cache")
    process = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c",
         f'echo "$DBUS_SESSION_BUS_ADDRESS" > {bus_file}; exec xfce4-panel --disable-wm-check'],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            bus = bus_file.read_text().strip() if bus_file.exists() else ""
            if bus and _name_has_owner(bus, "org.kde.StatusNotifierWatcher"):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("xfce4-panel did not take org.kde.StatusNotifierWatcher")
            time.sleep(0.2)
        time.sleep(1.5)  # drawn
        yield bus
    finally:
        stop_group(process)


def _find_icon(shot: Path, strip_height: int = 30) -> tuple[int, int]:
    """Where the coach's icon is drawn in the top panel: the centre of the pixels that have the
    icon's background colour (its teal)."""
    icon = Image.open(icon_path()).convert("RGB")
    teal = icon.getpixel((20, icon.height // 2))
    assert isinstance(teal, tuple)
    image = Image.open(shot).convert("RGB")
    width = image.width
    hits = [
        (x, y)
        for y in range(strip_height)
        for x in range(width)
        if sum(abs(int(a) - int(b)) for a, b in zip(image.getpixel((x, y)), teal, strict=True))  # type: ignore[arg-type]
        < 40
    ]
    assert len(hits) > 30, "the coach's icon is not drawn in the panel"
    # the densest cluster of that colour (other icons may have a few such pixels)
    centre = max((x for x, _ in hits), key=lambda c: sum(abs(x - c) <= 12 for x, _ in hits))
    cluster = [(x, y) for x, y in hits if abs(x - centre) <= 14]
    assert len(cluster) > 30, "the coach's icon is not drawn in the panel"
    xs, ys = [x for x, _ in cluster], [y for _, y in cluster]
    return (min(xs) + max(xs)) // 2, (min(ys) + max(ys)) // 2


def _open_menu(display: str, env: dict[str, str], x: int, y: int, closed: Path, shot: Path) -> Path:
    """Right-click the icon until its menu is drawn below the panel (the panel fetches the
    menu's layout on the first request); the screenshot with the menu."""
    below = (max(0, x - 300), 30, x + 100, 300)  # under the icon (not the bottom launcher bar)
    for _ in range(4):
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "3"], env=env, check=True)
        time.sleep(1.5)
        screenshot(display, shot)
        box = ImageChops.difference(
            Image.open(closed).convert("RGB").crop(below),
            Image.open(shot).convert("RGB").crop(below),
        ).getbbox()
        if box is not None and box[3] - box[1] > 100 and box[2] - box[0] > 100:
            return shot
        subprocess.run(["xdotool", "key", "Escape"], env=env, check=True)
    raise AssertionError("no menu opened below the icon")


@pytest.mark.xserver
def test_the_icon_and_its_menu_in_xfce_panel(tmp_path: Path, _isolated_home: Path) -> None:
    require_binaries("xfce4-panel", "Xvfb", "xdotool", "dbus-run-session")
    shots = _shots(tmp_path)
    idle = tmp_path / "idle"
    idle.write_text("0")
    with _own_xvfb() as display, _xfce_panel(display, tmp_path) as bus:
        before = screenshot(display, tmp_path / "panel-alone.png")
        env = {
            **os.environ,
            "DISPLAY": display,
            "DBUS_SESSION_BUS_ADDRESS": bus,
            "GLUTECOACH_IDLE_BACKEND": "file",
            "GLUTECOACH_IDLE_FILE": str(idle),
            "PYTHONUNBUFFERED": "1",
        }
        coach = subprocess.Popen(
            [*glutecoach_desk_command(), "--plain", "--max-wait", "0.2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = Lines(coach)
        try:
            lines.wait_for("status indicator: in the tray (StatusNotifierItem)", timeout=60)
            time.sleep(2)  # the panel fetched the icon and drew it
            tray = screenshot(display, shots / "16-tray-icon.png")
            x, y = _find_icon(tray)
            with pytest.raises(AssertionError):
                _find_icon(before)  # not drawn before the coach registered
            opened = _open_menu(display, env, x, y, tray, shots / "17-tray-menu.png")
            # the two first lines are information (insensitive): Down picks "Pause for an hour"
            subprocess.run(["xdotool", "key", "Down", "Return"], env=env, check=True)
            lines.wait_for("paused for an hour (status indicator)", timeout=10)
            assert control.paused_until(_isolated_home) is not None
            time.sleep(1)
            paused = _open_menu(display, env, x, y, tray, shots / "18-tray-menu-paused.png")
            again = ImageChops.difference(
                Image.open(opened).convert("RGB"), Image.open(paused).convert("RGB")
            ).getbbox()
            assert again is not None  # the menu changed: "Paused until", "Resume reminders"
            subprocess.run(["xdotool", "key", "Escape"], env=env, check=True)
        finally:
            coach.terminate()
            coach.wait(timeout=20)
            lines.close()
