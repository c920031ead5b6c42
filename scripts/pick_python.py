"""Choose the Python interpreter and extras for the project's virtual environment.

Run by the Makefile with whatever ``python3`` the machine has (any 3.8+). The camera form coach
needs ``mediapipe==0.10.21``, whose wheels (the last ones that ship the pose models) exist only
for Python 3.9-3.12. So: prefer a 3.12 or 3.11 interpreter when one is on the machine; otherwise
use the newest acceptable one (>= 3.11) and install every extra but ``vision``, and say clearly
what the camera coach needs.

Prints ``<interpreter path> <extras>`` on stdout; messages go to stderr. Exit status 2 when no
usable Python (>= 3.11) is found, with the command that would fix it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from typing import NamedTuple

MINIMUM = (3, 11)
CAMERA_PYTHONS = ((3, 12), (3, 11))  # mediapipe 0.10.21 ships wheels for these (and older)
ALL_EXTRAS = "all,dev"
NO_CAMERA_EXTRAS = "postgres,web,desk,dev"
CANDIDATE_NAMES = ("python3.12", "python3.11", "python3", "python3.13", "python3.14", "python")


class Choice(NamedTuple):
    interpreter: str
    extras: str
    note: str | None


def choose(found: dict[str, tuple[int, int]], requested: str | None = None) -> Choice:
    """Pick from ``found`` (interpreter path -> (major, minor)); ``requested`` wins if usable."""
    if requested is not None:
        version = found.get(requested)
        if version is None or version < MINIMUM:
            raise LookupError(f"PYTHON={requested} is not Python >= 3.11")
        return _with_extras(requested, version)
    for wanted in CAMERA_PYTHONS:
        for path, version in found.items():
            if version == wanted:
                return _with_extras(path, version)
    usable = sorted(
        ((v, p) for p, v in found.items() if v >= MINIMUM), key=lambda item: item[0], reverse=True
    )
    if not usable:
        raise LookupError("no Python >= 3.11 found")
    version, path = usable[0]
    return _with_extras(path, version)


def _with_extras(path: str, version: tuple[int, int]) -> Choice:
    if version in CAMERA_PYTHONS:
        return Choice(path, ALL_EXTRAS, None)
    shown = f"{version[0]}.{version[1]}"
    note = (
        f"Using Python {shown} ({path}) without the camera form coach: it needs "
        "mediapipe==0.10.21, which has wheels only for Python 3.11 and 3.12. Everything else "
        "works. For the camera, install Python 3.12 (e.g. `apt install python3.12-venv`, "
        "`brew install python@3.12`, `dnf install python3.12` or `uv python install 3.12`), "
        "then run `make clean` and this command again."
    )
    return Choice(path, NO_CAMERA_EXTRAS, note)


def version_of(interpreter: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [interpreter, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout.split()
        return int(out[0]), int(out[1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def discover(names: Iterable[str] = CANDIDATE_NAMES) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for name in names:
        path = shutil.which(name)
        if path is None or path in found:
            continue
        version = version_of(path)
        if version is not None:
            found[path] = version
    return found


def main(argv: list[str]) -> int:
    requested = os.environ.get("PYTHON") or None
    found = discover()
    if requested:
        path = shutil.which(requested) or requested
        version = version_of(path)
        if version is not None:
            found[path] = version
        requested = path
    try:
        choice = choose(found, requested)
    except LookupError as exc:
        print(
            f"glutecoach needs Python 3.11 or newer ({exc}). Install one, e.g. "
            "`apt install python3.12-venv` or `brew install python@3.12`, then run make again.",
            file=sys.stderr,
        )
        return 2
    if choice.note:
        print(choice.note, file=sys.stderr)
    print(choice.interpreter, choice.extras)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
