"""The JSON API under ``/api``: the same use cases as the pages, documented by OpenAPI."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from glutecoach.core.catalog import Catalog, Exercise
from glutecoach.core.models import (
    CheckIn,
    Decision,
    PainScore,
    Plan,
    Region,
    ScreeningAnswers,
    ScreeningResult,
    SelfTests,
    SetLog,
)
from glutecoach.core.progress import ProgressSummary
from glutecoach.core.sedentary_metrics import metrics_json
from glutecoach.errors import IdempotencyKeyReused
from glutecoach.services import Coach
from glutecoach.web import snapshot
from glutecoach.web.deps import get_catalog, get_coach, get_today
from glutecoach.web.views import stop_exercise

# A row id: positive and within the 32-bit INTEGER column of both SQLite and PostgreSQL (larger
# ids cannot exist; asking for one is a 422 naming the bound, never a database overflow).
MAX_ROW_ID = 2**31 - 1
SessionId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Session id")]


def _no_nul(text: str) -> str:
    """PostgreSQL text cannot hold NUL characters: refuse them on both databases alike."""
    if "\x00" in text:
        raise ValueError("must not contain NUL (\\u0000) characters")
    return text


PlainText = Annotated[str, AfterValidator(_no_nul)]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="A client-made id for this set (e.g. a UUID): a retry with the same key "
        "returns the first answer and never stores the set twice",
    ),
]

router = APIRouter(prefix="/api", tags=["api"])
CoachDep = Annotated[Coach, Depends(get_coach)]
TodayDep = Annotated[dt.date, Depends(get_today)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Health(Body):
    ok: bool = True


class RedFlagQuestion(Body):
    id: str
    group: str
    question: str


class TodayView(Body):
    day: dt.date
    title: str | None
    prescriptions: list[dict[str, Any]]
    session_id: int | None = Field(description="Today's unfinished session, if one is open")
    finished: bool
    logged: list[SetLog]
    red_flags_due: bool = Field(
        description="The weekly safety questions come first: POST /api/checkins with red_flags"
    )


class OpenSession(Body):
    """No fields: send ``{}``."""


class SessionRef(Body):
    id: int
    logged: list[SetLog]


class SetSaved(Body):
    id: int
    stop_exercise: bool = Field(description="Pain was above the acceptable zone: stop this one")


class FinishBody(Body):
    notes: PlainText = Field(default="", max_length=2000)


class CheckInBody(Body):
    pain: dict[Region, PainScore] = Field(default_factory=dict)
    stiffness: PainScore = 0
    morning: bool = True
    red_flags: dict[str, bool] | None = Field(
        default=None,
        description="Answers to the red-flag questions; required when pain has spiked (409)",
    )
    self_tests: SelfTests | None = None


class Clearance(Body):
    cleared_by_clinician: bool
    note: PlainText = Field(default="", max_length=500)


class SettingValue(Body):
    value: Any


@router.get("/health", response_model=Health)
def health() -> Health:
    """A trivial endpoint (liveness; the benchmarks' baseline)."""
    return Health()


@router.get("/screening/questions", response_model=list[RedFlagQuestion])
def red_flag_questions(catalog: CatalogDep) -> list[RedFlagQuestion]:
    flags = catalog.rules.red_flags.flags
    return [RedFlagQuestion(id=f.id, group=f.group, question=f.question) for f in flags]


@router.get("/screening", response_model=ScreeningResult, responses={404: {}})
def latest_screening(coach: CoachDep) -> ScreeningResult:
    latest = coach.latest_screening()
    if latest is None:
        raise HTTPException(404, "no screening yet: POST /api/screening")
    return latest[1]


@router.post("/screening", response_model=ScreeningResult, responses={400: {}})
def post_screening(answers: ScreeningAnswers, coach: CoachDep, today: TodayDep) -> ScreeningResult:
    """Screen for red flags; a referral outcome pauses the program (never a diagnosis)."""
    return coach.screen(answers, today)


@router.get("/plan", response_model=Plan, responses={409: {}})
def plan(coach: CoachDep, today: TodayDep) -> Plan:
    return coach.plan(today)


@router.get("/today", response_model=TodayView, responses={409: {}})
def today_view(coach: CoachDep, today: TodayDep) -> TodayView:
    view = snapshot.today(coach, today)
    planned = view["planned"]
    session_id = view["session_id"]
    return TodayView(
        day=today,
        title=planned.title if planned else None,
        prescriptions=[p.model_dump(mode="json") for p in planned.prescriptions] if planned else [],
        session_id=session_id,
        finished=view["finished"],
        red_flags_due=view["safety_due"],
        logged=coach.logged_sets(session_id) if session_id is not None else [],
    )


@router.post("/sessions", response_model=SessionRef, responses={400: {}, 409: {}})
def open_session(body: OpenSession, coach: CoachDep, today: TodayDep) -> SessionRef:
    """Open today's session (or resume the unfinished one); 400 while the program is paused."""
    session_id = snapshot.start_session(coach, today)
    return SessionRef(id=session_id, logged=coach.logged_sets(session_id))


def _session(coach: Coach, session_id: int, *, open_only: bool) -> bool:
    """Whether this person's session ``session_id`` is still open (404 when there is none)."""
    info = coach.session_info(session_id)
    if info is None:
        raise HTTPException(404, f"no session {session_id}")
    if open_only and info.completed:
        raise HTTPException(409, f"session {session_id} is already finished")
    return not info.completed


@router.get("/sessions/{session_id}/sets", response_model=list[SetLog], responses={404: {}})
def session_sets(session_id: SessionId, coach: CoachDep) -> list[SetLog]:
    _session(coach, session_id, open_only=False)
    return coach.logged_sets(session_id)


@router.post(
    "/sessions/{session_id}/sets",
    response_model=SetSaved,
    status_code=201,
    responses={400: {}, 404: {}, 409: {}},
)
def log_set(
    session_id: SessionId,
    log: SetLog,
    coach: CoachDep,
    catalog: CatalogDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> SetSaved:
    """Save one set at once: nothing logged is lost if the page is closed.

    With an ``Idempotency-Key`` header a retried request (the answer was lost) returns the
    first answer, with ``Idempotent-Replayed: true``, and stores nothing new; the same key
    with a different set is ``409``.
    """
    if log.exercise_id not in catalog.exercises:
        raise HTTPException(400, f"exercise_id: unknown exercise {log.exercise_id!r}")
    if idempotency_key is None:
        _session(coach, session_id, open_only=True)
        set_id = coach.log_set(session_id, log)
        return SetSaved(id=set_id, stop_exercise=stop_exercise(log, catalog))
    is_open = _session(coach, session_id, open_only=False)
    try:
        saved = coach.log_set_once(session_id, log, idempotency_key, may_add=is_open)
    except IdempotencyKeyReused as exc:
        raise HTTPException(409, str(exc)) from None
    if saved is None:
        raise HTTPException(409, f"session {session_id} is already finished")
    set_id, created = saved
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return SetSaved(id=set_id, stop_exercise=stop_exercise(log, catalog))


@router.post("/sessions/{session_id}/finish", response_model=Decision, responses={404: {}, 409: {}})
def finish_session(
    session_id: SessionId, body: FinishBody, coach: CoachDep, today: TodayDep
) -> Decision:
    """Finish the session and run the progression engine: the decision and its reasons."""
    _session(coach, session_id, open_only=True)
    return coach.finish_session(session_id, today, body.notes)


@router.post("/checkins", response_model=Decision, responses={400: {}, 409: {}})
def post_checkin(body: CheckInBody, coach: CoachDep, today: TodayDep) -> Decision:
    """Daily check-in. When pain has spiked, the red-flag questions must be answered."""
    if body.red_flags is None and coach.pain_spiked(dict(body.pain)):
        raise HTTPException(
            409,
            "red_flags: your pain is up since last time; answer the red-flag questions "
            "(GET /api/screening/questions) and send them as red_flags",
        )
    entry = CheckIn(
        day=today,
        pain=body.pain,
        stiffness=body.stiffness,
        morning=body.morning,
        red_flags=body.red_flags or {},
        self_tests=body.self_tests,
    )
    return coach.checkin(entry, today)


@router.post("/clearance", response_model=Decision, responses={400: {}, 409: {}})
def post_clearance(body: Clearance, coach: CoachDep, today: TodayDep) -> Decision:
    """Record that a clinician cleared you to resume after a stop."""
    if not body.cleared_by_clinician:
        raise HTTPException(400, "cleared_by_clinician: must be true")
    return coach.clear(today, body.note)


@router.get("/decisions", response_model=list[Decision])
def decisions(coach: CoachDep) -> list[Decision]:
    return coach.decisions()


@router.get("/progress", response_model=ProgressSummary, responses={409: {}})
def progress(coach: CoachDep, today: TodayDep) -> ProgressSummary:
    return coach.progress(today)


@router.get("/progress/desk", response_model=list[dict[str, Any]])
def desk_progress(coach: CoachDep, today: TodayDep) -> list[dict[str, Any]]:
    """Sitting bouts and breaks per day for four weeks (empty without desk-coach data)."""
    return metrics_json(snapshot.desk_metrics(coach, today) or [])


@router.get("/catalog/exercises", response_model=list[Exercise])
def exercises(catalog: CatalogDep) -> list[Exercise]:
    return sorted(catalog.exercises.values(), key=lambda e: (e.phase, e.id))


@router.get("/catalog/exercises/{exercise_id}", response_model=Exercise, responses={404: {}})
def exercise(exercise_id: str, catalog: CatalogDep) -> Exercise:
    found = catalog.exercises.get(exercise_id)
    if found is None:
        raise HTTPException(404, f"no exercise {exercise_id!r}")
    return found


@router.get("/settings", response_model=dict[str, Any])
def get_settings(coach: CoachDep) -> dict[str, Any]:
    return coach.settings()


@router.put("/settings/{name}", response_model=dict[str, Any], responses={400: {}})
def put_setting(name: str, body: SettingValue, coach: CoachDep) -> dict[str, Any]:
    """Change one setting; the value is validated like ``glutecoach settings set``."""
    return {name: coach.set_setting(name, body.value)}
