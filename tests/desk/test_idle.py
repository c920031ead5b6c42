"""Idle-time backends: detection rules, and the X11 backend against a real X server (Xvfb)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from glutecoach.desk.idle import (
    BackendUnavailable,
    candidates,
    detect,
    open_named,
    register_backend,
    unregister_backend,
)
from glutecoach.desk.idle.x11 import X11Idle

from .conftest import XServer
from .fakes import FakeClock, FakeIdle


def test_candidates_follow_the_session() -> None:
    assert candidates({"DISPLAY": ":0"}, "linux") == ["x11"]
    gnome_wayland = {
        "WAYLAND_DISPLAY": "wayland-0",
        "DISPLAY": ":0",
        "XDG_CURRENT_DESKTOP": "GNOME",
    }
    assert candidates(gnome_wayland, "linux") == ["gnome", "wayland", "x11"]
    assert candidates({"WAYLAND_DISPLAY": "wayland-0"}, "linux") == ["wayland"]
    assert candidates({"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, "linux") == [
        "x11",
        "gnome",
    ]
    assert candidates({}, "darwin") == ["macos"]
    assert candidates({}, "win32") == ["windows"]
    assert candidates({}, "linux") == []
    assert candidates({"GLUTECOACH_IDLE_BACKEND": "file", "DISPLAY": ":0"}, "linux") == ["file"]


def test_no_backend_means_timer_only_with_reasons() -> None:
    detection = asyncio.run(detect({"WAYLAND_DISPLAY": "wayland-0"}, "linux"))
    assert detection.backend is None
    text = detection.describe()
    assert "timer-only" in text and "ext-idle-notify" in text
    empty = asyncio.run(detect({}, "linux"))
    assert "no display found" in empty.describe()


def test_other_platforms_report_why_they_cannot_run_here() -> None:
    for name in ("macos", "windows"):
        with pytest.raises(BackendUnavailable, match=name):
            open_named(name)
    with pytest.raises(BackendUnavailable, match="unknown idle backend"):
        open_named("nope")


def test_a_registered_fake_backend_is_used() -> None:
    clock = FakeClock()
    register_backend("fake", lambda _env: FakeIdle(clock, lambda _m: True))  # type: ignore[arg-type,return-value]
    try:
        detection = asyncio.run(detect({"GLUTECOACH_IDLE_BACKEND": "fake"}, "linux"))
        assert detection.backend is not None and detection.backend.name == "fake"
    finally:
        unregister_backend("fake")


def test_file_backend_reads_idle_and_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "idle"
    path.write_text("42.5 locked")
    monkeypatch.setenv("GLUTECOACH_IDLE_FILE", str(path))
    backend = open_named("file")
    reading = asyncio.run(backend.read())
    assert reading.idle_s == 42.5 and reading.locked


@pytest.mark.xserver
def test_x11_idle_time_grows_and_input_resets_it(xserver: XServer) -> None:
    backend = X11Idle(xserver.display)
    try:
        xserver.xdotool("mousemove", "100", "100")
        assert backend.read_now().idle_s < 0.5
        time.sleep(1.2)
        waited = backend.read_now().idle_s
        assert waited >= 1.0
        xserver.xdotool("key", "shift")
        after_key = backend.read_now()
        assert after_key.idle_s < 0.5 < waited
        assert after_key.locked is False
        time.sleep(0.6)
        xserver.xdotool("mousemove", "300", "200")
        assert asyncio.run(backend.read()).idle_s < 0.5
    finally:
        backend.close()


@pytest.mark.xserver
def test_detect_finds_x11_on_the_display(xserver: XServer) -> None:
    detection = asyncio.run(detect({"DISPLAY": xserver.display}, "linux"))
    assert detection.backend is not None
    try:
        assert detection.backend.name == "x11"
        assert detection.describe() == "idle time from x11"
    finally:
        detection.backend.close()


@pytest.mark.xserver
def test_x11_refuses_a_display_that_does_not_exist(xserver: XServer) -> None:
    del xserver
    with pytest.raises(BackendUnavailable, match="cannot open display"):
        X11Idle(":987")


def test_wayland_is_preferred_over_xwayland_outside_gnome() -> None:
    sway = {"WAYLAND_DISPLAY": "wayland-1", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "sway"}
    assert candidates(sway, "linux") == ["wayland", "x11"]


def test_wayland_without_a_compositor_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pywayland")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no socket there
    with pytest.raises(BackendUnavailable, match="cannot connect to wayland-9"):
        open_named("wayland", {"WAYLAND_DISPLAY": "wayland-9"})
    with pytest.raises(BackendUnavailable, match="WAYLAND_DISPLAY is not set"):
        open_named("wayland", {})


def test_wayland_idle_time_from_idled_and_resumed_events() -> None:
    """ext-idle-notify sends "idled" after the timeout without input and "resumed" at the next
    input; the backend turns them into a running idle time (the protocol part needs a
    compositor and is not tested here)."""
    from glutecoach.desk.idle.wayland import WaylandIdle

    now = [100.0]
    backend = WaylandIdle.__new__(WaylandIdle)  # no connection: only the event arithmetic
    backend.timeout_s, backend.clock, backend.idled_at = 5.0, lambda: now[0], None
    assert backend.idle_now() == 0.0
    backend._idled()  # 5 s without input
    now[0] += 60
    assert backend.idle_now() == pytest.approx(65.0)
    backend._resumed()
    assert backend.idle_now() == 0.0
