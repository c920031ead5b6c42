"""The coach's status file (``desk-status.json`` in the data folder): what ``desk status`` and
the web app show. The running coach rewrites it on every event, every minute, and at once on
SIGUSR1, which ``desk status`` sends so that what it shows is live."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

STATUS_FILE = "desk-status.json"


def write_status(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1))
    tmp.replace(path)


def refresh(path: Path, pid: int, timeout: float = 2.0) -> bool:
    """Ask the running coach ``pid`` to rewrite its status now; True once it did."""
    usr1 = getattr(signal, "SIGUSR1", None)
    if usr1 is None:
        return False
    try:
        before = path.stat().st_mtime_ns
        os.kill(pid, usr1)
    except OSError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        with contextlib.suppress(OSError):
            if path.stat().st_mtime_ns != before:
                return True
    return False


def read_status(path: Path) -> dict[str, object] | None:
    """The status file written by a running (or stopped) coach, if any."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    alive = False
    if data.get("running") and isinstance(pid, int):
        try:
            os.kill(pid, 0)
            alive = True
        except OSError:
            alive = False
    data["alive"] = alive
    return data
