"""The coach's clock: monotonic time for durations, local aware wall time for labels, and the
time spent suspended (Linux ``CLOCK_BOOTTIME``). Injected: tests drive the loop with fake time."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    def mono(self) -> float: ...

    def wall(self) -> dt.datetime: ...

    def suspended(self) -> float | None:
        """Seconds spent suspended since the previous call, where the OS tells (else None)."""
        ...

    async def sleep(self, seconds: float, stop: asyncio.Event) -> None: ...


class SystemClock:
    """Monotonic time for durations, local aware wall time for labels, BOOTTIME for suspends."""

    def __init__(self) -> None:
        self._gap = self._boot_gap()

    @staticmethod
    def _boot_gap() -> float | None:
        boottime = getattr(time, "CLOCK_BOOTTIME", None)
        if boottime is None:
            return None
        return time.clock_gettime(boottime) - time.monotonic()

    def mono(self) -> float:
        return time.monotonic()

    def wall(self) -> dt.datetime:
        return dt.datetime.now().astimezone()

    def suspended(self) -> float | None:
        gap = self._boot_gap()
        if gap is None or self._gap is None:
            return None
        previous, self._gap = self._gap, gap
        return max(0.0, gap - previous)

    async def sleep(self, seconds: float, stop: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)
