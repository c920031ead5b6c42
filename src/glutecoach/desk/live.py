"""Settings that follow ``glutecoach settings set`` while the coach runs (no restart).

The coach asks at every wake-up (at most every 10 s); on SQLite that is one ``PRAGMA
data_version`` unless another connection committed, then one small query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from glutecoach.core.sedentary import DeskSettings
from glutecoach.desk.sink import Sink
from glutecoach.setting_rules import check_values

DESK_SETTINGS = (
    "reminder_interval_minutes",
    "idle_break_minutes",
    "quiet_hours_start",
    "quiet_hours_end",
    "max_snoozes",
    "snooze_minutes",
    "max_skips_in_a_row",
    "standing_desk",
)
"""The person's settings the coach follows (``glutecoach settings set NAME VALUE``)."""


class LiveSettings:
    def __init__(
        self,
        sink: Sink,
        defaults: Mapping[str, Any],
        *,
        stored: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
        stand_goal_s: float | None = None,
    ) -> None:
        """``defaults``: every desk setting's default; ``overrides``: command-line options
        (DeskSettings field names), which win over stored settings for this run."""
        self.sink = sink
        self.defaults = dict(defaults)
        self.overrides = dict(overrides or {})
        self.stand_goal_s = stand_goal_s
        self.values = self._merge(stored or {})

    def _merge(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """The desk settings: the stored ones checked by their parsers (a bad one raises
        InputError naming it; the daemon keeps its settings), defaults for the rest."""
        desk_stored = {k: v for k, v in stored.items() if k in self.defaults}
        return {**self.defaults, **check_values(desk_stored, "the settings table")}

    def build(self) -> DeskSettings:
        settings = DeskSettings.from_values(self.values)
        if self.stand_goal_s is not None:
            settings = replace(settings, stand_goal_s=self.stand_goal_s)
        return replace(settings, **self.overrides)

    def poll(self) -> tuple[DeskSettings, list[str]] | None:
        """New settings and the names that changed, or None when nothing changed."""
        stored = self.sink.read_settings()
        if stored is None:
            return None
        values = self._merge(stored)
        changed = sorted(k for k in values if values[k] != self.values.get(k))
        if not changed:
            return None
        self.values = values
        return self.build(), changed
