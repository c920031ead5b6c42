"""Export a whole database to one JSON document and import it back, losing nothing.

The document is validated as a whole before anything is written, and an import is one
transaction: it lands completely or not at all. Importing never overwrites: a person who
already has data in the target database is refused.
"""

from __future__ import annotations

import datetime as dt
import errno
import importlib
import json
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import Field
from sqlalchemy.orm import Session

from glutecoach.core.models import (
    CheckIn,
    Clearance,
    Decision,
    Frozen,
    ScreeningAnswers,
    ScreeningResult,
    SessionLog,
)
from glutecoach.errors import InputError
from glutecoach.fileio import read_data, validate
from glutecoach.inputs import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_NODES,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_SESSION_NOTES_CHARS,
    day_problem,
    name_problem,
    text_problem,
)
from glutecoach.paths import create_private_file
from glutecoach.store import repository as repo
from glutecoach.store.db import Store

FORMAT: Literal["glutecoach-export"] = "glutecoach-export"
VERSION: Literal[1] = 1


class Extension(Protocol):
    """An adapter that stores its own tables (the desk coach) joins the export with these."""

    def export_rows(self, db: Session, pid: int) -> dict[str, Any]: ...

    def import_rows(self, db: Session, pid: int, data: dict[str, Any]) -> None: ...


EXTENSION_MODULES = {
    "desk": "glutecoach.store.desk_repo",
    "clinic": "glutecoach.store.clinic_export",
}


def _extensions() -> dict[str, Any]:
    found = {}
    for name, module in EXTENSION_MODULES.items():
        try:
            loaded = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        if hasattr(loaded, "export_rows") and hasattr(loaded, "import_rows"):
            found[name] = loaded
    return found


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


def export_document(store: Store, now: dt.datetime) -> ExportDocument:
    extensions = _extensions()
    people = []
    with store.transaction() as db:
        for name in repo.list_people(db):
            pid = repo.person_id(db, name)
            assert pid is not None
            screenings = tuple(
                ScreeningEntry(taken_on=day, answers=answers, result=result)
                for day, answers, result in repo.all_screening_entries(db, pid)
            )
            people.append(
                PersonExport(
                    name=name,
                    settings=repo.stored_settings(db, pid),
                    screenings=screenings,
                    sessions=tuple(repo.sessions(db, pid)),
                    checkins=tuple(repo.checkins(db, pid)),
                    clearances=tuple(repo.clearances(db, pid)),
                    decisions=tuple(repo.decisions(db, pid)),
                    extensions={
                        n: rows for n, m in extensions.items() if (rows := m.export_rows(db, pid))
                    },
                )
            )
    return ExportDocument(exported_at=now, people=tuple(people))


def write_document(document: ExportDocument, path: Path | None) -> str:
    """The document as JSON text; written to ``path`` (new, 0600, never overwriting) if given."""
    text = json.dumps(document.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if path is not None:
        _write_new_private(path, text)
    return text


def _write_new_private(path: Path, text: str) -> None:
    """Write ``text`` to a new 0600 file at ``path`` whole or not at all; never overwrite."""
    if path.exists() or path.is_symlink():
        raise InputError(f"{path} already exists; choose another name (nothing was written)")
    if not path.parent.is_dir():
        what = "is not a folder" if path.parent.exists() else "does not exist"
        raise InputError(
            f"{path}: {path.parent} {what}; create the folder or choose another place "
            "(nothing was written)"
        )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fd = create_private_file(tmp)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, path)
    except FileExistsError:
        raise InputError(
            f"{path} already exists; choose another name (nothing was written)"
        ) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be written ({exc.strerror}); nothing was written"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _publish(tmp: Path, path: Path) -> None:
    """Give the finished file its name; a hard link fails if the name was taken meanwhile."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if path.exists():  # a file system without hard links: check, then rename
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)


def read_document(path: Path, known_exercises: Collection[str] | None = None) -> ExportDocument:
    """Read and validate a whole export; every problem names its place (nothing is written)."""
    data = read_data(path, MAX_IMPORT_BYTES, MAX_IMPORT_NODES)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f'{path}: not a glutecoach export (expected "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise InputError(
            f"{path}: export version {data.get('version')!r} is not supported by this "
            f"glutecoach (it reads version {VERSION}); upgrade glutecoach"
        )
    document = validate(ExportDocument, data, str(path))
    problems = document_problems(document, known_exercises)
    if problems:
        shown = "\n  ".join(problems[:8])
        more = f"\n  ... and {len(problems) - 8} more" if len(problems) > 8 else ""
        raise InputError(f"{path}: cannot be imported (nothing was written)\n  {shown}{more}")
    return document


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


def import_document(store: Store, document: ExportDocument, now: dt.datetime) -> dict[str, int]:
    """Write every person of ``document``; refuses people who already have data."""
    extensions = _extensions()
    counts = {"people": 0, "sessions": 0, "sets": 0, "checkins": 0, "decisions": 0}
    with store.transaction() as db:
        for person in document.people:
            existing = repo.person_id(db, person.name)
            if existing is not None and repo.has_data(db, existing):
                raise InputError(
                    f"person {person.name!r} already has data in this database; nothing was "
                    "imported. Import into an empty database (GLUTECOACH_HOME=...) instead."
                )
            pid = repo.ensure_person(db, person.name, now=now)
            for name, value in person.settings.items():
                repo.set_setting(db, pid, name, value)
            for entry in person.screenings:
                repo.save_screening(db, pid, entry.taken_on, entry.answers, entry.result)
            for session in person.sessions:
                repo.save_session(db, pid, session)
                counts["sets"] += len(session.sets)
            for checkin in person.checkins:
                repo.add_checkin(db, pid, checkin)
            for clearance in person.clearances:
                repo.add_clearance(db, pid, clearance)
            for decision in person.decisions:
                repo.add_decision(db, pid, decision)
            for name, data in person.extensions.items():
                if name not in extensions:
                    raise InputError(
                        f"the export holds {name!r} data but this install cannot store it; "
                        "nothing was imported"
                    )
                extensions[name].import_rows(db, pid, data)
            counts["people"] += 1
            counts["sessions"] += len(person.sessions)
            counts["checkins"] += len(person.checkins)
            counts["decisions"] += len(person.decisions)
    return counts
