"""Tables of the sitting-break coach: sedentary bouts, breaks, reminders, micro-exercises, standing.

Times are stored as naive UTC datetimes; durations (``seconds``) come from the monotonic clock.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from glutecoach.store.tables import Base


class DeskBoutRow(Base):
    """An uninterrupted sedentary bout (SBRN 2017): computer use with no break."""

    __tablename__ = "desk_bouts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    end: Mapped[dt.datetime] = mapped_column(DateTime)
    seconds: Mapped[float] = mapped_column(Float)
    cause: Mapped[str] = mapped_column(String(16))  # what ended it: idle, lock, suspend, answer...
    reminders: Mapped[int] = mapped_column(Integer, default=0)


class DeskBreakRow(Base):
    """A break in sitting (kind "taken"), or a reminder the person chose to skip ("skipped")."""

    __tablename__ = "desk_breaks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    kind: Mapped[str] = mapped_column(String(8))
    cause: Mapped[str | None] = mapped_column(String(16), nullable=True)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class DeskPromptRow(Base):
    """A reminder shown and the answer given (done, stretched, snooze, skip, break, or none)."""

    __tablename__ = "desk_prompts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    bout_seconds: Mapped[float] = mapped_column(Float)
    exercise_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    answer: Mapped[str | None] = mapped_column(String(16), nullable=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class DeskMicroRow(Base):
    """A micro-exercise done during a break."""

    __tablename__ = "desk_micro"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    exercise_id: Mapped[str] = mapped_column(String(80))
    minimum_dose: Mapped[bool] = mapped_column(Boolean, default=False)


class DeskStandingRow(Base):
    """A period spent standing at a standing desk (standing-desk mode)."""

    __tablename__ = "desk_standing"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    end: Mapped[dt.datetime] = mapped_column(DateTime)
    seconds: Mapped[float] = mapped_column(Float)
