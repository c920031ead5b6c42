"""A cheap fingerprint of a person's history (:class:`Marks`): one statement of index lookups
that tells the history cache whether rows were only added since it last read, or anything else
changed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from glutecoach.store.people import person_id
from glutecoach.store.tables import (
    CheckInRow,
    ClearanceRow,
    DecisionRow,
    ScreeningRow,
    SessionRow,
    SetRow,
    SettingRow,
)

# Tables whose rows make up a person's history, in the order of Marks' tuples.
TABLES = ("screenings", "sessions", "sets", "checkins", "clearances", "decisions")


@dataclass(frozen=True)
class Marks:
    """A cheap fingerprint of a person's history: equal marks, equal history.

    Per table the highest row id and the row count (rows are only ever added, so a count that
    is not the old count plus the new rows means something was removed), the number of
    finished sessions (finishing is the one update), and the settings by value.
    """

    max_ids: tuple[int, ...]
    counts: tuple[int, ...]
    completed: int
    settings: tuple[tuple[str, str], ...]

    def max_id(self, table: str) -> int:
        return self.max_ids[TABLES.index(table)]


def _fingerprint_sql() -> str:
    """One statement, every part an index lookup (this runs before every cached read)."""
    parts = []
    for table in (ScreeningRow, SessionRow, CheckInRow, ClearanceRow, DecisionRow):
        name = table.__tablename__
        parts.append(f"(SELECT coalesce(max(id), 0) FROM {name} WHERE person_id = :pid)")
        parts.append(f"(SELECT count(*) FROM {name} WHERE person_id = :pid)")
    sets, sessions = SetRow.__tablename__, SessionRow.__tablename__
    mine = f"SELECT id FROM {sessions} WHERE person_id = :pid"
    others = f"SELECT id FROM {sessions} WHERE person_id != :pid"
    # The newest of the person's sets: walk the primary key down to the first one of theirs.
    parts.append(
        f"coalesce((SELECT id FROM {sets} WHERE session_id IN ({mine}) ORDER BY id DESC"
        " LIMIT 1), 0)"
    )
    # Their number: all sets (cheap) less other people's (none on a one-person database).
    parts.append(
        f"(SELECT count(*) FROM {sets}) - (SELECT count(*) FROM {sets} WHERE session_id IN"
        f" ({others}))"
    )
    parts.append(f"(SELECT count(*) FROM {sessions} WHERE person_id = :pid AND completed = :yes)")
    return "SELECT " + ", ".join(parts)


_FINGERPRINT = text(_fingerprint_sql())
_ORDER = ("screenings", "sessions", "checkins", "clearances", "decisions")  # as in the SQL


def fingerprint(db: Session, person: str) -> Marks | None:
    """The person's :class:`Marks` (two small queries), or None for an unknown person."""
    pid = person_id(db, person)
    if pid is None:
        return None
    return fingerprint_for(db, pid)


def fingerprint_for(db: Session, pid: int) -> Marks:
    row = db.execute(_FINGERPRINT, {"pid": pid, "yes": True}).one()
    found = {name: (int(row[2 * i]), int(row[2 * i + 1])) for i, name in enumerate(_ORDER)}
    found["sets"] = (int(row[10]), int(row[11]))
    settings = db.execute(
        select(SettingRow.key, SettingRow.value).where(SettingRow.person_id == pid)
    )
    return Marks(
        max_ids=tuple(found[t][0] for t in TABLES),
        counts=tuple(found[t][1] for t in TABLES),
        completed=int(row[12]),
        settings=tuple(sorted((k, repr(v)) for k, v in settings)),
    )
