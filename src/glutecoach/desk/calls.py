"""Is the person in a call, a meeting or a presentation? Then a reminder would interrupt, and
sitting still is not a break.

Signs, cheapest first: a fullscreen window (X11 ``_NET_WM_STATE_FULLSCREEN`` on the active
window), a process holding a camera (``/dev/video*``) or a capture sound device
(``/dev/snd/pcmC*D*c``) open, found through ``/proc/*/fd``, and PulseAudio/PipeWire recording
streams (``pactl list short source-outputs``). Scanning open files costs a few milliseconds, so
the coach looks only when the answer matters (``core.sedentary.wants_call_check``).
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

VIDEO_DEVICES = ("/dev/video*",)
CAPTURE_DEVICES = ("/dev/snd/pcmC*D*c",)
PACTL_TIMEOUT_S = 2.0


def devices(patterns: Iterable[str]) -> set[str]:
    return {path for pattern in patterns for path in glob.glob(pattern)}


def holders(paths: set[str], proc: Path = Path("/proc")) -> dict[str, int]:
    """Which of ``paths`` some other process has open: path -> pid (one per path)."""
    found: dict[str, int] = {}
    if not paths:
        return found
    me = os.getpid()
    try:
        entries = os.scandir(proc)
    except OSError:
        return found
    with entries:
        for entry in entries:
            if not entry.name.isdigit() or int(entry.name) == me:
                continue
            try:
                fds = os.scandir(f"{entry.path}/fd")
            except OSError:  # gone, or not ours to read
                continue
            with fds:
                for fd in fds:
                    try:
                        target = os.readlink(fd.path)
                    except OSError:
                        continue
                    if target in paths and target not in found:
                        found[target] = int(entry.name)
    return found


def process_name(pid: int, proc: Path = Path("/proc")) -> str:
    try:
        return (proc / str(pid) / "comm").read_text().strip()
    except OSError:
        return f"pid {pid}"


async def recording_streams(pactl: str | None = None) -> int:
    """How many PulseAudio/PipeWire recording streams are open (0 when pactl is missing)."""
    pactl = pactl or shutil.which("pactl")
    if pactl is None:
        return 0
    try:
        process = await asyncio.create_subprocess_exec(
            pactl,
            "list",
            "short",
            "source-outputs",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        out, _ = await asyncio.wait_for(process.communicate(), PACTL_TIMEOUT_S)
    except (OSError, TimeoutError):
        return 0
    if process.returncode != 0:
        return 0
    return sum(1 for line in out.decode(errors="replace").splitlines() if line.strip())


class CallDetector:
    """Answers "in a call?" with what gave it away (None: no call seen)."""

    def __init__(
        self,
        *,
        video: Iterable[str] = VIDEO_DEVICES,
        capture: Iterable[str] = CAPTURE_DEVICES,
        proc: Path = Path("/proc"),
        use_pactl: bool = True,
        fullscreen: Callable[[], str | None] | None = None,
    ) -> None:
        self.video = tuple(video)
        self.capture = tuple(capture)
        self.proc = proc
        self.use_pactl = use_pactl
        self.fullscreen = fullscreen

    async def check(self) -> str | None:
        if self.fullscreen is not None:
            try:
                window = self.fullscreen()
            except Exception:  # a window that vanished mid-query: not a call
                window = None
            if window:
                return f"fullscreen window ({window})"
        watched = devices(self.video) | devices(self.capture)
        held = holders(watched, self.proc)
        for path, pid in sorted(held.items()):
            what = "camera" if any(path in devices([p]) for p in self.video) else "microphone"
            return f"{what} in use by {process_name(pid, self.proc)} ({path})"
        if self.use_pactl and await recording_streams():
            return "microphone in use (a PulseAudio/PipeWire recording stream)"
        return None

    def describe(self) -> str:
        kinds = ["camera/microphone in use (/proc)"]
        if self.use_pactl and shutil.which("pactl"):
            kinds.append("recording streams (pactl)")
        if self.fullscreen is not None:
            kinds.append("fullscreen windows (X11)")
        return "call detection: " + ", ".join(kinds)
