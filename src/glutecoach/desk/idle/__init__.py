"""Input idle time behind one small interface, one module per platform, auto-detected.

Each backend answers one question: how many seconds since the last keyboard or mouse input, and
(where the platform says) whether the screen is locked. :func:`detect` tries the backends that fit
this session and returns the first that works plus a reason for every one that did not; with none
the coach falls back to timer-only reminders and says so.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol


class BackendUnavailable(Exception):
    """This backend cannot work here; the message says why (shown by ``desk status``)."""


@dataclass(frozen=True)
class IdleReading:
    idle_s: float
    locked: bool = False


class IdleBackend(Protocol):
    name: str

    async def read(self) -> IdleReading:
        """Seconds since the last input, and whether the screen is locked (if known)."""
        ...

    def close(self) -> None: ...


Factory = Callable[[Mapping[str, str]], IdleBackend]
"""Opens a backend for a session described by its environment variables."""

# name -> "module:function" (imported lazily, so a missing library only affects its backend)
_BUILTIN: dict[str, str] = {
    "x11": "glutecoach.desk.idle.x11:open_backend",
    "gnome": "glutecoach.desk.idle.gnome:open_backend",
    "wayland": "glutecoach.desk.idle.wayland:open_backend",
    "macos": "glutecoach.desk.idle.macos:open_backend",
    "windows": "glutecoach.desk.idle.windows:open_backend",
    "file": "glutecoach.desk.idle.file:open_backend",
}
_REGISTERED: dict[str, Factory] = {}

BACKEND_ENV = "GLUTECOACH_IDLE_BACKEND"


def register_backend(name: str, factory: Factory) -> None:
    """Add (or replace) a backend, e.g. a fake one in tests."""
    _REGISTERED[name] = factory


def unregister_backend(name: str) -> None:
    _REGISTERED.pop(name, None)


def backend_names() -> list[str]:
    return sorted({*_BUILTIN, *_REGISTERED})


def open_named(name: str, env: Mapping[str, str] | None = None) -> IdleBackend:
    env = dict(os.environ) if env is None else env
    if name in _REGISTERED:
        return _REGISTERED[name](env)
    target = _BUILTIN.get(name)
    if target is None:
        raise BackendUnavailable(
            f"unknown idle backend {name!r} (known: {', '.join(backend_names())})"
        )
    module_name, func = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise BackendUnavailable(f"{name}: cannot import its library ({exc})") from None
    factory: Factory = getattr(module, func)
    return factory(env)


def candidates(env: dict[str, str] | None = None, platform: str | None = None) -> list[str]:
    """Backends worth trying in this session, best first."""
    env = dict(os.environ) if env is None else env
    platform = sys.platform if platform is None else platform
    forced = env.get(BACKEND_ENV, "").strip()
    if forced and forced != "auto":
        return [forced]
    if platform == "darwin":
        return ["macos"]
    if platform == "win32":
        return ["windows"]
    desktop = env.get("XDG_CURRENT_DESKTOP", "").lower()
    order: list[str] = []
    if env.get("WAYLAND_DISPLAY"):
        if "gnome" in desktop:
            order.append("gnome")
        order.append("wayland")
    if env.get("DISPLAY"):
        order.append("x11")
    if "gnome" in desktop and "gnome" not in order:
        order.append("gnome")
    return order


@dataclass
class Detection:
    backend: IdleBackend | None
    reasons: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.backend is not None:
            return f"idle time from {self.backend.name}"
        why = "; ".join(self.reasons) or "no display found (DISPLAY/WAYLAND_DISPLAY unset)"
        return f"no idle-time source works here ({why}); timer-only reminders"


async def detect(env: dict[str, str] | None = None, platform: str | None = None) -> Detection:
    """Open the first candidate backend that can actually read an idle time."""
    env = dict(os.environ) if env is None else env
    reasons: list[str] = []
    for name in candidates(env, platform):
        backend: IdleBackend | None = None
        try:
            backend = open_named(name, env)
            await backend.read()
            return Detection(backend, reasons)
        except BackendUnavailable as exc:
            reasons.append(str(exc))
        except Exception as exc:  # a backend that opens but cannot read is unusable
            reasons.append(f"{name}: reading idle time failed ({type(exc).__name__}: {exc})")
        if backend is not None:
            backend.close()
    return Detection(None, reasons)
