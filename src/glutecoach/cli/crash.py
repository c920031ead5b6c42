"""``crash.log``: enough to find a bug, nothing about the person.

An entry holds the time, the glutecoach version, the command's name (never its arguments:
notes and person names are arguments), the exception types of the chain, and the code
locations of the traceback. Exception messages are left out, since a driver's message may quote
the values being written (pain scores, reps, notes). The file is created 0600.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback

from glutecoach import __version__
from glutecoach.errors import GlutecoachError
from glutecoach.paths import PRIVATE_FILE_MODE, make_file_private, user_dir

CRASH_LOG = "crash.log"


CURRENT_COMMAND: list[str] = []  # set by the root command once click has parsed the line


def command_name() -> str:
    """The command being run, as click parsed it; its arguments are never logged."""
    return CURRENT_COMMAND[-1] if CURRENT_COMMAND else "(none)"


def crash_report(exc: BaseException, command: str) -> str:
    """The log entry: types and code locations only, no messages or values."""
    lines = [f"--- {dt.datetime.now().isoformat(timespec='seconds')} glutecoach {__version__}"]
    lines.append(f"command: {command}")
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for index, error in enumerate(reversed(chain)):
        if index:
            lines.append("which led to:")
        lines.append(f"{type(error).__module__}.{type(error).__qualname__} (message withheld)")
        for frame in traceback.extract_tb(error.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
    return "\n".join(lines) + "\n"


def write_crash_log(exc: BaseException) -> str:
    """Append the report to ``crash.log`` (0600) in the data folder; returns where it went."""
    report = crash_report(exc, command_name())
    try:
        path = user_dir() / CRASH_LOG
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(report)
        make_file_private(path)
    except (OSError, GlutecoachError):
        return "(crash.log could not be written: the data folder is not usable)"
    return str(path)
