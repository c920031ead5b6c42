"""Every user setting declared once: name, default, help, and how it is validated.

The CLI (`glutecoach settings`), the web settings page and the desk daemon all read this table;
``docs/settings.md`` is checked against it by a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from glutecoach.core.models import Equipment
from glutecoach.errors import InputError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any]


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"expected a whole number from {low} to {high}") from None
        if not low <= number <= high:
            raise ValueError(f"expected a whole number from {low} to {high}, got {number}")
        return number

    return parse


def _choice(*options: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in options:
            raise ValueError(f"expected one of {', '.join(options)}, got {value!r}")
        return str(value)

    return parse


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected yes or no, got {value!r}")


def _items(value: Any) -> list[Any]:
    """A comma-separated text or a list; anything else is refused with a clear message."""
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, list | tuple):
        return list(value)
    raise ValueError(f"expected a list or comma-separated text, got {value!r}")


def _weekdays(value: Any) -> list[int]:
    items = _items(value)
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days: set[int] = set()
    for item in items:
        text = str(item).strip().lower()[:3]
        if text.isdigit() and 0 <= int(text) <= 6:
            days.add(int(text))
        elif text in names:
            days.add(names.index(text))
        else:
            raise ValueError(f"unknown weekday {item!r} (use mon,tue,... or 0-6)")
    if not days:
        raise ValueError("name at least one weekday")
    return sorted(days)


def _equipment(value: Any) -> list[str]:
    items = _items(value)
    known = {e.value for e in Equipment}
    out = []
    for item in items:
        text = str(item).strip().lower()
        if text not in known:
            raise ValueError(f"unknown equipment {item!r} (one of {', '.join(sorted(known))})")
        out.append(text)
    return sorted(set(out)) or ["none"]


def _hhmm(value: Any) -> str:
    text = str(value).strip()
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"expected a time HH:MM, got {value!r}")
    hours, minutes = int(parts[0]), int(parts[1])
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ValueError(f"expected a time HH:MM, got {value!r}")
    return f"{hours:02d}:{minutes:02d}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "equipment",
        ["none"],
        "Equipment at hand: none, band, dumbbells, kettlebell, step.",
        _equipment,
    ),
    Setting("session_days", [0, 2, 4], "Weekdays for strength sessions (mon,wed,fri).", _weekdays),
    Setting(
        "units", "kg", "Units for loads shown to you: kg or lb (stored in kg).", _choice("kg", "lb")
    ),
    Setting(
        "reminder_interval_minutes",
        30,
        "Minutes of unbroken computer use before a sitting-break reminder (30-60).",
        _int_between(30, 60),
    ),
    Setting(
        "idle_break_minutes",
        3,
        "Minutes idle that count as a probable break (1-15).",
        _int_between(1, 15),
    ),
    Setting("quiet_hours_start", "19:00", "No break reminders from this time (HH:MM).", _hhmm),
    Setting("quiet_hours_end", "08:00", "Reminders resume at this time (HH:MM).", _hhmm),
    Setting("max_snoozes", 2, "Snoozes allowed for one reminder (0-5).", _int_between(0, 5)),
    Setting("snooze_minutes", 5, "Length of one snooze in minutes (1-30).", _int_between(1, 30)),
    Setting(
        "max_skips_in_a_row",
        2,
        "Skipped breaks in a row before the coach offers the minimum dose (1-5).",
        _int_between(1, 5),
    ),
    Setting("standing_desk", False, "Standing-desk mode: alternate sit/stand prompts.", _bool),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def parse_setting(name: str, value: Any) -> Any:
    """Validate one value for setting ``name``; raise InputError naming both on failure."""
    setting = BY_NAME.get(name)
    if setting is None:
        raise InputError(f"unknown setting {name!r}; known settings: {', '.join(sorted(BY_NAME))}")
    try:
        return setting.parse(value)
    except ValueError as exc:
        raise InputError(f"setting {name}: {exc}") from None


def defaults() -> dict[str, Any]:
    return {s.name: s.default for s in SETTINGS}
