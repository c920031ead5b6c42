"""The desk tables in and out of `glutecoach export` / `import` (see glutecoach.backup_services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.errors import InputError
from glutecoach.store.desk_tables import (
    DeskBoutRow,
    DeskBreakRow,
    DeskMicroRow,
    DeskPromptRow,
    DeskStandingRow,
)
from glutecoach.store.rowcheck import check_row

EXPORT_TABLES: dict[str, type[Any]] = {
    "bouts": DeskBoutRow,
    "breaks": DeskBreakRow,
    "prompts": DeskPromptRow,
    "micro": DeskMicroRow,
    "standing": DeskStandingRow,
}


ROW_KEYS = frozenset({"id", "person_id"})


def _row_fields(table: type[Any]) -> list[str]:
    return [c.name for c in table.__table__.columns if c.name not in ROW_KEYS]


def _to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def export_rows(db: Session, pid: int) -> dict[str, Any]:
    """Every desk row of one person, oldest first, as JSON-ready dicts."""
    out: dict[str, Any] = {}
    for key, table in EXPORT_TABLES.items():
        rows = db.scalars(select(table).where(table.person_id == pid).order_by(table.id))
        fields = _row_fields(table)
        out[key] = [{f: _to_json(getattr(row, f)) for f in fields} for row in rows]
    return out


def import_rows(db: Session, pid: int, data: dict[str, Any]) -> None:
    """Recreate rows written by :func:`export_rows`; unknown tables or fields are refused, and
    each row's fields are checked against the column types (missing or mistyped: refused)."""
    unknown = set(data) - set(EXPORT_TABLES)
    if unknown:
        raise InputError(f"desk: unknown table(s) {', '.join(sorted(unknown))}")
    for key, table in EXPORT_TABLES.items():
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise InputError(f"desk.{key}: expected a list of rows")
        for index, row in enumerate(rows):
            values = check_row(table, row, f"desk.{key}[{index}]", ROW_KEYS)
            db.add(table(person_id=pid, **values))
    db.flush()
