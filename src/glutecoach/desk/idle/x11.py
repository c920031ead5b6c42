"""X11: the MIT-SCREEN-SAVER extension via python-xlib (idle ms, and screen saver on = locked)."""

from __future__ import annotations

import gc
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

from glutecoach.desk.idle import BackendUnavailable, IdleReading

SCREEN_SAVER_ON = 1


class X11Idle:
    name = "x11"

    def __init__(self, display: str | None = None) -> None:
        """Open ``display`` (e.g. ":0")."""
        try:
            import Xlib.display
            import Xlib.error
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise BackendUnavailable(f"x11: python-xlib is not installed ({exc})") from None
        name = display
        if not name:
            raise BackendUnavailable("x11: DISPLAY is not set")
        local = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", name)
        if local and not Path(f"/tmp/.X11-unix/X{local.group(1)}").exists():
            raise BackendUnavailable(f"x11: cannot open display {name} (no X server socket)")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # python-xlib leaks on failure
            try:
                self._display = Xlib.display.Display(name)
            except (Xlib.error.DisplayError, OSError) as exc:
                message = f"x11: cannot open display {name} ({exc})"
                del exc
                gc.collect()
                raise BackendUnavailable(message) from None
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

    def fullscreen_window(self) -> str | None:
        """The active window's title when it is fullscreen (EWMH), else None."""
        d = self._display
        active = self._root.get_full_property(d.intern_atom("_NET_ACTIVE_WINDOW"), 0)
        if active is None or not active.value or not active.value[0]:
            return None
        window = d.create_resource_object("window", int(active.value[0]))
        state = window.get_full_property(d.intern_atom("_NET_WM_STATE"), 0)
        if state is None or d.intern_atom("_NET_WM_STATE_FULLSCREEN") not in list(state.value):
            return None
        name = window.get_full_property(d.intern_atom("_NET_WM_NAME"), 0)
        title = name.value if name is not None else window.get_wm_name()
        if isinstance(title, bytes):
            title = title.decode(errors="replace")
        return str(title or "untitled")

    def close(self) -> None:
        self._display.close()


def open_backend(env: Mapping[str, str]) -> X11Idle:
    return X11Idle(env.get("DISPLAY"))
