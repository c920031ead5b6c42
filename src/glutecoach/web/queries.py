"""The store's fast readers, as the web app uses them (see :mod:`glutecoach.store.reader`)."""

from glutecoach.store.reader import (
    _TABLES,
    Marks,
    SessionInfo,
    fingerprint,
    history_data,
    rows_after,
    session_info,
    sessions_by_id,
    sessions_on,
    split_ids,
)

__all__ = [
    "_TABLES",
    "Marks",
    "SessionInfo",
    "fingerprint",
    "history_data",
    "rows_after",
    "session_info",
    "sessions_by_id",
    "sessions_on",
    "split_ids",
]
