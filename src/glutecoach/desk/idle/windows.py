"""Windows: ``GetLastInputInfo`` through ctypes; a locked workstation via ``OpenInputDesktop``.

Not exercised by this project's test machines (Linux); see docs/desk.md.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Mapping
from typing import Any

from glutecoach.desk.idle import BackendUnavailable, IdleReading

DESKTOP_SWITCHDESKTOP = 0x0100


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]


class WindowsIdle:
    name = "windows"
    _user32: Any
    _kernel32: Any

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise BackendUnavailable("windows: not running on Windows")
        windll = ctypes.windll  # type: ignore[attr-defined,unused-ignore]
        self._user32 = windll.user32
        self._kernel32 = windll.kernel32
        self._kernel32.GetTickCount.restype = ctypes.c_uint

    async def read(self) -> IdleReading:
        info = _LastInputInfo()
        info.cbSize = ctypes.sizeof(info)
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            return IdleReading(0.0)
        millis = (self._kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF
        return IdleReading(millis / 1000.0, self._locked())

    def _locked(self) -> bool:
        desktop = self._user32.OpenInputDesktop(0, False, DESKTOP_SWITCHDESKTOP)
        if not desktop:
            return True
        self._user32.CloseDesktop(desktop)
        return False

    def close(self) -> None:
        pass


def open_backend(env: Mapping[str, str]) -> WindowsIdle:
    del env
    return WindowsIdle()
