"""Every user setting declared once, in one validated model (:class:`UserSettings`): name,
type, default, meaning, and the parser that holds its range.

The CLI (`glutecoach settings`), the web settings page and the desk daemon all read it;
stored values are validated when read (``load_settings``); ``docs/settings.md`` is generated
from it (``scripts/settings_doc.py``) and a test fails when the page and the model differ.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo

from glutecoach.core.models import Equipment, OwnedEquipment
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


OWNED_KEYS = {
    "dumbbells": "dumbbell_pairs_kg",
    "kettlebells": "kettlebells_kg",
    "bands": "bands",
    "step": "step_height_cm",
}


def owned_from_text(text: str) -> OwnedEquipment | None:
    """``dumbbells=4,6,8; kettlebells=8; bands=light,medium; step=20`` -> OwnedEquipment."""
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


class UserSettings(BaseModel):
    """Every user setting: its type, default, range (in its parser) and meaning, declared once.

    Stored settings are validated with it when they are read (``load_settings``), and the
    settings table (``SETTINGS``: the CLI, the web settings page, the desk coach) and
    ``docs/settings.md`` (checked by a test) come from it.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    equipment: Annotated[list[str], BeforeValidator(_equipment)] = Field(
        default=["none"], description="Equipment at hand: none, band, dumbbells, kettlebell, step."
    )
    owned_equipment: Annotated[str, BeforeValidator(_owned)] = Field(
        default="",
        description="What you own, so loads only move to weights you have "
        "(e.g. dumbbells=4,6,8; kettlebells=8; bands=light,medium; step=20). Empty: as "
        "answered at the screening; without weights listed, loads use the catalog's steps up "
        "to an assumed maximum.",
    )
    session_days: Annotated[list[int], BeforeValidator(_weekdays)] = Field(
        default=[0, 2, 4], description="Weekdays for strength sessions (mon,wed,fri)."
    )
    units: Annotated[str, BeforeValidator(_choice("kg", "lb"))] = Field(
        default="kg", description="Units for loads shown to you: kg or lb (stored in kg)."
    )
    reminder_interval_minutes: Annotated[int, BeforeValidator(_int_between(30, 60))] = Field(
        default=30,
        description="Minutes of unbroken computer use before a sitting-break reminder (30-60).",
    )
    idle_break_minutes: Annotated[int, BeforeValidator(_int_between(1, 15))] = Field(
        default=3, description="Minutes idle that count as a probable break (1-15)."
    )
    quiet_hours_start: Annotated[str, BeforeValidator(_hhmm)] = Field(
        default="19:00", description="No break reminders from this time (HH:MM)."
    )
    quiet_hours_end: Annotated[str, BeforeValidator(_hhmm)] = Field(
        default="08:00", description="Reminders resume at this time (HH:MM)."
    )
    max_snoozes: Annotated[int, BeforeValidator(_int_between(0, 5))] = Field(
        default=2, description="Snoozes allowed for one reminder (0-5)."
    )
    snooze_minutes: Annotated[int, BeforeValidator(_int_between(1, 30))] = Field(
        default=5, description="Length of one snooze in minutes (1-30)."
    )
    max_skips_in_a_row: Annotated[int, BeforeValidator(_int_between(1, 5))] = Field(
        default=2,
        description="Skipped breaks in a row before the coach offers the minimum dose (1-5).",
    )
    standing_desk: Annotated[bool, BeforeValidator(_bool)] = Field(
        default=False, description="Standing-desk mode: alternate sit/stand prompts."
    )


def _parser(info: FieldInfo) -> Callable[[Any], Any]:
    """The field's parser (its BeforeValidator): text or JSON value -> the setting's value."""
    for item in info.metadata:
        if isinstance(item, BeforeValidator):
            return cast(Callable[[Any], Any], item.func)
    raise TypeError("every setting declares its parser")


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(
        name, info.get_default(call_default_factory=True), info.description or "", _parser(info)
    )
    for name, info in UserSettings.model_fields.items()
)
"""The settings table, in the model's order (each default, meaning and parser from it)."""

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
    """Every setting's default (fresh lists: callers may change them)."""
    return UserSettings().model_dump()


def load_settings(stored: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Every setting: the ``stored`` ones (those the person changed) validated, defaults for
    the rest. A stored value that is not valid (an edited database, an older version's) is
    refused with a message naming the setting, its value and ``where`` it was read from."""
    known = {k: v for k, v in stored.items() if k in BY_NAME}
    try:
        return UserSettings.model_validate(known).model_dump()
    except ValidationError as exc:
        problem = exc.errors()[0]
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        message = str(problem["msg"]).removeprefix("Value error, ")
        raise InputError(
            f"setting {name} in {where}: {message} (stored: {known.get(name)!r}); fix it with "
            f"`glutecoach settings set {name} VALUE`"
        ) from None


def shown_default(value: Any) -> str:
    """A default as the settings page shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value) if value != "" else "(empty)"


def settings_table() -> str:
    """The Markdown table of every setting (``docs/settings.md`` holds it; a test checks)."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS:
        meaning = setting.help.replace("|", "\\|")
        rows.append(f"| `{setting.name}` | `{shown_default(setting.default)}` | {meaning} |")
    return "\n".join(rows) + "\n"
