"""The GNOME backend over a real (private) session D-Bus, against a stand-in Mutter service.

This checks glutecoach's D-Bus calls (names, paths, methods, types); it is not GNOME itself.
"""

from __future__ import annotations

import asyncio

import pytest

from glutecoach.desk.idle import BackendUnavailable, detect
from glutecoach.desk.idle.gnome import (
    MUTTER_BUS,
    MUTTER_PATH,
    SCREENSAVER_BUS,
    SCREENSAVER_PATH,
    GnomeIdle,
)

from .conftest import NotificationServer

dbus_fast = pytest.importorskip("dbus_fast")
from dbus_fast.aio import MessageBus  # noqa: E402
from dbus_fast.service import ServiceInterface, method  # noqa: E402


class FakeMutter(ServiceInterface):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__("org.gnome.Mutter.IdleMonitor")
        self.idle_ms = 0

    @method()  # type: ignore[untyped-decorator,misc]
    def GetIdletime(self) -> t:  # type: ignore[name-defined]  # noqa: F821
        return self.idle_ms


class FakeScreenSaver(ServiceInterface):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__("org.gnome.ScreenSaver")
        self.active = False

    @method()  # type: ignore[untyped-decorator,misc]
    def GetActive(self) -> b:  # type: ignore[name-defined]  # noqa: F821
        return self.active


@pytest.mark.xserver
def test_gnome_backend_reads_mutter_idle_time_and_lock(
    notification_server: NotificationServer,
) -> None:
    bus_address = notification_server.bus

    async def scenario() -> None:
        service = await MessageBus(bus_address=bus_address).connect()
        mutter, saver = FakeMutter(), FakeScreenSaver()
        service.export(MUTTER_PATH, mutter)
        service.export(SCREENSAVER_PATH, saver)
        await service.request_name(MUTTER_BUS)
        await service.request_name(SCREENSAVER_BUS)
        backend = GnomeIdle(bus_address)
        try:
            mutter.idle_ms = 125_000
            reading = await backend.read()
            assert reading.idle_s == pytest.approx(125.0) and not reading.locked
            saver.active = True
            mutter.idle_ms = 20
            reading = await backend.read()
            assert reading.idle_s == pytest.approx(0.02) and reading.locked
            env = {
                "WAYLAND_DISPLAY": "wayland-0",
                "XDG_CURRENT_DESKTOP": "GNOME",
                "DBUS_SESSION_BUS_ADDRESS": bus_address,
            }
            detection = await detect(env, "linux")
            assert detection.backend is not None and detection.backend.name == "gnome"
            detection.backend.close()
        finally:
            backend.close()
            service.disconnect()
            await service.wait_for_disconnect()

    asyncio.run(scenario())


@pytest.mark.xserver
def test_gnome_backend_without_mutter_is_unavailable(
    notification_server: NotificationServer,
) -> None:
    async def scenario() -> None:
        backend = GnomeIdle(notification_server.bus)
        try:
            with pytest.raises(BackendUnavailable, match="GetIdletime failed"):
                await backend.read()
        finally:
            backend.close()

    asyncio.run(scenario())


def test_gnome_backend_needs_a_session_bus() -> None:
    with pytest.raises(BackendUnavailable, match="no session D-Bus"):
        GnomeIdle(None)
