"""Errors meant for the person using glutecoach: they carry a message that says what to do."""

from __future__ import annotations


class GlutecoachError(Exception):
    """An expected failure with a plain message; the CLI prints it and exits with status 2."""

    exit_code = 2


class InputError(GlutecoachError):
    """A file or value the user supplied is wrong; the message names what and where."""


class CatalogError(GlutecoachError):
    """A catalog or rules data file is malformed."""


class StoreError(GlutecoachError):
    """The database cannot be used (corrupt, newer than this code, unreachable)."""
