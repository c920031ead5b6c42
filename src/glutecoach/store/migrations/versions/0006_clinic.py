"""clinic mode: accounts, one-time invites, sign-ins, audit log, verdicts, form reviews

Only clinic mode (``glutecoach clinic serve``, PostgreSQL) writes these tables; on a
single-person database they stay empty.

Revision ID: 0006_clinic
Revises: 0005_engine_v2
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_clinic"
down_revision = "0005_engine_v2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinic_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=True,
            unique=True,
        ),
        sa.Column(
            "clinician_id",
            sa.Integer,
            sa.ForeignKey("clinic_accounts.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "clinic_invites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("clinic_accounts.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "clinic_logins",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("clinic_accounts.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "clinic_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column(
            "clinician_id",
            sa.Integer,
            sa.ForeignKey("clinic_accounts.id"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("action", sa.String(80), nullable=False),
    )
    op.create_table(
        "clinic_verdicts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("clinician_id", sa.Integer, sa.ForeignKey("clinic_accounts.id"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("decision_kind", sa.String(20), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("override_kind", sa.String(20), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "clinic_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("exercise_id", sa.String(80), nullable=False),
        sa.Column("clip_path", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(200), nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
    )


def downgrade() -> None:
    for name in (
        "clinic_reviews",
        "clinic_verdicts",
        "clinic_audit",
        "clinic_logins",
        "clinic_invites",
        "clinic_accounts",
    ):
        op.drop_table(name)
