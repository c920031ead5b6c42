"""The coach's signs of a call and its body click, against the real thing where it runs here:

* a recording stream in a real PulseAudio (null sink; ``parec`` is the recording client) seen
  through ``pactl``, also by the cheap look on a break;
* a fullscreen window under a real window manager (openbox on Xvfb sets
  ``_NET_WM_STATE_FULLSCREEN`` on a Tk window that asks for it);
* a click on a reminder's body opening the exercise's page in the running web app (the real
  ``glutecoach serve``; the browser is Debian's Chromium, headless, through ``$BROWSER``), with a
  screenshot of the page it opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from glutecoach.desk.calls import CallDetector, pulse_server_present, recording_streams
from glutecoach.desk.idle.x11 import X11Idle

from .conftest import (
    NotificationServer,
    XServer,
    glutecoach_desk_command,
    require_binaries,
    stop_group,
)
from .test_e2e import Lines
from .test_tray_panel import _own_xvfb
from .test_v2_xserver import _shots


@contextlib.contextmanager
def _pulseaudio(tmp: Path) -> Iterator[dict[str, str]]:
    """A throwaway PulseAudio with a null sink; the environment that reaches it."""
    runtime = tmp / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp)}
    env.pop("PULSE_SERVER", None)
    process = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes",
         "--load=module-native-protocol-unix", "--load=module-null-sink sink_name=glc"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("PulseAudio did not start")
            time.sleep(0.1)
        yield env
    finally:
        stop_group(process)


def test_a_recording_stream_in_pulseaudio_is_a_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_binaries("pulseaudio", "pactl", "parec")
    with _pulseaudio(tmp_path) as env:
        for name in ("XDG_RUNTIME_DIR", "HOME"):
            monkeypatch.setenv(name, env[name])
        assert pulse_server_present()
        detector = CallDetector(video=[], capture=[], use_pactl=True)
        assert asyncio.run(recording_streams()) == 0
        assert asyncio.run(detector.check()) is None
        playing = subprocess.Popen(  # playback is no call
            ["paplay", "--raw", "-d", "glc", "/dev/zero"], env=env, start_new_session=True
        )
        recorder: subprocess.Popen[bytes] | None = None
        try:
            time.sleep(0.5)
            assert asyncio.run(detector.check()) is None
            recorder = subprocess.Popen(
                ["parec", "-d", "glc.monitor"],
                env=env,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
            deadline = time.monotonic() + 10
            while asyncio.run(recording_streams()) == 0:
                assert time.monotonic() < deadline, "parec's stream never showed"
                time.sleep(0.1)
            found = asyncio.run(detector.check())
            assert found == "microphone in use (a PulseAudio/PipeWire recording stream)"
            on_a_break = CallDetector(video=[], capture=[], use_pactl=True)
            assert asyncio.run(on_a_break.quick_check()) == found  # the cheap look sees it too
        finally:
            for process in (playing, recorder):
                if process is not None:
                    stop_group(process)  # type: ignore[arg-type]
        assert asyncio.run(detector.check()) is None


TK_FULLSCREEN = """
import sys, tkinter
root = tkinter.Tk()
root.title("Quarterly slides")
label = tkinter.Label(root, text="Quarterly slides (fullscreen)", font=("DejaVu Sans", 36))
label.pack(expand=True)
root.attributes("-fullscreen", True)
root.after(200, lambda: print("shown", flush=True))
def toggle():
    root.attributes("-fullscreen", False)
    print("windowed", flush=True)
root.bind("<F5>", lambda _e: toggle())
root.mainloop()
"""


@pytest.mark.xserver
def test_a_fullscreen_window_under_openbox_is_a_presentation(tmp_path: Path) -> None:
    require_binaries("Xvfb", "openbox", "xdotool")
    pytest.importorskip("tkinter")
    with _own_xvfb() as display:
        env = {**os.environ, "DISPLAY": display, "HOME": str(tmp_path)}
        wm = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        slides: subprocess.Popen[str] | None = None
        backend = None
        try:
            time.sleep(1.0)
            backend = X11Idle(display)
            detector = CallDetector(video=[], capture=[], use_pactl=False,
                                    fullscreen=backend.fullscreen_window)  # fmt: skip
            assert asyncio.run(detector.check()) is None
            slides = subprocess.Popen(
                [sys.executable, "-c", TK_FULLSCREEN],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert slides.stdout is not None and slides.stdout.readline().strip() == "shown"
            deadline = time.monotonic() + 10
            while backend.fullscreen_window() is None:
                assert time.monotonic() < deadline, "openbox never made the window fullscreen"
                time.sleep(0.1)
            from .test_v2_xserver import screenshot

            screenshot(display, _shots(tmp_path) / "19-fullscreen-under-openbox.png")
            assert asyncio.run(detector.check()) == "fullscreen window (Quarterly slides)"
            assert asyncio.run(detector.quick_check()) == "fullscreen window (Quarterly slides)"
            subprocess.run(["xdotool", "key", "F5"], env=env, check=True)
            assert slides.stdout.readline().strip() == "windowed"
            deadline = time.monotonic() + 10
            while backend.fullscreen_window() is not None:
                assert time.monotonic() < deadline, "still fullscreen after leaving it"
                time.sleep(0.1)
            assert asyncio.run(detector.check()) is None  # a normal window is no presentation
        finally:
            if backend is not None:
                backend.close()
            if slides is not None:
                slides.kill()
                slides.wait()
                if slides.stdout is not None:
                    slides.stdout.close()
            stop_group(wm)  # type: ignore[arg-type]


OPEN_EXERCISE = """
import asyncio, sys
from glutecoach.desk.exercise import ExerciseOpener
from glutecoach.desk.micro import load_micro

async def main():
    exercise = next(m for m in load_micro() if m.id == sys.argv[1])
    async def inform(title, body):
        print("inform", title, flush=True)
    opener = ExerciseOpener(inform)
    await opener.open(exercise)
    print("opened", *opener.opened, flush=True)

asyncio.run(main())
"""


@pytest.mark.browser
def test_a_body_click_opens_the_exercise_in_the_running_web_app(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    require_binaries("chromium")
    from tests.web.conftest import _free_port, _wait_until_accepting

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "GLUTECOACH_HOME": str(tmp_path / "home")}
    env.pop("GLUTECOACH_DATABASE_URL", None)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", "from glutecoach.cli import main; main()", "serve",
             "--port", str(port)],
            env=env, stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip
    shot = _shots(tmp_path) / "20-exercise-opened-from-the-reminder.png"
    opened = tmp_path / "opened-urls"
    browser = tmp_path / "browser"
    browser.write_text(
        textwrap.dedent(f"""\
        #!/bin/sh
        echo "$1" >> {opened}
        exec {chromium} --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \\
          --no-first-run --window-size=1100,900 --screenshot={shot} "$1" 2>/dev/null
        """)
    )
    browser.chmod(0o755)
    try:
        _wait_until_accepting(port, server, log)  # type: ignore[arg-type]
        done = subprocess.run(
            [sys.executable, "-c", OPEN_EXERCISE, "glute_bridge"],
            env={**env, "GLUTECOACH_WEB_URL": base, "BROWSER": f"{browser} %s"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        url = f"{base}/catalog/glute_bridge"
        assert done.stdout.strip() == f"opened {url}"
        assert opened.read_text().split() == [url]
        with urllib.request.urlopen(url, timeout=30) as page:
            assert page.status == 200 and "bridge" in page.read().decode().lower()
        assert shot.exists() and shot.stat().st_size > 10_000  # the page, drawn
    finally:
        stop_group(server)  # type: ignore[arg-type]
    assert "Traceback" not in log.read_text()


@pytest.mark.xserver
@pytest.mark.browser
def test_a_click_on_the_reminder_opens_its_exercise_in_the_running_web_app(
    xserver: XServer, notification_server: NotificationServer, tmp_path: Path, _isolated_home: Path
) -> None:
    """The whole path: the real coach's reminder in dunst, a click on its body, the exercise's
    page of the running web app opened in the browser (``$BROWSER`` records the address)."""
    from tests.web.conftest import _free_port, _wait_until_accepting

    from glutecoach.paths import database_url
    from glutecoach.store.db import open_store
    from glutecoach.store.repository import ensure_person, set_setting

    store = open_store(database_url())
    with store.transaction() as db:  # no quiet hours: the test may run at any time of day
        person = ensure_person(db, "me", now=dt.datetime.now())
        set_setting(db, person, "quiet_hours_start", "00:00")
        set_setting(db, person, "quiet_hours_end", "00:00")
    store.close()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DISPLAY": xserver.display,
        "DBUS_SESSION_BUS_ADDRESS": notification_server.bus,
        "GLUTECOACH_WEB_URL": base,
        "PYTHONUNBUFFERED": "1",
    }
    opened = tmp_path / "opened-urls"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    browser.chmod(0o755)
    env["BROWSER"] = f"{browser} %s"
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", "from glutecoach.cli import main; main()", "serve",
             "--port", str(port)],
            env=env, stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip
    notification_server.dunstctl("close-all")
    coach = subprocess.Popen(
        [*glutecoach_desk_command(), "--place", "home", "--interval-seconds", "4",
         "--idle-break-seconds", "30", "--min-bout-seconds", "0.5", "--reprompt-seconds", "100",
         "--max-wait", "0.2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines = Lines(coach)
    try:
        _wait_until_accepting(port, server, log)  # type: ignore[arg-type]
        lines.wait_for("no quiet hours", timeout=60)
        xserver.xdotool("mousemove", "200", "200")  # at the computer: the bout starts
        # at home, phase 1: the rotation's first item is the walk (no page of its own), the
        # second the half-kneeling hip flexor stretch, a catalog exercise
        deadline = time.monotonic() + 30
        while sum("reminder: Stand up and move" in line for _, line in _seen(lines)) < 2:
            assert time.monotonic() < deadline, [line for _, line in lines.seen]
            xserver.xdotool("mousemove", "210", str(200 + int(time.monotonic() * 10) % 50))
            time.sleep(0.3)
        notification_server.wait_displayed(1)
        notification_server.dunstctl("action", "0")  # a click on the body
        lines.wait_for("opening the exercise: Half-kneeling hip flexor stretch", timeout=15)
        deadline = time.monotonic() + 15
        while not opened.exists():
            assert time.monotonic() < deadline, "the browser was not asked to open anything"
            time.sleep(0.1)
        url = f"{base}/catalog/half_kneeling_hip_flexor_stretch"
        assert opened.read_text().split() == [url]
        with urllib.request.urlopen(url, timeout=30) as page:
            assert page.status == 200 and "hip flexor" in page.read().decode().lower()
    finally:
        coach.terminate()
        coach.wait(timeout=30)
        lines.close()
        stop_group(server)  # type: ignore[arg-type]
    assert "Traceback" not in log.read_text()


def _seen(lines: Lines) -> list[tuple[float, str]]:
    while not lines.queue.empty():
        lines.seen.append(lines.queue.get_nowait())
    return lines.seen
