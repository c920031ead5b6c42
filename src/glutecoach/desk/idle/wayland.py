"""Wayland compositors other than GNOME (sway, Hyprland, KDE Plasma 6, labwc, niri...): the
``ext-idle-notify-v1`` protocol, through pywayland (its wheel ships the protocol's bindings).

The protocol does not report a running idle time: it sends ``idled`` once there was no input for
a timeout we choose, and ``resumed`` at the next input. So the backend asks for a short timeout
(``TIMEOUT_MS``) and keeps the time of the last ``idled``: idle time is then
``now - idled_at + timeout`` (0 after ``resumed``), exact to the event, coarse below the timeout
(which is far below the break time). Events are read as they arrive (the display's fd is watched
by the coach's asyncio loop), so their times are right even while the coach sleeps.

Preferred over XWayland (``x11``), which counts only input to X11 apps and can report a break
while the person types in a Wayland app. Version 2's ``get_input_idle_notification`` ignores idle
inhibitors (a video playing), which is what a sitting coach wants; version 1 compositors get the
plain notification. The screen lock is not part of the protocol (``locked`` stays False).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from typing import Any

from glutecoach.desk.idle import BackendUnavailable, IdleReading

TIMEOUT_MS = 5000
INTERFACE = "ext_idle_notifier_v1"


class WaylandIdle:
    name = "wayland"

    def __init__(
        self,
        display_name: str,
        *,
        timeout_ms: int = TIMEOUT_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        try:
            from pywayland.client.display import Display
            from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1
            from pywayland.protocol.wayland import WlSeat
        except ImportError as exc:
            raise BackendUnavailable(
                f"wayland: pywayland is not installed ({exc}); "
                "install glutecoach[desk] for ext-idle-notify"
            ) from None
        except OSError as exc:  # libwayland-client missing
            raise BackendUnavailable(f"wayland: libwayland-client not found ({exc})") from None
        self.timeout_s = timeout_ms / 1000
        self.clock = clock
        self.idled_at: float | None = None
        self.version = 0
        self._fd: int | None = None
        self.error: str | None = None
        self._display = Display(display_name)
        try:
            self._display.connect()
        except Exception as exc:
            raise BackendUnavailable(
                f"wayland (ext-idle-notify): cannot connect to {display_name} "
                f"({type(exc).__name__}: {exc})"
            ) from None
        globals_: dict[str, tuple[int, int]] = {}
        registry = self._display.get_registry()

        def announce(_registry: Any, name: int, interface: str, version: int) -> None:
            globals_.setdefault(interface, (name, version))

        registry.dispatcher["global"] = announce
        self._display.roundtrip()
        if INTERFACE not in globals_ or "wl_seat" not in globals_:
            self._display.disconnect()
            raise BackendUnavailable(
                f"wayland: the compositor does not offer {INTERFACE} (ext-idle-notify-v1)"
            )
        name, version = globals_[INTERFACE]
        self.version = min(version, ExtIdleNotifierV1.version)
        notifier = registry.bind(name, ExtIdleNotifierV1, self.version)
        seat_name, seat_version = globals_["wl_seat"]
        seat = registry.bind(seat_name, WlSeat, min(seat_version, 1))
        if self.version >= 2:
            notification = notifier.get_input_idle_notification(timeout_ms, seat)
        else:
            notification = notifier.get_idle_notification(timeout_ms, seat)
        notification.dispatcher["idled"] = self._idled
        notification.dispatcher["resumed"] = self._resumed
        self._keep = (registry, notifier, seat, notification)
        self._display.roundtrip()

    def _idled(self, *_: Any) -> None:
        self.idled_at = self.clock()

    def _resumed(self, *_: Any) -> None:
        self.idled_at = None

    def _on_readable(self) -> None:
        """Events arrived: read and dispatch them now (so their times are right)."""
        try:
            self._display.dispatch(block=True)
        except Exception as exc:  # the connection broke (compositor gone, protocol error)
            self.error = f"{type(exc).__name__}: {exc}"
            self._unwatch()

    def _unwatch(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._fd)
            self._fd = None

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._fd is None:
            self._fd = self._display.get_fd()
            loop.add_reader(self._fd, self._on_readable)

    def pump(self) -> None:
        """Read what the compositor sent so far (without an event loop watching the fd)."""
        self._display.flush()
        self._display.roundtrip()

    def idle_now(self) -> float:
        if self.idled_at is None:
            return 0.0
        return max(0.0, self.clock() - self.idled_at) + self.timeout_s

    async def read(self) -> IdleReading:
        if self.error is not None:
            raise ConnectionError(f"wayland connection lost ({self.error})")
        if self._fd is None:
            try:
                self.watch(asyncio.get_running_loop())
            except (NotImplementedError, RuntimeError):  # no add_reader: poll instead
                self.pump()
        self._display.flush()
        return IdleReading(self.idle_now(), False)

    def close(self) -> None:
        self._unwatch()
        with contextlib.suppress(Exception):
            self._display.disconnect()

    def describe(self) -> str:
        kind = "input idle (v2)" if self.version >= 2 else "idle (v1)"
        return f"wayland ext-idle-notify {kind}"


def open_backend(env: Mapping[str, str]) -> WaylandIdle:
    display = env.get("WAYLAND_DISPLAY")
    if not display:
        raise BackendUnavailable("wayland: WAYLAND_DISPLAY is not set")
    return WaylandIdle(display)
