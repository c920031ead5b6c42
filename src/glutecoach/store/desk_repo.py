"""Rows of the sitting-break coach in and out, and the per-day and per-week metrics.

Functions take an open SQLAlchemy session (from ``Store.transaction()``) like
:mod:`glutecoach.store.repository`. Importable without X11 or notification libraries, so the web
app can call :func:`daily_metrics`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from glutecoach.core.sedentary import (
    BoutEnded,
    BreakConfirmed,
    BreakDenied,
    BreakSkipped,
    BreakTaken,
    PeriodMetrics,
    StandingEnded,
    summarize,
)
from glutecoach.store.desk_export import EXPORT_TABLES, export_rows, import_rows
from glutecoach.store.desk_tables import (
    DeskBoutRow,
    DeskBreakRow,
    DeskMicroRow,
    DeskPromptRow,
    DeskStandingRow,
)


def _naive_utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        return when
    return when.astimezone(dt.UTC).replace(tzinfo=None)


def _local_date(naive_utc: dt.datetime, tz: dt.tzinfo | None) -> dt.date:
    aware = naive_utc.replace(tzinfo=dt.UTC)
    return (aware.astimezone(tz) if tz is not None else aware.astimezone()).date()


# --- writing ----------------------------------------------------------------------------------


def add_bout(db: Session, pid: int, bout: BoutEnded) -> int:
    row = DeskBoutRow(
        person_id=pid,
        start=_naive_utc(bout.start),
        end=_naive_utc(bout.end),
        seconds=bout.seconds,
        cause=bout.cause.value,
        reminders=bout.reminders,
    )
    db.add(row)
    db.flush()
    return row.id


def add_break(db: Session, pid: int, brk: BreakTaken) -> int:
    row = DeskBreakRow(
        person_id=pid,
        at=_naive_utc(brk.at),
        kind="taken",
        cause=brk.cause.value,
        confirmed=brk.confirmed,
        confirmed_at=_naive_utc(brk.at) if brk.confirmed else None,
    )
    db.add(row)
    db.flush()
    return row.id


def add_skip(db: Session, pid: int, skip: BreakSkipped) -> int:
    row = DeskBreakRow(person_id=pid, at=_naive_utc(skip.at), kind="skipped", confirmed=False)
    db.add(row)
    db.flush()
    return row.id


def confirm_break(db: Session, pid: int, confirmed: BreakConfirmed) -> bool:
    """Mark the probable break logged at ``confirmed.break_at`` as confirmed by the person."""
    row = db.scalar(
        select(DeskBreakRow)
        .where(
            DeskBreakRow.person_id == pid,
            DeskBreakRow.kind == "taken",
            DeskBreakRow.at == _naive_utc(confirmed.break_at),
        )
        .order_by(DeskBreakRow.id.desc())
        .limit(1)
    )
    if row is None:
        return False
    row.confirmed = True
    row.confirmed_at = _naive_utc(confirmed.at)
    return True


def deny_break(db: Session, pid: int, denied: BreakDenied) -> bool:
    """The person said the probable break at ``denied.break_at`` was none: it no longer counts."""
    row = db.scalar(
        select(DeskBreakRow)
        .where(
            DeskBreakRow.person_id == pid,
            DeskBreakRow.kind == "taken",
            DeskBreakRow.confirmed.is_(False),
            DeskBreakRow.at == _naive_utc(denied.break_at),
        )
        .order_by(DeskBreakRow.id.desc())
        .limit(1)
    )
    if row is None:
        return False
    row.kind = "denied"
    row.confirmed_at = _naive_utc(denied.at)
    return True


def add_prompt(
    db: Session,
    pid: int,
    at: dt.datetime,
    kind: str,
    bout_seconds: float,
    exercise_id: str | None,
) -> int:
    row = DeskPromptRow(
        person_id=pid,
        at=_naive_utc(at),
        kind=kind,
        bout_seconds=bout_seconds,
        exercise_id=exercise_id,
    )
    db.add(row)
    db.flush()
    return row.id


def answer_prompt(db: Session, prompt_row_id: int, answer: str, at: dt.datetime) -> None:
    row = db.get(DeskPromptRow, prompt_row_id)
    if row is None:
        raise LookupError(f"no desk prompt {prompt_row_id}")
    if row.answer is None or answer in ("done", "stretched"):
        row.answer = answer
        row.answered_at = _naive_utc(at)


def add_micro(
    db: Session, pid: int, at: dt.datetime, exercise_id: str, *, minimum_dose: bool = False
) -> int:
    row = DeskMicroRow(
        person_id=pid, at=_naive_utc(at), exercise_id=exercise_id, minimum_dose=minimum_dose
    )
    db.add(row)
    db.flush()
    return row.id


def add_standing(db: Session, pid: int, standing: StandingEnded) -> int:
    row = DeskStandingRow(
        person_id=pid,
        start=_naive_utc(standing.start),
        end=_naive_utc(standing.end),
        seconds=standing.seconds,
    )
    db.add(row)
    db.flush()
    return row.id


# --- reading ----------------------------------------------------------------------------------


def bouts(
    db: Session, pid: int, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[DeskBoutRow]:
    query = select(DeskBoutRow).where(DeskBoutRow.person_id == pid)
    if since is not None:
        query = query.where(DeskBoutRow.start >= _naive_utc(since))
    if until is not None:
        query = query.where(DeskBoutRow.start < _naive_utc(until))
    return list(db.scalars(query.order_by(DeskBoutRow.start, DeskBoutRow.id)))


def prompts(db: Session, pid: int) -> list[DeskPromptRow]:
    query = select(DeskPromptRow).where(DeskPromptRow.person_id == pid)
    return list(db.scalars(query.order_by(DeskPromptRow.id)))


def breaks(db: Session, pid: int) -> list[DeskBreakRow]:
    query = select(DeskBreakRow).where(DeskBreakRow.person_id == pid)
    return list(db.scalars(query.order_by(DeskBreakRow.id)))


def micro_exercises(db: Session, pid: int) -> list[DeskMicroRow]:
    query = select(DeskMicroRow).where(DeskMicroRow.person_id == pid)
    return list(db.scalars(query.order_by(DeskMicroRow.id)))


def standing_periods(db: Session, pid: int) -> list[DeskStandingRow]:
    query = select(DeskStandingRow).where(DeskStandingRow.person_id == pid)
    return list(db.scalars(query.order_by(DeskStandingRow.id)))


def counts(db: Session, pid: int) -> dict[str, int]:
    """How many rows of each kind the person has (for ``desk status``), in one statement."""
    tables: dict[str, Any] = {
        "bouts": DeskBoutRow,
        "breaks": DeskBreakRow,
        "prompts": DeskPromptRow,
        "micro_exercises": DeskMicroRow,
        "standing_periods": DeskStandingRow,
    }
    row = db.execute(
        select(
            *(
                select(func.count())
                .select_from(table)
                .where(table.person_id == pid)
                .scalar_subquery()
                .label(name)
                for name, table in tables.items()
            )
        )
    ).one()
    return {name: int(count or 0) for name, count in zip(tables, row, strict=True)}


def _window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A UTC window that surely holds every local day from ``start`` to ``end``."""
    low = dt.datetime.combine(start, dt.time()) - dt.timedelta(days=1)
    high = dt.datetime.combine(end, dt.time()) + dt.timedelta(days=2)
    return low, high


def _per_day(
    db: Session, pid: int, start: dt.date, end: dt.date, tz: dt.tzinfo | None
) -> dict[dt.date, dict[str, Any]]:
    low, high = _window(start, end)
    days: dict[dt.date, dict[str, Any]] = defaultdict(lambda: _empty_day())

    def keep(when: dt.datetime) -> dt.date | None:
        day = _local_date(when, tz)
        return day if start <= day <= end else None

    for bout in db.scalars(
        select(DeskBoutRow).where(
            DeskBoutRow.person_id == pid, DeskBoutRow.start >= low, DeskBoutRow.start < high
        )
    ):
        if (day := keep(bout.start)) is not None:
            days[day]["bouts"].append(bout.seconds)
    for brk in db.scalars(
        select(DeskBreakRow).where(
            DeskBreakRow.person_id == pid, DeskBreakRow.at >= low, DeskBreakRow.at < high
        )
    ):
        if (day := keep(brk.at)) is not None:
            days[day][_BREAK_KINDS.get(brk.kind, "skipped")] += 1
            if brk.kind == "taken" and brk.confirmed:
                days[day]["confirmed"] += 1
    for standing in db.scalars(
        select(DeskStandingRow).where(
            DeskStandingRow.person_id == pid,
            DeskStandingRow.start >= low,
            DeskStandingRow.start < high,
        )
    ):
        if (day := keep(standing.start)) is not None:
            days[day]["standing"] += standing.seconds
    for micro in db.scalars(
        select(DeskMicroRow).where(
            DeskMicroRow.person_id == pid, DeskMicroRow.at >= low, DeskMicroRow.at < high
        )
    ):
        if (day := keep(micro.at)) is not None:
            days[day]["micro"] += 1
    return days


_BREAK_KINDS = {"taken": "breaks", "skipped": "skipped", "denied": "denied"}


def _empty_day() -> dict[str, Any]:
    keys = ("breaks", "confirmed", "denied", "skipped", "micro")
    return {"bouts": [], "standing": 0.0, **dict.fromkeys(keys, 0)}


def _dates(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def daily_metrics(
    db: Session, pid: int, start: dt.date, end: dt.date, tz: dt.tzinfo | None = None
) -> list[PeriodMetrics]:
    """SBRN 2017 sitting metrics for each local day from ``start`` to ``end`` (inclusive).

    A bout counts on the day it started. ``tz``: the zone that defines "day" (default: the
    system's local zone, DST included). Days without data are present, with zeros.
    """
    if end < start:
        raise ValueError("end is before start")
    data = _per_day(db, pid, start, end, tz)
    out = []
    for day in _dates(start, end):
        d = data.get(day) or _empty_day()
        out.append(
            summarize(
                day.isoformat(),
                day,
                d["bouts"],
                breaks=d["breaks"],
                confirmed_breaks=d["confirmed"],
                denied_breaks=d["denied"],
                skipped=d["skipped"],
                standing_s=d["standing"],
                micro_exercises=d["micro"],
            )
        )
    return out


def weekly_metrics(
    db: Session, pid: int, start: dt.date, end: dt.date, tz: dt.tzinfo | None = None
) -> list[PeriodMetrics]:
    """The same metrics per ISO week (Monday to Sunday) touching ``start``..``end``."""
    monday = start - dt.timedelta(days=start.weekday())
    sunday = end + dt.timedelta(days=6 - end.weekday())
    data = _per_day(db, pid, monday, sunday, tz)
    out = []
    week = monday
    while week <= sunday:
        days = [week + dt.timedelta(days=i) for i in range(7)]
        rows = [data[d] for d in days if d in data]
        year, number, _ = week.isocalendar()
        out.append(
            summarize(
                f"{year}-W{number:02d}",
                week,
                [b for r in rows for b in r["bouts"]],
                days=7,
                breaks=sum(r["breaks"] for r in rows),
                confirmed_breaks=sum(r["confirmed"] for r in rows),
                denied_breaks=sum(r["denied"] for r in rows),
                skipped=sum(r["skipped"] for r in rows),
                standing_s=sum(r["standing"] for r in rows),
                micro_exercises=sum(r["micro"] for r in rows),
            )
        )
        week += dt.timedelta(days=7)
    return out


def recent_standing(
    db: Session, pid: int, today: dt.date, *, days: int = 14, tz: dt.tzinfo | None = None
) -> list[float]:
    """Standing seconds on the working days (Mon-Fri) before ``today``, oldest first."""
    start = today - dt.timedelta(days=days)
    metrics = daily_metrics(db, pid, start, today - dt.timedelta(days=1), tz)
    return [m.standing_s for m in metrics if m.start.weekday() < 5]


__all__ = ["EXPORT_TABLES", "export_rows", "import_rows"]  # `glutecoach export` joins here
