"""idempotent writes: one open session per person and day; an idempotency key per set

Databases written before this revision may hold two open sessions for one day (parallel
"open session" requests raced). They are merged first: the later sessions' sets move to the
earliest one, so nothing logged is lost, and the emptied duplicates are removed.

Revision ID: 0004_idempotency
Revises: 0003_checkin_self_tests
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_idempotency"
down_revision = "0003_checkin_self_tests"
branch_labels = None
depends_on = None

sessions = sa.table(
    "sessions",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("performed_on", sa.Date),
    sa.column("completed", sa.Boolean),
)
sets = sa.table("sets", sa.column("session_id", sa.Integer))


def _merge_duplicate_open_sessions() -> None:
    conn = op.get_bind()
    open_rows = conn.execute(
        sa.select(sessions.c.id, sessions.c.person_id, sessions.c.performed_on)
        .where(sessions.c.completed == sa.false())
        .order_by(sessions.c.id)
    ).all()
    keep: dict[tuple[int, object], int] = {}
    for row_id, person_id, day in open_rows:
        first = keep.setdefault((person_id, day), row_id)
        if first == row_id:
            continue
        conn.execute(sets.update().where(sets.c.session_id == row_id).values(session_id=first))
        conn.execute(sessions.delete().where(sessions.c.id == row_id))


def upgrade() -> None:
    _merge_duplicate_open_sessions()
    op.create_index(
        "uq_sessions_open_per_day",
        "sessions",
        ["person_id", "performed_on"],
        unique=True,
        sqlite_where=sa.text("completed = 0"),
        postgresql_where=sa.text("NOT completed"),
    )
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(64), nullable=True))
    op.create_index(
        "uq_sets_session_idempotency_key",
        "sets",
        ["session_id", "idempotency_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_sets_session_idempotency_key", table_name="sets")
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.drop_column("idempotency_key")
    op.drop_index("uq_sessions_open_per_day", table_name="sessions")
