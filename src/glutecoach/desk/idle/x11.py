"""X11: the MIT-SCREEN-SAVER extension via python-xlib (idle ms, and screen saver on = locked)."""

from __future__ import annotations

import os

from glutecoach.desk.idle import BackendUnavailable, IdleReading

SCREEN_SAVER_ON = 1


class X11Idle:
    name = "x11"

    def __init__(self, display: str | None = None) -> None:
        try:
            import Xlib.display
            import Xlib.error
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise BackendUnavailable(f"x11: python-xlib is not installed ({exc})") from None
        name = display or os.environ.get("DISPLAY")
        if not name:
            raise BackendUnavailable("x11: DISPLAY is not set")
        try:
            self._display = Xlib.display.Display(name)
        except (Xlib.error.DisplayError, OSError) as exc:
            raise BackendUnavailable(f"x11: cannot open display {name} ({exc})") from None
        if not self._display.has_extension("MIT-SCREEN-SAVER"):
            self._display.close()
            raise BackendUnavailable(f"x11: display {name} lacks the MIT-SCREEN-SAVER extension")
        self._root = self._display.screen().root
        self.display_name = name

    def read_now(self) -> IdleReading:
        info = self._root.screensaver_query_info()
        return IdleReading(info.idle / 1000.0, info.state == SCREEN_SAVER_ON)

    async def read(self) -> IdleReading:
        return self.read_now()

    def close(self) -> None:
        self._display.close()


def open_backend() -> X11Idle:
    return X11Idle()
