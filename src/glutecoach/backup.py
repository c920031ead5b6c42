"""The backup document: every person's whole history as one validated value.

What `glutecoach export` writes and `glutecoach import` reads (the file side is
``glutecoach.export.jsonio``; the database side ``glutecoach.backup_services``). Validating a
document checks the shared input rules (names, days, note lengths, known exercises) for every
entry, naming its place, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, Literal

from pydantic import Field

from glutecoach.core.models import (
    CheckIn,
    Clearance,
    Decision,
    Frozen,
    ScreeningAnswers,
    ScreeningResult,
    SessionLog,
)
from glutecoach.inputs import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_SESSION_NOTES_CHARS,
    day_problem,
    name_problem,
    text_problem,
)

FORMAT: Literal["glutecoach-export"] = "glutecoach-export"
VERSION: Literal[1] = 1


class ScreeningEntry(Frozen):
    taken_on: dt.date
    answers: ScreeningAnswers
    result: ScreeningResult


class PersonExport(Frozen):
    # Any stored name exports (one odd row never blocks a backup); import checks the rule.
    name: str = Field(
        description="Trimmed, 1-80 printable characters (checked on import)",
        json_schema_extra={"minLength": 1, "maxLength": MAX_NAME_CHARS},
    )
    settings: dict[str, Any] = Field(default_factory=dict)
    screenings: tuple[ScreeningEntry, ...] = ()
    sessions: tuple[SessionLog, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    clearances: tuple[Clearance, ...] = ()
    decisions: tuple[Decision, ...] = ()
    extensions: dict[str, dict[str, Any]] = Field(default_factory=dict)


class ExportDocument(Frozen):
    format: Literal["glutecoach-export"] = FORMAT
    version: Literal[1] = VERSION
    exported_at: dt.datetime
    people: tuple[PersonExport, ...]


def document_problems(
    document: ExportDocument,
    known_exercises: Collection[str] | None = None,
    real_today: dt.date | None = None,
) -> list[str]:
    """Everything the shared input rules refuse: names, days, unknown exercises."""
    problems: list[str] = []
    for i, person in enumerate(document.people):
        where = f"people[{i}]"
        problem = name_problem(person.name)
        if problem is None and person.name != person.name.strip():
            problem = "a person's name cannot start or end with spaces"
        if problem is not None:
            problems.append(f"{where}.name: {problem}")
        for field, day in _days(person):
            problem = day_problem(day, real_today)
            if problem is not None:
                problems.append(f"{where}.{field}: {problem}")
        problems.extend(f"{where}.{field}: {problem}" for field, problem in _text_problems(person))
        for j, session in enumerate(person.sessions):
            for k, logged in enumerate(session.sets):
                if known_exercises is not None and logged.exercise_id not in known_exercises:
                    problems.append(
                        f"{where}.sessions[{j}].sets[{k}].exercise_id: unknown exercise "
                        f"{logged.exercise_id!r} (see `glutecoach catalog list`)"
                    )
    return problems


def _text_problems(person: PersonExport) -> list[tuple[str, str]]:
    texts = [
        *(
            (f"sessions[{j}].notes", s.notes, MAX_SESSION_NOTES_CHARS)
            for j, s in enumerate(person.sessions)
        ),
        *(
            (f"clearances[{j}].note", c.note, MAX_NOTE_CHARS)
            for j, c in enumerate(person.clearances)
        ),
    ]
    return [
        (field, problem)
        for field, text, limit in texts
        if (problem := text_problem(text, limit)) is not None
    ]


def _days(person: PersonExport) -> list[tuple[str, dt.date]]:
    return [
        *((f"screenings[{j}].taken_on", e.taken_on) for j, e in enumerate(person.screenings)),
        *((f"sessions[{j}].performed_on", e.performed_on) for j, e in enumerate(person.sessions)),
        *((f"checkins[{j}].day", e.day) for j, e in enumerate(person.checkins)),
        *((f"clearances[{j}].day", e.day) for j, e in enumerate(person.clearances)),
        *((f"decisions[{j}].day", e.day) for j, e in enumerate(person.decisions)),
    ]
