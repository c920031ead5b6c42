"""A patient's clinic record for the hand-off exports: the one way from ``export`` to the
clinic's tables (as ``services`` is for the person's own record).

The clinicians' overrides come from the decisions (``Decision.override`` and the reasons of
the decisions they made); notes, form-review results and the audit of who viewed the record
from the clinic's tables (``glutecoach.store.clinic_export``, which the JSON export uses
too). Outside clinic mode these are simply empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from glutecoach.core.models import ClinicianOverride, Decision, History
from glutecoach.core.progression.overrides import OVERRIDE_RULE
from glutecoach.services import Coach


@dataclass(frozen=True)
class OverrideEntry:
    """One override a clinician made (or ended), from the decision that carries it."""

    day: dt.date
    kind: str
    by: str
    summary: str
    note: str
    text: str  # the decision's reason, as the patient sees it


@dataclass(frozen=True)
class ClinicRecord:
    overrides: tuple[OverrideEntry, ...] = ()
    notes: tuple[dict[str, Any], ...] = ()
    reviews: tuple[dict[str, Any], ...] = ()
    views: tuple[dict[str, Any], ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.overrides or self.notes or self.reviews or self.views)


def overrides_of(history: History) -> tuple[OverrideEntry, ...]:
    """Each decision a clinician made: an override set, changed or ended."""
    return tuple(_entry(d) for d in history.decisions if _made_by_clinician(d))


def _made_by_clinician(decision: Decision) -> bool:
    return bool(decision.reasons) and decision.reasons[0].rule == OVERRIDE_RULE


def _entry(decision: Decision) -> OverrideEntry:
    made: ClinicianOverride | None = decision.override
    text = decision.reasons[0].text
    if made is None:  # an end: back to the engine
        note = text.partition("Note: ")[2]
        return OverrideEntry(decision.day, "end", "", "returned to the engine", note, text)
    return OverrideEntry(decision.day, made.kind.value, made.by, made.summary, made.note, text)


def clinic_record(coach: Coach, history: History) -> ClinicRecord:
    """The person's clinic record (empty outside clinic mode)."""
    from glutecoach.store import repository as repo
    from glutecoach.store.clinic_export import clinic_rows

    with coach.store.transaction() as db:
        pid = repo.person_id(db, coach.person)
        rows = clinic_rows(db, pid) if pid is not None else {}
    return ClinicRecord(
        overrides=overrides_of(history),
        notes=tuple(rows.get("notes", ())),
        reviews=tuple(rows.get("reviews", ())),
        views=tuple(rows.get("views", ())),
    )
