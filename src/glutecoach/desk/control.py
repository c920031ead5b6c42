"""Pause the sitting-break coach, and read what it is doing: for ``desk pause``/``resume`` and
for the web app (plain functions over files in the data folder; no X11, no notifications).

The pause is a small JSON file (``desk-pause.json``: ``{"until": ISO time}``) that the running
coach looks at (one ``stat``) at every wake-up: while paused, no reminders and no questions; the
bouts are still measured.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

PAUSE_FILE = "desk-pause.json"


def _folder(folder: Path | None) -> Path:
    if folder is not None:
        return folder
    from glutecoach.paths import user_dir

    return user_dir()


def pause(until: dt.datetime, folder: Path | None = None) -> Path:
    """Pause reminders until ``until`` (timezone-aware)."""
    if until.tzinfo is None:
        raise ValueError("until must be timezone-aware")
    path = _folder(folder) / PAUSE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"until": until.astimezone(dt.UTC).isoformat()}))
    tmp.replace(path)
    return path


def resume(folder: Path | None = None) -> bool:
    """End a pause; True if there was one."""
    path = _folder(folder) / PAUSE_FILE
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def paused_until(folder: Path | None = None, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the pause ends, or None when not paused (an expired pause is no pause)."""
    return read_pause(_folder(folder) / PAUSE_FILE, now)


def read_pause(path: Path, now: dt.datetime | None = None) -> dt.datetime | None:
    try:
        until = dt.datetime.fromisoformat(json.loads(path.read_text())["until"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if until.tzinfo is None:
        return None
    return until if until > (now or dt.datetime.now(dt.UTC)) else None


def tomorrow_morning(now: dt.datetime, at: dt.time = dt.time(8, 0)) -> dt.datetime:
    """The next day's ``at`` in the local zone of ``now`` (pause "until tomorrow")."""
    day = now.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, at, tzinfo=now.tzinfo)


def coach_status(folder: Path | None = None) -> dict[str, Any]:
    """What the running coach last reported (its status file) plus the pause: for the web app."""
    from glutecoach.desk.status import STATUS_FILE, read_status

    base = _folder(folder)
    data = read_status(base / STATUS_FILE) or {"running": False, "alive": False}
    until = paused_until(base)
    data["paused_until"] = until.isoformat() if until else None
    return data


class PauseWatch:
    """The running coach's view of the pause file: re-read only when it changed (one stat)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: int | None = None
        self._until: dt.datetime | None = None

    def until(self) -> dt.datetime | None:
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            stamp = 0
        if stamp != self._seen:
            self._seen = stamp
            self._until = read_pause(self.path, dt.datetime.min.replace(tzinfo=dt.UTC))
        return self._until

    def paused(self, now: dt.datetime) -> bool:
        until = self.until()
        return until is not None and now < until
