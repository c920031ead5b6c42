"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL: the race-free half of
"create it unless it exists" (the unique index decides, not a read before the write)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_unless_exists(
    db: Session,
    table: Table,
    values: dict[str, Any],
    index_elements: list[str],
    index_where: dict[str, str] | None = None,
) -> int | None:
    """Insert ``values``; when a row with the same ``index_elements`` (in the unique index,
    partial with ``index_where`` per dialect) already exists, insert nothing.

    Returns the new row's id, or None when the row already existed.
    """
    dialect = db.get_bind().dialect.name
    where = text(index_where[dialect]) if index_where else None
    if dialect == "sqlite":
        sqlite_stmt = sqlite.insert(table).values(**values)
        stmt: Any = sqlite_stmt.on_conflict_do_nothing(
            index_elements=index_elements, index_where=where
        )
    elif dialect == "postgresql":
        pg_stmt = postgresql.insert(table).values(**values)
        stmt = pg_stmt.on_conflict_do_nothing(index_elements=index_elements, index_where=where)
    else:  # pragma: no cover - glutecoach supports SQLite and PostgreSQL only
        raise NotImplementedError(f"no upsert for {dialect}")
    new_id = db.execute(stmt.returning(table.c.id)).scalar_one_or_none()
    return int(new_id) if new_id is not None else None
