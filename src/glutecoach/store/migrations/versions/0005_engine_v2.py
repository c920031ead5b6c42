"""engine v2: each set records where it was felt most

Revision ID: 0005_engine_v2
Revises: 0003_checkin_self_tests
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_engine_v2"
down_revision = "0004_idempotency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("felt_main", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.drop_column("felt_main")
