"""GNOME (X11 or Wayland): Mutter's IdleMonitor and GNOME's ScreenSaver over the session D-Bus."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from glutecoach.desk.idle import BackendUnavailable, IdleReading

MUTTER_BUS = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
MUTTER_IFACE = "org.gnome.Mutter.IdleMonitor"
SCREENSAVER_BUS = "org.gnome.ScreenSaver"
SCREENSAVER_PATH = "/org/gnome/ScreenSaver"
SCREENSAVER_IFACE = "org.gnome.ScreenSaver"


class GnomeIdle:
    name = "gnome"

    def __init__(self, bus_address: str | None) -> None:
        if not bus_address:
            raise BackendUnavailable("gnome: no session D-Bus (DBUS_SESSION_BUS_ADDRESS unset)")
        try:
            import dbus_fast.aio  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise BackendUnavailable(f"gnome: dbus-fast is not installed ({exc})") from None
        self._bus: Any = None
        self._address = bus_address

    async def _call(self, bus_name: str, path: str, iface: str, member: str) -> Any:
        from dbus_fast import Message, MessageType
        from dbus_fast.aio import MessageBus

        if self._bus is None:
            self._bus = await MessageBus(bus_address=self._address).connect()
        reply = await self._bus.call(
            Message(destination=bus_name, path=path, interface=iface, member=member)
        )
        if reply.message_type == MessageType.ERROR:
            raise BackendUnavailable(f"gnome: {bus_name}.{member} failed: {reply.error_name}")
        return reply.body[0]

    async def read(self) -> IdleReading:
        millis = await self._call(MUTTER_BUS, MUTTER_PATH, MUTTER_IFACE, "GetIdletime")
        try:
            locked = bool(
                await self._call(SCREENSAVER_BUS, SCREENSAVER_PATH, SCREENSAVER_IFACE, "GetActive")
            )
        except BackendUnavailable:
            locked = False
        return IdleReading(int(millis) / 1000.0, locked)

    def close(self) -> None:
        if self._bus is not None:
            self._bus.disconnect()
            self._bus = None


def open_backend(env: Mapping[str, str]) -> GnomeIdle:
    return GnomeIdle(env.get("DBUS_SESSION_BUS_ADDRESS"))
