"""Tell database failures apart truthfully: busy, unreachable, damaged, or corrupt.

A driver error is mapped to the :class:`~glutecoach.errors.StoreError` that says what really
happened and what to do next. "May be corrupt" is only said when the file really is not a
readable database; a lock held too long is "busy, not saved, try again"; a server that is down
or a folder that cannot be written is "unreachable". Anything else is left to propagate (it is
a bug, reported as an internal error).
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from glutecoach.errors import StoreBusy, StoreError, StoreUnreachable

BUSY_SQLITE = ("database is locked", "database table is locked", "database is busy")
UNREACHABLE_SQLITE = (
    "unable to open database file",
    "readonly database",
    "read-only",
    "disk i/o error",
    "database or disk is full",
    "permission denied",
)
CORRUPT_SQLITE = ("file is not a database", "malformed", "not a database", "encrypted")
# PostgreSQL SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
BUSY_PG = {"55P03", "40P01", "40001", "57014"}  # lock not available, deadlock, serialization
UNREACHABLE_PG_CLASSES = ("08", "53", "57")  # connection, resources, operator intervention
READ_ONLY_PG = {"25006"}
MISSING_TABLE = {"42P01"}


def store_failure(exc: DBAPIError, where: str, *, server: bool = False) -> StoreError | None:
    """The truthful error for ``exc`` (``where`` names the database, ``server`` says whether
    it is a database server rather than a file), or None for a bug."""
    orig = exc.orig
    message = str(orig).lower()
    sqlstate = getattr(orig, "sqlstate", None)
    if any(text in message for text in BUSY_SQLITE) or sqlstate in BUSY_PG:
        return busy(where)
    if "no such table" in message or sqlstate in MISSING_TABLE:
        return missing_tables(where, _first_line(orig))
    if any(text in message for text in CORRUPT_SQLITE):
        return corrupt(where, _first_line(orig))
    if sqlstate in READ_ONLY_PG or any(text in message for text in UNREACHABLE_SQLITE):
        return unreachable(where, _first_line(orig), server=server)
    if _is_connection_failure(exc, sqlstate):
        return unreachable(where, _first_line(orig), server=server)
    return None


def _is_connection_failure(exc: DBAPIError, sqlstate: str | None) -> bool:
    if exc.connection_invalidated:
        return True
    if sqlstate is None:
        # psycopg raises OperationalError without a SQLSTATE when it cannot connect at all.
        return (
            type(exc.orig).__name__ == "OperationalError"
            and "sqlite" not in type(exc.orig).__module__
        )
    return sqlstate.startswith(UNREACHABLE_PG_CLASSES)


def _first_line(orig: BaseException | None) -> str:
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def busy(where: str) -> StoreBusy:
    return StoreBusy(
        f"{where} is busy: another program held it for too long. This was NOT saved; "
        "try again in a moment (close other glutecoach windows if it keeps happening)."
    )


def unreachable(where: str, detail: str, *, server: bool = False) -> StoreUnreachable:
    check = (
        "check that the database server is running and reachable and that this user may write to it"
        if server
        else "check that the data folder (GLUTECOACH_HOME) and the database file are writable "
        "and the disk has room"
    )
    return StoreUnreachable(
        f"{where} cannot be reached or written ({detail}). This is not a sign of damage and "
        f"nothing was changed: {check}, then try again."
    )


def corrupt(where: str, detail: str) -> StoreError:
    return StoreError(
        f"{where} cannot be read ({detail}); it may be corrupt. It was left untouched. Move "
        "it aside and import a backup made with `glutecoach export`."
    )


def missing_tables(where: str, detail: str) -> StoreError:
    return StoreError(
        f"{where} is damaged: {detail}. It was left untouched. Move it aside and import a "
        "backup made with `glutecoach export` (or start afresh)."
    )
