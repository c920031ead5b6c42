"""Click parameter types shared by the commands."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

import click

from glutecoach.inputs import day_problem
from glutecoach.presentation import load_in_kg


class _Day(click.ParamType):  # type: ignore[type-arg]
    """An ISO date inside the shared window (2000-01-01 to a year after the real today)."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2026-01-31", param, ctx)
        problem = day_problem(day)
        if problem is not None:
            self.fail(f"{problem}; use a real date, at most a year ahead", param, ctx)
        return day


DATE = _Day()


_UNIT_WORDS = {"kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "lb": "lb", "lbs": "lb"}
_LOAD_TEXT = re.compile(r"\s*([0-9]*[.,]?[0-9]+)\s*([a-z]*)\s*", re.IGNORECASE)


class TypedLoad(NamedTuple):
    """A load as typed: the number and its unit ("kg", "lb", or None: the person's units)."""

    value: float
    unit: str | None

    def in_kg(self, units: str) -> float:
        """The load as stored (kg); a bare number is in the person's ``units``."""
        return load_in_kg(self.value, self.unit or units)


class _Load(click.ParamType):  # type: ignore[type-arg]
    """A load: a number in the person's units (the ``units`` setting), or with kg / lb."""

    name = "LOAD"

    def convert(self, value: Any, param: Any, ctx: Any) -> TypedLoad:
        if isinstance(value, TypedLoad):
            return value
        text = str(value).strip()
        match = _LOAD_TEXT.fullmatch(text)
        unit = _UNIT_WORDS.get(match.group(2).lower()) if match and match.group(2) else None
        if match is None or (match.group(2) and unit is None):
            self.fail(
                f"{text!r} is not a load; give a number (0 or more), optionally with kg or lb "
                "(e.g. 20, 20kg or 45lb)",
                param,
                ctx,
            )
        return TypedLoad(float(match.group(1).replace(",", ".")), unit)


LOAD = _Load()
