"""Where the user's data lives: one function, one environment override, private modes.

The data folder holds pain scores and red-flag answers, so it is readable by its owner alone:
the folder is created 0700 and glutecoach's files in it are 0600. Looser modes left by an
older glutecoach (or a copy) are repaired each time the folder is resolved: group and other
bits are removed from the folder (unless it is the home folder itself) and from glutecoach's
own files (the database and its side files, crash.log, the desk status); other files a person
keeps there are left as they are.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

from glutecoach.errors import InputError

HOME_ENV = "GLUTECOACH_HOME"
DATABASE_URL_ENV = "GLUTECOACH_DATABASE_URL"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
OWN_FILE_PREFIXES = ("glutecoach.db", "crash.log", "desk-status", ".glutecoach")


def user_dir() -> Path:
    """The folder for glutecoach's database and files; ``$GLUTECOACH_HOME`` overrides it.

    Resolved on every call (never at import time), so tests can point it at a temp dir.
    Created private (0700); looser modes on it and its files are tightened.
    """
    override = os.environ.get(HOME_ENV)
    path = (
        Path(override).expanduser() if override else Path(platformdirs.user_data_dir("glutecoach"))
    )
    where = f"{HOME_ENV}={override}" if override else "the data folder"
    if path.exists() and not path.is_dir():
        raise InputError(
            f"{where}: {path} is a file, not a folder; point {HOME_ENV} at a folder "
            "(it is created if missing)"
        )
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{where}: cannot create the folder {path} ({exc.strerror}); point {HOME_ENV} "
            "at a folder you can write"
        ) from None
    make_private(path)
    return path


def make_private(folder: Path) -> None:
    """Remove group and other access from ``folder`` and from glutecoach's files in it.

    The home folder itself is never changed (someone may point ``GLUTECOACH_HOME`` at it),
    nor are files glutecoach did not make. A mode that cannot be changed (a folder owned by
    someone else, a read-only file system) is left as it is, never an error.
    """
    if not _is_home(folder):
        _tighten(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(OWN_FILE_PREFIXES) and entry.is_file(follow_symlinks=False):
            _tighten(Path(entry.path))


def make_file_private(path: Path) -> None:
    """Remove group and other access from one file (0644 -> 0600)."""
    _tighten(path)


def _is_home(folder: Path) -> bool:
    try:
        return folder.resolve() in (Path.home().resolve(), Path(folder.anchor))
    except (OSError, RuntimeError):
        return True  # cannot tell: leave the folder's mode alone


def _tighten(path: Path) -> None:
    """Clear the group and other bits (the owner's own bits are kept as they are)."""
    try:
        current = stat.S_IMODE(path.stat(follow_symlinks=False).st_mode)
        if current & 0o077:
            path.chmod(current & ~0o077)
    except OSError:
        return


def create_private_file(path: Path) -> int:
    """Create ``path`` new (never overwriting) with mode 0600 and return its descriptor."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)


def database_url() -> str:
    """SQLAlchemy URL of the store: ``$GLUTECOACH_DATABASE_URL`` or SQLite in :func:`user_dir`."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return f"sqlite:///{user_dir() / 'glutecoach.db'}"
