"""The input rules every entry point shares: the CLI, the web API and import.

One rule each, so a value one door refuses is refused by all of them:

* **Days**: from :data:`FIRST_DAY` (2000-01-01) to one year after the real today. A day
  outside is refused before anything is written. Rows already stored outside the wider
  readable window (:data:`FIRST_DAY` .. :data:`LAST_READABLE_DAY`) are ignored when the
  history is read, so one odd row cannot poison later commands (export still carries them).
* **Person names**: trimmed, 1-80 characters, printable (no control characters).
* **Free text** (notes): at most :data:`MAX_NOTE_CHARS` characters (session notes
  :data:`MAX_SESSION_NOTES_CHARS`), no control characters but tab and new line.
* **Data files** (answers, simulation scripts, catalog: :data:`MAX_FILE_BYTES`; answers
  :data:`MAX_ANSWERS_BYTES`; import :data:`MAX_IMPORT_BYTES`): size and nesting depth
  (:data:`MAX_NESTING`) are checked before they are parsed, duplicate keys are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from glutecoach.errors import InputError

DEFAULT_PERSON = "me"  # the person every door uses when none is named
FIRST_DAY = dt.date(2000, 1, 1)
FUTURE_DAYS = 366
LAST_READABLE_DAY = dt.date(2199, 12, 31)
MAX_NAME_CHARS = 80
MAX_NOTE_CHARS = 500
MAX_SESSION_NOTES_CHARS = 2000
MAX_FILE_BYTES = 1_000_000
MAX_ANSWERS_BYTES = 256_000
MAX_IMPORT_BYTES = 64_000_000
MAX_IMPORT_NODES = 10_000_000
MAX_NESTING = 32
MAX_NODES = 200_000


def last_day(real_today: dt.date | None = None) -> dt.date:
    """The latest day that may be entered: one year after the real today."""
    return (real_today or dt.date.today()) + dt.timedelta(days=FUTURE_DAYS)


def day_problem(day: dt.date, real_today: dt.date | None = None) -> str | None:
    """Why ``day`` is outside the window, or None when it is fine."""
    latest = last_day(real_today)
    if FIRST_DAY <= day <= latest:
        return None
    return f"{day.isoformat()} is outside {FIRST_DAY.isoformat()} .. {latest.isoformat()}"


def check_day(day: dt.date, where: str, real_today: dt.date | None = None) -> dt.date:
    """``day`` itself, or InputError naming ``where`` when it is outside the window."""
    problem = day_problem(day, real_today)
    if problem is not None:
        raise InputError(f"{where}: {problem} (use a real date, at most a year ahead)")
    return day


def readable_day(day: dt.date) -> bool:
    """Whether a stored row's day is one the engine can safely weigh (else it is ignored)."""
    return FIRST_DAY <= day <= LAST_READABLE_DAY


def name_problem(name: str) -> str | None:
    """Why ``name`` (already trimmed) is not a valid person name, or None."""
    if not name:
        return "a person's name cannot be empty"
    if len(name) > MAX_NAME_CHARS:
        return f"a person's name is at most {MAX_NAME_CHARS} characters (got {len(name)})"
    if not name.isprintable():
        return "a person's name cannot hold control characters (tabs, new lines, ...)"
    return None


def clean_person_name(name: str, where: str = "--person") -> str:
    """The trimmed name, or InputError naming ``where`` and the rule broken."""
    trimmed = name.strip()
    problem = name_problem(trimmed)
    if problem is not None:
        raise InputError(f"{where}: {problem}")
    return trimmed


def text_problem(text: str, max_chars: int = MAX_NOTE_CHARS) -> str | None:
    """Why free text cannot be stored, or None: too long, or control characters other than
    tab and new line (a NUL byte cannot even be stored in PostgreSQL)."""
    if len(text) > max_chars:
        return f"at most {max_chars} characters (got {len(text)}); shorten it"
    bad = sorted({f"U+{ord(c):04X}" for c in text if ord(c) < 32 and c not in "\t\n\r"})
    if bad or "\x7f" in text:
        return f"holds control characters ({', '.join(bad) or 'U+007F'}); remove them"
    return None


def check_note(text: str, where: str, max_chars: int = MAX_NOTE_CHARS) -> str:
    """``text`` itself, or InputError naming ``where`` (the free-text rule)."""
    problem = text_problem(text, max_chars)
    if problem is not None:
        raise InputError(f"{where}: {problem}")
    return text


def data_shape_problem(value: Any, max_nodes: int | None = None) -> str | None:
    """Why parsed data is too deep or too large to validate, or None (no recursion used).

    Counts every node reached, so YAML aliases that multiply one list are caught too.
    """
    limit = max_nodes or MAX_NODES
    seen = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict | list):
            continue
        if depth > MAX_NESTING:
            return f"nests more than {MAX_NESTING} levels deep"
        seen += len(node)
        if seen > limit:
            return f"holds more than {limit:,} values"
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)
    return None


def text_nesting_depth(text: str) -> int:
    """An upper bound of how deep JSON/YAML ``text`` nests in brackets, without parsing it.

    Open brackets minus closed ones outside double-quoted strings: cheap and safe on any
    input (a bracket inside a single-quoted YAML string can only make it larger).
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest
