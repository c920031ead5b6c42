"""The desk tables in and out of `glutecoach export` / `import` (see glutecoach.export.jsonio)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, select
from sqlalchemy.orm import Session

from glutecoach.errors import InputError
from glutecoach.store.desk_tables import (
    DeskBoutRow,
    DeskBreakRow,
    DeskMicroRow,
    DeskPromptRow,
    DeskStandingRow,
)

EXPORT_TABLES: dict[str, type[Any]] = {
    "bouts": DeskBoutRow,
    "breaks": DeskBreakRow,
    "prompts": DeskPromptRow,
    "micro": DeskMicroRow,
    "standing": DeskStandingRow,
}


def _row_fields(table: type[Any]) -> list[str]:
    return [c.name for c in table.__table__.columns if c.name not in {"id", "person_id"}]


def _to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _from_json(table: type[Any], name: str, value: Any) -> Any:
    column = table.__table__.columns[name]
    if value is not None and isinstance(column.type, DateTime):
        try:
            return dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise InputError(
                f"desk.{table.__tablename__}.{name}: not a date-time: {value!r}"
            ) from None
    return value


def export_rows(db: Session, pid: int) -> dict[str, Any]:
    """Every desk row of one person, oldest first, as JSON-ready dicts."""
    out: dict[str, Any] = {}
    for key, table in EXPORT_TABLES.items():
        rows = db.scalars(select(table).where(table.person_id == pid).order_by(table.id))
        fields = _row_fields(table)
        out[key] = [{f: _to_json(getattr(row, f)) for f in fields} for row in rows]
    return out


def import_rows(db: Session, pid: int, data: dict[str, Any]) -> None:
    """Recreate rows written by :func:`export_rows`; unknown tables or fields are refused."""
    unknown = set(data) - set(EXPORT_TABLES)
    if unknown:
        raise InputError(f"desk: unknown table(s) {', '.join(sorted(unknown))}")
    for key, table in EXPORT_TABLES.items():
        fields = set(_row_fields(table))
        for index, row in enumerate(data.get(key, [])):
            if not isinstance(row, dict) or set(row) - fields:
                extra = sorted(set(row) - fields) if isinstance(row, dict) else row
                raise InputError(f"desk.{key}[{index}]: unexpected fields {extra}")
            values = {name: _from_json(table, name, value) for name, value in row.items()}
            db.add(table(person_id=pid, **values))
    db.flush()
