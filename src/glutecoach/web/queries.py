"""The store's session look-ups the web app still makes directly (see
:mod:`glutecoach.store.reader`); the history and its cache are the services' own."""

from glutecoach.store.reader import SessionInfo, session_info, sessions_on

__all__ = ["SessionInfo", "session_info", "sessions_on"]
