"""SQLAlchemy 2 table definitions. Domain values are stored as their JSON form where they nest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base shared by every glutecoach table (desk tables included)."""


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ScreeningRow(Base):
    __tablename__ = "screenings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


# At most one unfinished session per person and day: opening today's session is idempotent
# (a constraint, not a check-then-insert). The same text is the ON CONFLICT target's WHERE.
OPEN_SESSION_WHERE = {"sqlite": "completed = 0", "postgresql": "NOT completed"}
OPEN_SESSION_INDEX = "uq_sessions_open_per_day"
SET_KEY_INDEX = "uq_sets_session_idempotency_key"


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        Index(
            OPEN_SESSION_INDEX,
            "person_id",
            "performed_on",
            unique=True,
            sqlite_where=text(OPEN_SESSION_WHERE["sqlite"]),
            postgresql_where=text(OPEN_SESSION_WHERE["postgresql"]),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    performed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    phase: Mapped[int] = mapped_column(Integer)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    sets: Mapped[list[SetRow]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SetRow.id"
    )


class SetRow(Base):
    __tablename__ = "sets"
    # A client's retry of the same set (same Idempotency-Key) is never a second row.
    __table_args__ = (Index(SET_KEY_INDEX, "session_id", "idempotency_key", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[str] = mapped_column(String(80))
    side: Mapped[str] = mapped_column(String(8))
    set_index: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)
    hold_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    load_kg: Mapped[float] = mapped_column(Float)
    rpe: Mapped[float | None] = mapped_column(Float, nullable=True)
    felt_in: Mapped[list[Any]] = mapped_column(JSON)
    pain: Mapped[int] = mapped_column(Integer)
    form: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)
    session: Mapped[SessionRow] = relationship(back_populates="sets")


class CheckInRow(Base):
    __tablename__ = "checkins"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    morning: Mapped[bool] = mapped_column(Boolean)
    pain: Mapped[dict[str, Any]] = mapped_column(JSON)
    stiffness: Mapped[int] = mapped_column(Integer)
    red_flags: Mapped[dict[str, Any]] = mapped_column(JSON)
    self_tests: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ClearanceRow(Base):
    __tablename__ = "clearances"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class DecisionRow(Base):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class SettingRow(Base):
    __tablename__ = "settings"
    __table_args__ = (UniqueConstraint("person_id", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(JSON)
