"""When a real part (PostgreSQL, Chromium, Xvfb, dunst) is missing: fail or skip.

`make test` sets ``GLUTECOACH_REAL_PARTS=required`` (after scripts/system-deps.sh installed
them) and CI sets ``CI``: there a missing part FAILS with the command that installs it, so the
suite never passes by skipping its real parts. A developer running a subset with plain pytest
gets a skip with the same command.
"""

from __future__ import annotations

import os

import pytest


def real_parts_required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("GLUTECOACH_REAL_PARTS") == "required"


def missing_real_part(message: str, required: bool | None = None) -> None:
    """Fail (when required) or skip, naming what is missing and how to install it."""
    if real_parts_required() if required is None else required:
        pytest.fail(f"{message} - `bash scripts/system-deps.sh` installs it")
    pytest.skip(message)
