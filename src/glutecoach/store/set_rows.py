"""A person's sets read as core values, each distinct row validated only once.

Sets repeat: the same exercise, side, set number, dose and answers session after session, so
three years of history (~33,000 sets) hold about a thousand distinct rows when logged by hand.
Core values are frozen, so one validated :class:`SetLog` can stand for every equal row; a
history whose sets all differ (camera form summaries) costs what validating each one costs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session

from glutecoach.core.models import FormSummary, SetLog
from glutecoach.inputs import FIRST_DAY, LAST_READABLE_DAY
from glutecoach.store.tables import SessionRow, SetRow

FIELDS = (
    "exercise_id",
    "side",
    "set_index",
    "reps",
    "hold_seconds",
    "load_kg",
    "rpe",
    "felt_in",
    "pain",
    "form",
    "felt_main",
)
JSON_FIELDS = frozenset({"felt_in", "form"})

# Plain SQL: no per-row type processing (the driver's own values). JSON columns are read as
# text on every database, so that a row is hashable and decoded only when first seen.
_COLUMNS = ", ".join(f"CAST(s.{f} AS TEXT)" if f in JSON_FIELDS else f"s.{f}" for f in FIELDS)
QUERY = text(
    f"SELECT s.session_id, {_COLUMNS}"
    f" FROM {SetRow.__tablename__} s JOIN {SessionRow.__tablename__} ss"
    " ON s.session_id = ss.id WHERE ss.person_id = :pid AND s.id > :after"
    " AND ss.performed_on BETWEEN :first AND :last ORDER BY s.id"
).bindparams(bindparam("first", type_=Date), bindparam("last", type_=Date))


_SETS = TypeAdapter(list[SetLog])


class SetInterner:
    """Turn set rows (without their session id) into :class:`SetLog` values, validating
    each distinct row once, all of them in one call; ``decode`` reads a JSON column's text."""

    def __init__(self, decode: Callable[[Any], Any]) -> None:
        self._decode = decode

    def values(self, rows: Sequence[Sequence[Any]]) -> list[SetLog]:
        index: dict[tuple[Any, ...], int] = {}
        order = [index.setdefault(tuple(row), len(index)) for row in rows]
        made = _SETS.validate_python([self._fields(key) for key in index])
        return [made[i] for i in order]

    def _fields(self, key: tuple[Any, ...]) -> dict[str, Any]:
        values = dict(zip(FIELDS, key, strict=True))
        values["felt_in"] = self._decode(values["felt_in"])
        form = values["form"]
        if isinstance(form, str) and form != "null":  # parsed and checked in one step
            values["form"] = FormSummary.model_validate_json(form)
        else:
            values["form"] = self._decode(form)
        return values


def sets_after(
    db: Session, pid: int, after_set: int, intern: SetInterner, since: dt.date = FIRST_DAY
) -> list[tuple[int, SetLog]]:
    """The person's sets after row ``after_set`` of sessions on readable days from ``since``,
    oldest first, each with its session's row id."""
    window = {"first": max(since, FIRST_DAY), "last": LAST_READABLE_DAY}
    rows = db.execute(QUERY, {"pid": pid, "after": after_set, **window}).all()
    made = intern.values([row[1:] for row in rows])
    return [(row[0], log) for row, log in zip(rows, made, strict=True)]
