"""Check one imported row against its table before it is written: fields, types, sizes, days.

Used by adapters that import their own tables (the desk coach), so a missing or mistyped field
is refused with the row's place in the document instead of a database error or a silent null.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String

from glutecoach.errors import InputError
from glutecoach.inputs import MAX_SESSION_NOTES_CHARS, day_problem, text_problem


def check_row(table: type[Any], row: Any, where: str, skip: frozenset[str]) -> dict[str, Any]:
    """The row's values ready for the table (date-times parsed); InputError naming ``where``."""
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected an object with fields, got {type(row).__name__}")
    columns = {c.name: c for c in table.__table__.columns if c.name not in skip}
    unknown = sorted(set(row) - set(columns))
    if unknown:
        raise InputError(f"{where}: unexpected field(s) {', '.join(unknown)}")
    missing = sorted(
        name
        for name, column in columns.items()
        if name not in row and not column.nullable and column.default is None
    )
    if missing:
        raise InputError(f"{where}: missing field(s) {', '.join(missing)}")
    return {
        name: _value(column, row[name], f"{where}.{name}")
        for name, column in columns.items()
        if name in row
    }


def _value(column: Any, value: Any, where: str) -> Any:
    if value is None:
        if column.nullable:
            return None
        raise InputError(f"{where}: cannot be empty (null)")
    kind = column.type
    if isinstance(kind, DateTime):
        return _datetime(value, where)
    if isinstance(kind, Date):
        return _date(value, where)
    if isinstance(kind, JSON) and not isinstance(value, dict):
        raise InputError(f"{where}: expected an object, got {type(value).__name__}")
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise InputError(f"{where}: expected true or false, got {value!r}")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{where}: expected a whole number, got {value!r}")
        if not -(2**31) <= value < 2**31:
            raise InputError(f"{where}: {value} is out of range")
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise InputError(f"{where}: expected a number, got {value!r}")
        if not -1e9 <= value <= 1e9:
            raise InputError(f"{where}: {value} is out of range")
        return float(value)
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise InputError(f"{where}: expected text, got {value!r}")
        problem = text_problem(value, kind.length or MAX_SESSION_NOTES_CHARS)
        if problem is not None:
            raise InputError(f"{where}: {problem}")
        return value
    return value


def _datetime(value: Any, where: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: not a date-time like 2026-01-31T09:30:00: {value!r}") from None
    problem = day_problem(parsed.date())
    if problem is not None:
        raise InputError(f"{where}: {problem}")
    return parsed


def _date(value: Any, where: str) -> dt.date:
    try:
        parsed = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: not a date like 2026-01-31: {value!r}") from None
    problem = day_problem(parsed)
    if problem is not None:
        raise InputError(f"{where}: {problem}")
    return parsed
