"""What a hand-off export shows of one person, gathered through the services (the one door).

Every writer but JSON (which exports the whole database) works from one :class:`PersonRecord`:
the history, the current plan and state, the progress summary, the latest screening, the
desk coach's sitting bouts and, in clinic mode, the clinic record (overrides, clinicians'
notes, form-review results, who viewed the record), plus the person's units. Nothing here
touches the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from glutecoach.clinic_services import ClinicRecord, clinic_record
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    History,
    Plan,
    PlannedSession,
    ProgramState,
    ScreeningAnswers,
    ScreeningResult,
)
from glutecoach.core.progress import ProgressSummary, summarize
from glutecoach.core.progression import current_state
from glutecoach.services import Coach, DeskBout


@dataclass(frozen=True)
class PersonRecord:
    person: str
    today: dt.date
    units: str
    session_days: tuple[int, ...]
    catalog: Catalog
    history: History
    state: ProgramState
    plan: Plan
    progress: ProgressSummary
    screening: tuple[ScreeningAnswers, ScreeningResult] | None
    desk_bouts: tuple[DeskBout, ...]
    clinic: ClinicRecord = field(default_factory=ClinicRecord)

    @property
    def full_session(self) -> PlannedSession | None:
        """The week's strength session (the one with the most exercises), if any."""
        sessions = sorted(self.plan.sessions, key=lambda s: -len(s.prescriptions))
        return sessions[0] if sessions else None

    @property
    def daily_session(self) -> PlannedSession | None:
        """The routine for the days between sessions, when it differs from the full session."""
        full = self.full_session
        others = [s for s in self.plan.sessions if full and s.title != full.title]
        return others[0] if others else None


def gather(coach: Coach, today: dt.date) -> PersonRecord:
    """Everything the hand-off writers show: the history, settings, screening and desk bouts
    read through ``coach``; the state, plan and progress computed by the core, as the services
    compute them, from that one history.

    Raises the services' ``NotScreened`` (a clear message, exit status 2) before screening.
    """
    history = coach.history()  # read once; the plan and progress are computed from it
    settings = coach.settings()
    session_days = tuple(int(d) for d in settings["session_days"])
    catalog = coach.catalog
    state = current_state(history, catalog)
    return PersonRecord(
        person=coach.person,
        today=today,
        units=str(settings["units"]),
        session_days=session_days,
        catalog=catalog,
        history=history,
        state=state,
        plan=coach.plan_from(history, list(session_days), today),
        progress=summarize(history, catalog, list(session_days), today),
        screening=coach.latest_screening(),
        desk_bouts=tuple(coach.desk_bouts()),
        clinic=clinic_record(coach, history),
    )
