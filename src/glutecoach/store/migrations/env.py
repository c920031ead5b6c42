"""Alembic environment: runs on the engine handed over by glutecoach.store.db."""

from __future__ import annotations

from alembic import context

import glutecoach.store.clinic_tables
import glutecoach.store.desk_tables  # noqa: F401
from glutecoach.store.tables import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=True,
    )
    context.run_migrations()
