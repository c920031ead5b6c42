"""The status indicator: a StatusNotifierItem with a dbusmenu, tested with the real coach on a
real D-Bus daemon against a test tray host (``sni_host.Host``: the watcher side of the protocol,
reading and clicking the menu as a panel does), and the web app's /desk page after a click."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import time
from pathlib import Path

from PIL import Image

from glutecoach.desk import control
from glutecoach.desk.notify import icon_path
from glutecoach.desk.tray import png_pixmap
from glutecoach.desk.tray_menu import menu, next_line, seated_line, tooltip

from .conftest import glutecoach_desk_command, require_binaries
from .sni_host import Host, private_bus
from .test_e2e import Lines


def test_menu_labels_follow_the_coach() -> None:
    working = {"bout_seconds": 1500.0, "next_reminder_in_s": 300}
    assert seated_line(working) == "Seated for 25 min"
    assert next_line(working) == "Next reminder in 5 min"
    labels = [i.label for i in menu(working) if i.visible and not i.separator]
    assert labels[2:] == [
        "Pause for an hour",
        "Pause until tomorrow",
        "Open glutecoach",
        "Quit the sitting-break coach",
    ]
    until = dt.datetime(2026, 11, 30, 15, 30).astimezone()
    paused = {**working, "paused_until": until.isoformat()}
    assert next_line(paused) == "Paused until 15:30"
    assert next(i.label for i in menu(paused) if i.visible and i.action) == "Resume reminders"
    assert next_line({"in_call": "camera in use by zoom"}).startswith("In a call")
    quiet = {"quiet_now": True, "quiet_hours": "19:00-08:00"}
    assert next_line(quiet) == "Quiet hours: no reminders until 08:00"
    assert seated_line({"bout_seconds": 4000}) == "Seated for 1 h 07 min"
    assert "On a break" in tooltip({})[1]


def test_the_icon_pixmap_is_the_png_in_argb() -> None:
    ((width, height, argb),) = png_pixmap(icon_path())
    image = Image.open(icon_path()).convert("RGBA")
    assert (width, height) == image.size
    rgba = image.tobytes()
    expected = b"".join(
        bytes((rgba[i + 3], rgba[i], rgba[i + 1], rgba[i + 2])) for i in range(0, len(rgba), 4)
    )
    assert argb == expected


def _coach(tmp_path: Path, bus: str) -> subprocess.Popen[str]:
    from glutecoach.paths import database_url
    from glutecoach.store.db import open_store
    from glutecoach.store.repository import ensure_person, set_setting

    store = open_store(database_url())
    with store.transaction() as db:  # no quiet hours: the test may run at any time of day
        person = ensure_person(db, "me", now=dt.datetime.now())
        set_setting(db, person, "quiet_hours_start", "00:00")
        set_setting(db, person, "quiet_hours_end", "00:00")
    store.close()
    idle = tmp_path / "idle"
    idle.write_text("0")  # someone at the keyboard
    env = {
        **os.environ,
        "DBUS_SESSION_BUS_ADDRESS": bus,
        "GLUTECOACH_IDLE_BACKEND": "file",
        "GLUTECOACH_IDLE_FILE": str(idle),
        "GLUTECOACH_WEB_URL": "http://127.0.0.1:9",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DISPLAY", None)
    return subprocess.Popen(
        [*glutecoach_desk_command(), "--interval-seconds", "600", "--max-wait", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _desk_page() -> str:
    import warnings

    with warnings.catch_warnings():  # as tests/web/conftest.py: starlette's httpx notice
        warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

    from glutecoach.paths import database_url
    from glutecoach.web.app import create_app

    app = create_app(database_url())
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            return client.get("/desk").text
    finally:
        app.state.web.close()


async def _wait(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def test_tray_menu_pauses_resumes_and_quits_the_real_coach(
    tmp_path: Path, _isolated_home: Path
) -> None:
    require_binaries("dbus-daemon")
    with private_bus(tmp_path) as bus:
        coach = _coach(tmp_path, bus)
        lines = Lines(coach)
        try:
            # no tray host yet: said once, and the coach carries on
            lines.wait_for("status indicator: no tray host on this desktop", timeout=60)
            asyncio.run(_scenario(bus, lines, _isolated_home))
            coach.wait(timeout=20)  # "Quit" in the menu stopped it
            assert coach.returncode == 0
        finally:
            if coach.poll() is None:
                coach.send_signal(signal.SIGTERM)
                coach.wait(timeout=20)
            lines.close()
    said = [line for _, line in lines.seen]
    assert sum("no tray host" in line for line in said) == 1, said


async def _scenario(bus: str, lines: Lines, home: Path) -> None:
    host = await Host.start(bus)  # a panel starts after the coach: it registers then
    try:
        await asyncio.wait_for(host.watcher.registered.wait(), 20)
        (service,) = host.watcher.items
        props = await host.item_properties(service)
        assert props["Id"] == "glutecoach-desk" and props["Status"] == "Active"
        assert props["IconName"] == "glutecoach" and tuple(props["IconPixmap"][0][:2]) == (128, 128)
        assert Path(props["IconThemePath"], "glutecoach.png").is_file()
        _, _, title, text = props["ToolTip"]
        assert title == "glutecoach: sitting breaks" and "Next reminder in 10 min" in text
        menu_path = props["Menu"]
        items = await host.menu(service, menu_path)
        labels = [i.get("label") for i in items if i.get("visible", True)]
        assert "Pause for an hour" in labels and "Open glutecoach" in labels
        assert any(str(label).startswith("Seated for") for label in labels)
        assert "Resume reminders" not in labels

        # pause for an hour: the coach pauses, the menu and the web page say so
        before = dt.datetime.now(dt.UTC)
        await host.click(service, menu_path, "Pause for an hour")
        await _wait(lambda: control.paused_until(home) is not None, 10, "the pause")
        until = control.paused_until(home)
        assert until is not None and 59 * 60 < (until - before).total_seconds() < 61 * 60
        await _wait(lambda: "LayoutUpdated" in host.signals, 10, "the menu's update signal")
        items = await host.menu(service, menu_path)
        shown = [i.get("label") for i in items if i.get("visible", True)]
        assert "Resume reminders" in shown and "Pause for an hour" not in shown
        assert f"Paused until {until.astimezone().strftime('%H:%M')}" in shown
        lines.wait_for("paused for an hour (status indicator)", timeout=5)
        page = await asyncio.to_thread(_desk_page)
        assert "Paused until" in page and "The desk coach is running" in page

        # resume, then quit from the menu
        await host.click(service, menu_path, "Resume reminders")
        await _wait(lambda: control.paused_until(home) is None, 10, "the resume")
        await _wait(
            lambda: any("resumed (status indicator)" in line for _, line in _drained(lines)),
            10,
            "the coach to say it resumed",
        )
        # until tomorrow morning
        await host.click(service, menu_path, "Pause until tomorrow")
        await _wait(lambda: control.paused_until(home) is not None, 10, "the pause to tomorrow")
        until = control.paused_until(home)
        assert until is not None
        local = until.astimezone()
        assert local.date() > dt.date.today() and (local.hour, local.minute) == (8, 0)
        await host.click(service, menu_path, "Resume reminders")
        await _wait(lambda: control.paused_until(home) is None, 10, "the second resume")

        # open the app: the web app is not running here, so the coach says how to start it
        await host.click(service, menu_path, "Open glutecoach")
        await _wait(
            lambda: any("glutecoach serve" in line for _, line in _drained(lines)),
            10,
            "the note on how to start the web app",
        )
        await host.click(service, menu_path, "Quit the sitting-break coach")
    finally:
        host.close()


def _drained(lines: Lines) -> list[tuple[float, str]]:
    while not lines.queue.empty():
        lines.seen.append(lines.queue.get_nowait())
    return lines.seen
