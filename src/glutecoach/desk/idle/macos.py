"""macOS: Quartz ``CGEventSourceSecondsSinceLastEventType`` through ctypes (no PyObjC needed).

Not exercised by this project's test machines (Linux); see docs/desk.md.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Mapping
from typing import Any

from glutecoach.desk.idle import BackendUnavailable, IdleReading

K_CG_EVENT_SOURCE_STATE_HID_SYSTEM = 1
K_CG_ANY_INPUT_EVENT_TYPE = 0xFFFFFFFF


class MacIdle:
    name = "macos"
    _seconds: Any

    def __init__(self) -> None:
        if sys.platform != "darwin":
            raise BackendUnavailable("macos: not running on macOS")
        path = ctypes.util.find_library("CoreGraphics") or (
            "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
        )
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            raise BackendUnavailable(f"macos: cannot load CoreGraphics ({exc})") from None
        self._seconds = lib.CGEventSourceSecondsSinceLastEventType
        self._seconds.restype = ctypes.c_double
        self._seconds.argtypes = [ctypes.c_int32, ctypes.c_uint32]

    async def read(self) -> IdleReading:
        idle = float(self._seconds(K_CG_EVENT_SOURCE_STATE_HID_SYSTEM, K_CG_ANY_INPUT_EVENT_TYPE))
        return IdleReading(idle)

    def close(self) -> None:
        pass


def open_backend(env: Mapping[str, str]) -> MacIdle:
    del env
    return MacIdle()
