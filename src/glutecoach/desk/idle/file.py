"""A scripted source: idle seconds (and optionally ``locked``) read from a text file.

For scripting and debugging: ``GLUTECOACH_IDLE_BACKEND=file GLUTECOACH_IDLE_FILE=/tmp/idle``;
write e.g. ``0`` (active), ``600`` (away) or ``0 locked`` into the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from glutecoach.desk.idle import BackendUnavailable, IdleReading

FILE_ENV = "GLUTECOACH_IDLE_FILE"


class FileIdle:
    name = "file"

    def __init__(self, path: Path) -> None:
        self.path = path

    async def read(self) -> IdleReading:
        try:
            words = self.path.read_text().split()
        except OSError:
            return IdleReading(0.0)
        idle = float(words[0]) if words else 0.0
        return IdleReading(idle, "locked" in words[1:])

    def close(self) -> None:
        pass


def open_backend(env: Mapping[str, str]) -> FileIdle:
    value = env.get(FILE_ENV)
    if not value:
        raise BackendUnavailable(f"file: set {FILE_ENV} to the file to read")
    return FileIdle(Path(value))
