"""check-ins keep the self-tests recorded with them

Revision ID: 0003_checkin_self_tests
Revises: 0002_desk
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_checkin_self_tests"
down_revision = "0002_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("self_tests", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("self_tests")
