"""What the status indicator (tray icon) shows: its menu, tooltip and status, from the coach's
status (the same dict as ``desk-status.json``). Plain functions, no D-Bus: tested directly.

Menu: time seated, the next reminder (or paused / quiet hours / in a call), pause for an hour,
pause until tomorrow, resume, open the app, quit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Action:
    """What a menu item asks the coach to do."""

    PAUSE_HOUR = "pause-hour"
    PAUSE_TOMORROW = "pause-tomorrow"
    RESUME = "resume"
    OPEN = "open"
    QUIT = "quit"


@dataclass(frozen=True)
class MenuItem:
    id: int
    label: str = ""
    enabled: bool = True
    visible: bool = True
    separator: bool = False
    action: str | None = None

    def properties(self) -> dict[str, Any]:
        """com.canonical.dbusmenu properties (plain values; the adapter wraps them)."""
        if self.separator:
            return {"type": "separator", "visible": self.visible}
        return {"label": self.label, "enabled": self.enabled, "visible": self.visible}


def _minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _local_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%H:%M")
    except ValueError:
        return iso


def seated_line(status: Mapping[str, Any]) -> str:
    seconds = float(status.get("bout_seconds") or 0)
    if status.get("posture") == "stand":
        return "Standing (standing-desk mode)"
    if seconds <= 0 and not status.get("bout_started"):
        return "On a break (no time seated now)"
    return f"Seated for {_minutes(seconds)}"


def next_line(status: Mapping[str, Any]) -> str:
    """The coach's moment: paused, in a call, quiet hours, or when the next reminder comes."""
    if status.get("paused_until"):
        return f"Paused until {_local_time(str(status['paused_until']))}"
    if status.get("in_call"):
        return "In a call: no reminders until it ends"
    if status.get("quiet_now"):
        label = str(status.get("quiet_hours") or "")
        return f"Quiet hours: no reminders until {label[-5:]}" if label else "Quiet hours"
    due = status.get("next_reminder_in_s")
    if isinstance(due, int | float):
        return f"Next reminder in {_minutes(float(due))}"
    return "Next reminder: after the next sitting stretch"


def menu(status: Mapping[str, Any]) -> tuple[MenuItem, ...]:
    paused = bool(status.get("paused_until"))
    return (
        MenuItem(1, seated_line(status), enabled=False),
        MenuItem(2, next_line(status), enabled=False),
        MenuItem(3, separator=True),
        MenuItem(4, "Pause for an hour", visible=not paused, action=Action.PAUSE_HOUR),
        MenuItem(5, "Pause until tomorrow", visible=not paused, action=Action.PAUSE_TOMORROW),
        MenuItem(6, "Resume reminders", visible=paused, action=Action.RESUME),
        MenuItem(7, separator=True),
        MenuItem(8, "Open glutecoach", action=Action.OPEN),
        MenuItem(9, "Quit the sitting-break coach", action=Action.QUIT),
    )


def tooltip(status: Mapping[str, Any]) -> tuple[str, str]:
    """Title and text of the tooltip."""
    return "glutecoach: sitting breaks", f"{seated_line(status)}. {next_line(status)}."


def item_status(reminder_open: bool) -> str:
    """StatusNotifierItem status: NeedsAttention while a reminder waits, else Active (never
    Passive, which hosts hide: a paused coach must stay reachable to resume it)."""
    return "NeedsAttention" if reminder_open else "Active"
