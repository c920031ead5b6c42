"""Clinic mode's tables: accounts, one-time invites, sign-in sessions, the audit log,
clinicians' decisions on the engine's decisions, and form reviews run on the worker pool.

They live in the same database as a person's own record (PostgreSQL in clinic mode) and are
created by the ``0006_clinic`` migration; the single-person app never writes to them.
Secrets (passwords, invite links, sign-in cookies) are stored only as hashes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from glutecoach.store.tables import Base

CLINICIAN = "clinician"
PATIENT = "patient"


class ClinicAccountRow(Base):
    """A clinician, or a patient (whose record is ``person_id``) cared for by ``clinician_id``."""

    __tablename__ = "clinic_accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=True, unique=True
    )
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinic_accounts.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ClinicInviteRow(Base):
    """A one-time link for a patient to set a password (sha256 of the token, never the token)."""

    __tablename__ = "clinic_invites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("clinic_accounts.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class ClinicLoginRow(Base):
    """A signed-in browser: sha256 of its cookie, whose account, until when."""

    __tablename__ = "clinic_logins"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("clinic_accounts.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ClinicAuditRow(Base):
    """One clinician access to one patient's record (what and when; never the data itself)."""

    __tablename__ = "clinic_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinic_accounts.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(80))


class ClinicVerdictRow(Base):
    """A clinician's accept or override of the engine's decision on ``day``, with a note."""

    __tablename__ = "clinic_verdicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinic_accounts.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    decision_kind: Mapped[str] = mapped_column(String(20))
    verdict: Mapped[str] = mapped_column(String(20))
    override_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class ClinicReviewRow(Base):
    """A clip sent for form review and its analysis on the worker pool."""

    __tablename__ = "clinic_reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(80))
    clip_path: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
