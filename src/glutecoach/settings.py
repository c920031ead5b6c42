"""Every user setting declared once, in one validated model (:class:`UserSettings`): name,
type, default, meaning, and the parser that holds its range.

The CLI (`glutecoach settings`), the web settings page and the desk daemon all read it;
stored values are validated when read (``load_settings``); ``docs/settings.md`` is generated
from it (``scripts/settings_doc.py``) and a test fails when the page and the model differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo

from glutecoach.core.sedentary_model import DeskSettings
from glutecoach.errors import InputError
from glutecoach.setting_rules import RULES, refused
from glutecoach.setting_rules import owned_from_text as owned_from_text
from glutecoach.setting_rules import owned_to_text as owned_to_text

# The desk coach's defaults are the desk engine's (declared once, in the core); the settings
# show them in the units a person sets them in.
_DESK = DeskSettings()


def _hhmm(time: dt.time | None) -> str:
    assert time is not None, "the desk engine's default quiet hours are set"
    return time.strftime("%H:%M")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any]


def _checked(name: str) -> BeforeValidator:
    """The setting's parser (``setting_rules.RULES``) as its field's validator."""
    return BeforeValidator(RULES[name])


class UserSettings(BaseModel):
    """Every user setting: its type, default, range (in its parser) and meaning, declared once.

    Stored settings are validated with it when they are read (``load_settings``), and the
    settings table (``SETTINGS``: the CLI, the web settings page, the desk coach) and
    ``docs/settings.md`` (checked by a test) come from it.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    equipment: Annotated[list[str], _checked("equipment")] = Field(
        default=["none"], description="Equipment at hand: none, band, dumbbells, kettlebell, step."
    )
    owned_equipment: Annotated[str, _checked("owned_equipment")] = Field(
        default="",
        description="What you own, so loads only move to weights you have "
        "(e.g. dumbbells=4,6,8; kettlebells=8; bands=light,medium; step=20). Empty: as "
        "answered at the screening; without weights listed, loads use the catalog's steps up "
        "to an assumed maximum.",
    )
    session_days: Annotated[list[int], _checked("session_days")] = Field(
        default=[0, 2, 4], description="Weekdays for strength sessions (mon,wed,fri)."
    )
    units: Annotated[str, _checked("units")] = Field(
        default="kg", description="Units for loads shown to you: kg or lb (stored in kg)."
    )
    reminder_interval_minutes: Annotated[int, _checked("reminder_interval_minutes")] = Field(
        default=round(_DESK.interval_s / 60),
        description="Minutes of unbroken computer use before a sitting-break reminder (30-60).",
    )
    idle_break_minutes: Annotated[int, _checked("idle_break_minutes")] = Field(
        default=round(_DESK.idle_break_s / 60),
        description="Minutes idle that count as a probable break (1-15).",
    )
    quiet_hours_start: Annotated[str, _checked("quiet_hours_start")] = Field(
        default=_hhmm(_DESK.quiet_start), description="No break reminders from this time (HH:MM)."
    )
    quiet_hours_end: Annotated[str, _checked("quiet_hours_end")] = Field(
        default=_hhmm(_DESK.quiet_end), description="Reminders resume at this time (HH:MM)."
    )
    max_snoozes: Annotated[int, _checked("max_snoozes")] = Field(
        default=_DESK.max_snoozes, description="Snoozes allowed for one reminder (0-5)."
    )
    snooze_minutes: Annotated[int, _checked("snooze_minutes")] = Field(
        default=round(_DESK.snooze_s / 60), description="Length of one snooze in minutes (1-30)."
    )
    max_skips_in_a_row: Annotated[int, _checked("max_skips_in_a_row")] = Field(
        default=_DESK.max_skips_in_a_row,
        description="Skipped breaks in a row before the coach offers the minimum dose (1-5).",
    )
    standing_desk: Annotated[bool, _checked("standing_desk")] = Field(
        default=_DESK.standing_desk, description="Standing-desk mode: alternate sit/stand prompts."
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
        raise refused(name, where, known.get(name), message) from None


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
