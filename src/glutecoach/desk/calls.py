"""Is the person in a call, a meeting or a presentation? Then a reminder would interrupt, and
sitting still is not a break.

Signs, cheapest first: a fullscreen window (X11 ``_NET_WM_STATE_FULLSCREEN`` on the active
window), a process holding a camera (``/dev/video*``) or a capture sound device
(``/dev/snd/pcmC*D*c``) open, found through ``/proc/*/fd``, and PulseAudio/PipeWire recording
streams (``pactl list short source-outputs``). Scanning open files costs a few milliseconds, so
the coach looks only when the answer matters (``core.sedentary.wants_call_check``).

On a break (no bout open) a call may start without any input, so the coach also asks at every
wake-up, cheaply (``quick_check``): the fullscreen window, and the full scan only where inotify
saw a watched device opened or closed since the last look (one non-blocking ``read``); PulseAudio
or PipeWire, when their socket exists, at most once a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

VIDEO_DEVICES = ("/dev/video*",)
CAPTURE_DEVICES = ("/dev/snd/pcmC*D*c",)
PACTL_TIMEOUT_S = 2.0
PACTL_AWAY_EVERY_S = 60.0
"""On a break, ``pactl`` (a process start) runs at most this often."""
IN_OPEN = 0x020
IN_CLOSE = 0x008 | 0x010
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000


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


def pulse_server_present(env: dict[str, str] | None = None) -> bool:
    """Whether a PulseAudio (or pipewire-pulse) server could answer: its socket or address."""
    env = dict(os.environ) if env is None else env
    if env.get("PULSE_SERVER"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return os.path.exists(os.path.join(runtime, "pulse", "native"))


class DeviceWatch:
    """inotify on the watched device files: were any opened or closed since the last look?

    Costs one non-blocking ``read`` per look, instead of reading every process's open files.
    ``available`` is False where inotify is missing (not Linux): the caller then scans."""

    def __init__(self) -> None:
        self._fd: int | None = None
        self._paths: set[str] = set()
        self._add: object = None
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            fd = int(libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC))
        except (OSError, AttributeError):
            return
        if fd >= 0:
            self._fd = fd
            self._add = libc.inotify_add_watch

    @property
    def available(self) -> bool:
        return self._fd is not None

    def follow(self, paths: set[str]) -> None:
        """Watch ``paths`` too (new devices: a camera plugged in)."""
        if self._fd is None:
            return
        for path in paths - self._paths:
            if self._add(self._fd, os.fsencode(path), IN_OPEN | IN_CLOSE) >= 0:  # type: ignore[operator]
                self._paths.add(path)

    def touched(self) -> bool:
        """Whether a watched device was opened or closed since the last call (drains)."""
        if self._fd is None:
            return True
        seen = False
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return seen
            except OSError:
                return True
            if not data:
                return seen
            seen = True

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


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
        self.watch = DeviceWatch()
        self._devices_clear = False  # the last scan found no holder (valid while untouched)
        self._pactl_at = -PACTL_AWAY_EVERY_S
        self.scans = 0  # full scans of open files, for tests and the footprint

    async def check(self) -> str | None:
        """Every sign (a scan of open files and ``pactl``): where the answer matters."""
        window = self._fullscreen_window()
        if window:
            return f"fullscreen window ({window})"
        found = self._held_devices()
        if found:
            return found
        if self.use_pactl:
            self._pactl_at = time.monotonic()
            if await recording_streams():
                return "microphone in use (a PulseAudio/PipeWire recording stream)"
        return None

    async def quick_check(self) -> str | None:
        """On a break, at every wake-up: the same signs, each only when it may have changed."""
        window = self._fullscreen_window()
        if window:
            return f"fullscreen window ({window})"
        self.watch.follow(devices(self.video) | devices(self.capture))
        if self.watch.touched() or not self._devices_clear or not self.watch.available:
            found = self._held_devices()
            if found:
                return found
        due = time.monotonic() - self._pactl_at >= PACTL_AWAY_EVERY_S
        if self.use_pactl and due and pulse_server_present():
            self._pactl_at = time.monotonic()
            if await recording_streams():
                return "microphone in use (a PulseAudio/PipeWire recording stream)"
        return None

    def _fullscreen_window(self) -> str | None:
        if self.fullscreen is None:
            return None
        try:
            return self.fullscreen()
        except Exception:  # a window that vanished mid-query: not a call
            return None

    def _held_devices(self) -> str | None:
        watched = devices(self.video) | devices(self.capture)
        self.watch.follow(watched)
        self.watch.touched()  # what happened before this scan is in it
        self.scans += 1
        held = holders(watched, self.proc)
        self._devices_clear = not held
        for path, pid in sorted(held.items()):
            what = "camera" if any(path in devices([p]) for p in self.video) else "microphone"
            return f"{what} in use by {process_name(pid, self.proc)} ({path})"
        return None

    def close(self) -> None:
        self.watch.close()

    def describe(self) -> str:
        kinds = ["camera/microphone in use (/proc)"]
        if self.use_pactl and shutil.which("pactl"):
            kinds.append("recording streams (pactl)")
        if self.fullscreen is not None:
            kinds.append("fullscreen windows (X11)")
        return "call detection: " + ", ".join(kinds)
