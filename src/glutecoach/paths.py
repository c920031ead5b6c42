"""Where the user's data lives: one function, one environment override."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_ENV = "GLUTECOACH_HOME"
DATABASE_URL_ENV = "GLUTECOACH_DATABASE_URL"


def user_dir() -> Path:
    """The folder for glutecoach's database and files; ``$GLUTECOACH_HOME`` overrides it.

    Resolved on every call (never at import time), so tests can point it at a temp dir.
    """
    override = os.environ.get(HOME_ENV)
    path = (
        Path(override).expanduser() if override else Path(platformdirs.user_data_dir("glutecoach"))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """SQLAlchemy URL of the store: ``$GLUTECOACH_DATABASE_URL`` or SQLite in :func:`user_dir`."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return f"sqlite:///{user_dir() / 'glutecoach.db'}"
