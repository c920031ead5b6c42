"""What an export format is: a :class:`Writer` (named ``WRITER`` in its module under
``glutecoach.export.formats``) turning an :class:`ExportRequest` into bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from glutecoach.services import Coach


@dataclass(frozen=True)
class ExportRequest:
    """What a writer gets: the person's coach, the day and time, and format options."""

    coach: Coach
    today: dt.date
    now: dt.datetime
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Writer:
    name: str
    suffix: str
    binary: bool
    summary: str
    write: Callable[[ExportRequest], bytes]
    needs: tuple[str, ...] = ()  # importable modules the writer uses (an optional extra)
    options: tuple[str, ...] = ()  # the format options it reads (others are refused)
