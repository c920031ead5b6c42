"""Backup use cases: the whole database to one document and back, through the one door.

An export reads every person in one transaction; an import writes a whole validated document
in one transaction (all or nothing) and never overwrites a person who already has data.
Adapters with their own tables (the desk coach) join through ``export_rows`` / ``import_rows``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any, Protocol

from sqlalchemy.orm import Session

from glutecoach.backup import ExportDocument, PersonExport, ScreeningEntry
from glutecoach.errors import InputError
from glutecoach.store import repository as repo
from glutecoach.store.db import Store


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
