"""How each user setting's value is read and checked: its parser, which holds its range.

Plain Python (no pydantic at import): the long-running desk coach checks the settings it
reloads with these, and the settings model (:class:`glutecoach.settings.UserSettings`, which
declares types, defaults and meanings) validates with the very same parsers (``RULES``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from glutecoach.errors import InputError

if TYPE_CHECKING:
    from glutecoach.core.models import OwnedEquipment


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
    from glutecoach.core.models import Equipment  # pydantic: only where it is needed

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


OWNED_KEYS = {
    "dumbbells": "dumbbell_pairs_kg",
    "kettlebells": "kettlebells_kg",
    "bands": "bands",
    "step": "step_height_cm",
}


def owned_from_text(text: str) -> OwnedEquipment | None:
    """``dumbbells=4,6,8; kettlebells=8; bands=light,medium; step=20`` -> OwnedEquipment."""
    from pydantic import ValidationError

    from glutecoach.core.models import OwnedEquipment

    if not str(text).strip():
        return None
    data: dict[str, Any] = {}
    for part in str(text).split(";"):
        if not part.strip():
            continue
        key, sep, values = part.partition("=")
        field = OWNED_KEYS.get(key.strip().lower())
        if not sep or field is None:
            raise ValueError(
                f"{part.strip()!r}: use KIND=VALUES with KIND one of {', '.join(OWNED_KEYS)}, "
                "e.g. dumbbells=4,6,8; bands=light,medium; step=20"
            )
        items = [v.strip() for v in values.split(",") if v.strip()]
        data[field] = items[0] if field == "step_height_cm" and items else items
    try:
        return OwnedEquipment.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise ValueError(f"{where}: {problem['msg']}") from None


def owned_to_text(owned: OwnedEquipment | None) -> str:
    if owned is None:
        return ""
    parts = []
    for key, field in OWNED_KEYS.items():
        value = getattr(owned, field)
        if field == "step_height_cm":
            if value is not None:
                parts.append(f"{key}={value}")
        elif value:
            parts.append(
                f"{key}=" + ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
            )
    return "; ".join(parts)


def _owned(value: Any) -> str:
    return owned_to_text(owned_from_text(str(value)))


RULES: dict[str, Callable[[Any], Any]] = {
    "equipment": _equipment,
    "owned_equipment": _owned,
    "session_days": _weekdays,
    "units": _choice("kg", "lb"),
    "reminder_interval_minutes": _int_between(30, 60),
    "idle_break_minutes": _int_between(1, 15),
    "quiet_hours_start": _hhmm,
    "quiet_hours_end": _hhmm,
    "max_snoozes": _int_between(0, 5),
    "snooze_minutes": _int_between(1, 30),
    "max_skips_in_a_row": _int_between(1, 5),
    "standing_desk": _bool,
}
"""Every setting's parser: text (the CLI, a form) or a stored JSON value -> its value."""


def refused(name: str, where: str, stored: Any, problem: str) -> InputError:
    """The message for a stored value that is not valid: the setting, where, the way out."""
    return InputError(
        f"setting {name} in {where}: {problem} (stored: {stored!r}); fix it with "
        f"`glutecoach settings set {name} VALUE`"
    )


def check_values(stored: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The known settings among ``stored``, each checked by its parser (InputError naming the
    first bad one and ``where`` it was read from)."""
    out = {}
    for name, value in stored.items():
        parse = RULES.get(name)
        if parse is None:
            continue
        try:
            out[name] = parse(value)
        except ValueError as exc:
            raise refused(name, where, value, str(exc)) from None
    return out
