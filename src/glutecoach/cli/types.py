"""Click parameter types shared by the commands."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from glutecoach.inputs import day_problem


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
