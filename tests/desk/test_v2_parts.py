"""Parts of the coach v2: call detection through /proc, the exercise rotation, live settings."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glutecoach.desk.calls import CallDetector, holders
from glutecoach.desk.live import DESK_SETTINGS, LiveSettings
from glutecoach.desk.micro import Rotation, at_office, load_micro
from glutecoach.desk.prepare import prepare
from glutecoach.desk.sink import SqliteSink
from glutecoach.settings import defaults
from glutecoach.store.db import open_store
from glutecoach.store.repository import set_setting

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0)
SATURDAY_10 = dt.datetime(2026, 11, 28, 10, 0)


def _hold(path: Path) -> subprocess.Popen[bytes]:
    """Another process that keeps ``path`` open, like a video call holding the camera."""
    code = f"import time; f = open({str(path)!r}, 'rb'); print('open', flush=True); time.sleep(60)"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline().strip() == b"open"
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def test_a_process_holding_the_camera_is_a_call(tmp_path: Path) -> None:
    camera = tmp_path / "video0"
    camera.write_bytes(b"")
    detector = CallDetector(video=[str(tmp_path / "video*")], capture=[], use_pactl=False)
    assert asyncio.run(detector.check()) is None
    process = _hold(camera)
    try:
        found = asyncio.run(detector.check())
        assert found is not None and found.startswith("camera in use by python")
        assert holders({str(camera)}) == {str(camera): process.pid}
    finally:
        _stop(process)
    assert asyncio.run(detector.check()) is None


def test_a_capture_device_held_open_is_a_call_and_fullscreen_counts(tmp_path: Path) -> None:
    microphone = tmp_path / "pcmC0D0c"
    microphone.write_bytes(b"")
    playback = tmp_path / "pcmC0D0p"
    playback.write_bytes(b"")
    detector = CallDetector(video=[], capture=[str(tmp_path / "pcmC*D*c")], use_pactl=False)
    process = _hold(playback)  # playing sound is no call
    try:
        assert asyncio.run(detector.check()) is None
    finally:
        _stop(process)
    process = _hold(microphone)
    try:
        assert "microphone in use" in str(asyncio.run(detector.check()))
    finally:
        _stop(process)
    slides = CallDetector(video=[], capture=[], use_pactl=False, fullscreen=lambda: "Slides")
    assert asyncio.run(slides.check()) == "fullscreen window (Slides)"


def test_on_a_break_the_quick_check_scans_only_after_a_device_was_touched(tmp_path: Path) -> None:
    camera = tmp_path / "video0"
    camera.write_bytes(b"")
    detector = CallDetector(video=[str(tmp_path / "video*")], capture=[], use_pactl=False)
    assert detector.watch.available  # inotify (Linux)
    assert asyncio.run(detector.quick_check()) is None
    assert detector.scans == 1  # the first look knows nothing yet: one scan
    for _ in range(5):
        assert asyncio.run(detector.quick_check()) is None
    assert detector.scans == 1  # nothing opened since: no scan of open files
    process = _hold(camera)  # a call starts while the person touches nothing
    try:
        found = asyncio.run(detector.quick_check())
        assert found is not None and found.startswith("camera in use by python")
        assert detector.scans == 2
    finally:
        _stop(process)
    assert asyncio.run(detector.quick_check()) is None  # closed: touched again, scanned
    assert detector.scans == 3
    detector.close()


def test_rotation_fits_the_place_the_phase_and_the_emphasis() -> None:
    items = load_micro()
    office = Rotation(items, phase=1, where="auto")
    at_work = [office.next(MONDAY_10).id for _ in range(12)]
    by_id = {m.id: m for m in items}
    assert all(by_id[i].place != "floor" for i in at_work)  # no lying on the office floor
    assert "glute_bridge" not in at_work and "half_kneeling_hip_flexor_stretch" not in at_work
    home = Rotation(items, phase=1, where="auto")
    weekend = {home.next(SATURDAY_10).id for _ in range(12)}
    assert "glute_bridge" in weekend  # floor work at home
    chosen = Rotation(items, phase=1, where="home")
    assert "glute_bridge" in {chosen.next(MONDAY_10).id for _ in range(12)}
    assert "bodyweight_squat" not in weekend  # phase 2 only
    medius = Rotation(items, phase=1, emphasis=("gluteus medius",), where="office")
    picks = [medius.next(MONDAY_10).id for _ in range(8)]
    assert picks[0::2] == ["standing_hip_abduction"] * 4  # the emphasis every other time
    assert len(set(picks[1::2])) > 1  # the rest rotate in between
    assert at_office("auto", MONDAY_10) and not at_office("auto", dt.datetime(2026, 11, 23, 19))


def test_settings_changed_while_running_are_picked_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    prepared = prepare("me", url)
    assert prepared.sqlite_path is not None
    sink = SqliteSink(prepared.sqlite_path, prepared.person_id)
    live = LiveSettings(
        sink,
        prepared.defaults,
        stored=prepared.stored,
        overrides={"snooze_s": 30.0},
    )
    assert set(prepared.defaults) == set(DESK_SETTINGS)
    assert live.build().interval_s == defaults()["reminder_interval_minutes"] * 60
    sink.read_settings()  # what was there at start
    assert live.poll() is None  # nothing changed: one PRAGMA, no query
    store = open_store(url)
    with store.transaction() as db:
        set_setting(db, prepared.person_id, "reminder_interval_minutes", 45)
        set_setting(db, prepared.person_id, "snooze_minutes", 9)
    store.close()
    changed = live.poll()
    assert changed is not None
    settings, names = changed
    assert names == ["reminder_interval_minutes", "snooze_minutes"]
    assert settings.interval_s == 45 * 60
    assert settings.snooze_s == 30.0  # the command line still wins for this run
    assert live.poll() is None
    sink.close()


def test_status_refresh_asks_the_running_coach(tmp_path: Path) -> None:
    from glutecoach.desk.status import refresh

    status = tmp_path / "status.json"
    status.write_text("{}")
    code = (
        "import signal, sys, time, pathlib\n"
        f"p = pathlib.Path({str(status)!r})\n"
        "signal.signal(signal.SIGUSR1, lambda *_: p.write_text('{\"fresh\": 1}'))\n"
        "print('ready', flush=True)\n"
        "time.sleep(30)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == b"ready"
        time.sleep(0.05)
        assert refresh(status, process.pid)
        assert "fresh" in status.read_text()
    finally:
        _stop(process)
    assert not refresh(status, process.pid, timeout=0.2)  # gone: says so, does not hang


@pytest.mark.parametrize("where", ["office", "home"])
def test_the_same_exercise_is_kept_across_a_snooze(where: str) -> None:
    from glutecoach.core.sedentary import DeskSettings, PromptKind, Remind
    from glutecoach.desk.daemon import BreakCoach

    from .fakes import FakeClock, RecordingNotifier

    class NoSink:
        def close(self) -> None: ...

    clock = FakeClock()
    coach = BreakCoach(
        sink=NoSink(),  # type: ignore[arg-type]
        settings=DeskSettings(),
        idle=None,
        notifier=RecordingNotifier(),
        micro=load_micro(),
        phase=1,
        clock=clock,
        out=io.StringIO(),
        rotation=Rotation(load_micro(), 1, (), where),
    )

    def remind(pid: int, snoozed: bool) -> Remind:
        return Remind(pid, PromptKind.BREAK, clock.wall(), 1800.0, 2, True, snoozed=snoozed)

    first = coach._micro_for(remind(1, False))
    assert coach._micro_for(remind(2, True)) == first
    assert coach._micro_for(remind(3, False)) != first


def test_pause_for_an_hour_or_until_tomorrow_and_resume(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from glutecoach.desk.cli import desk_group
    from glutecoach.desk.control import PAUSE_FILE, PauseWatch, coach_status, paused_until

    runner = CliRunner()
    bad = runner.invoke(desk_group, ["pause", "--minutes", "5", "--until-tomorrow"])
    assert bad.exit_code == 2 and "not both" in bad.output
    assert paused_until() is None  # nothing written by the refused command
    result = runner.invoke(desk_group, ["pause"])
    assert result.exit_code == 0 and "reminders paused until" in result.output
    until = paused_until()
    now = dt.datetime.now(dt.UTC)
    assert until is not None and 59 * 60 < (until - now).total_seconds() <= 3600
    watch = PauseWatch(coach_status_path_folder() / PAUSE_FILE)
    assert watch.paused(now) and not watch.paused(now + dt.timedelta(hours=2))
    assert coach_status()["paused_until"] == until.isoformat()
    runner.invoke(desk_group, ["pause", "--until-tomorrow"])
    tomorrow = paused_until()
    assert tomorrow is not None and tomorrow.astimezone().hour == 8
    assert runner.invoke(desk_group, ["resume"]).output.strip() == "reminders resumed"
    assert paused_until() is None and not watch.paused(now)
    assert runner.invoke(desk_group, ["resume"]).output.strip() == "the coach was not paused"


def coach_status_path_folder() -> Path:
    from glutecoach.paths import user_dir

    return user_dir()


def test_a_paused_coach_measures_but_does_not_remind() -> None:
    from .simulate import Sim, nudges

    sim = Sim()
    sim.paused = True
    assert nudges(sim.active(45)) == []
    assert sim.state.bout is not None  # still measured
    sim.paused = False
    assert len(nudges(sim.active(0.2))) == 1
