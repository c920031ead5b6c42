"""Errors meant for the person using glutecoach: they carry a message that says what to do."""

from __future__ import annotations


class GlutecoachError(Exception):
    """An expected failure with a plain message; the CLI prints it and exits with status 2."""

    exit_code = 2


class InputError(GlutecoachError):
    """A file or value the user supplied is wrong; the message names what and where."""


class IdempotencyKeyReused(InputError):
    """The same Idempotency-Key came with a different set (the web API answers 409)."""


class CatalogError(GlutecoachError):
    """A catalog or rules data file is malformed."""


class StoreError(GlutecoachError):
    """The database cannot be used (corrupt, newer than this code, unreachable)."""


class StoreBusy(StoreError):
    """Another program held the database's write lock too long: nothing was saved, try again.

    The CLI exits with status 75 (EX_TEMPFAIL); the web API answers 503 with Retry-After.
    """

    exit_code = 75


class StoreUnreachable(StoreError):
    """The database server can't be reached or the data folder can't be written (not corrupt).

    The CLI exits with status 69 (EX_UNAVAILABLE); the web API answers 503.
    """

    exit_code = 69
