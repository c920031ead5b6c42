"""Replay a scripted history through the engine: "what if" for physios, examples and tests.

A script is screening answers plus dated events: explicit sessions, sessions that follow the
plan for a stretch of days, check-ins, clinician clearances and equipment changes. The schema
is :class:`SimulationScript` (``glutecoach simulate --schema`` prints it as JSON Schema).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    CheckIn,
    Clearance,
    Decision,
    DecisionKind,
    Equipment,
    FeltIn,
    Frozen,
    History,
    OverrideKind,
    OwnedEquipment,
    PainScore,
    Plan,
    ProgramState,
    Reason,
    Region,
    ScreeningAnswers,
    ScreeningOutcome,
    ScreeningResult,
    SessionLog,
    SetLog,
    Side,
)
from glutecoach.core.override import OverrideRequest, OverrideTarget, make_override
from glutecoach.core.plan import build_plan, session_for
from glutecoach.core.progression import (
    current_state,
    decide,
    latest_self_tests,
    planning_state,
)
from glutecoach.core.screening import screen

DEFAULT_SESSION_DAYS = (0, 2, 4)


class SessionEvent(Frozen):
    type: Literal["session"] = "session"
    day: dt.date
    sets: tuple[SetLog, ...] = Field(min_length=1)
    completed: bool = True


class FollowPlanEvent(Frozen):
    """Do the planned sessions from ``day`` for ``days`` days, with this effort and pain."""

    type: Literal["follow_plan"] = "follow_plan"
    day: dt.date
    days: int = Field(ge=1, le=730)
    rpe: float = Field(default=6, ge=0, le=10)
    pain: PainScore = 1
    felt_in: tuple[FeltIn, ...] = (FeltIn.GLUTES,)
    felt_main: FeltIn | None = Field(
        default=None, description="Where each set was felt most (default: felt_in if one area)"
    )
    reps_short_by: int = Field(default=0, ge=0, le=50, description="Reps missed per set")
    morning_pain: PainScore | None = Field(
        default=None, description="Add a morning check-in the day after each session"
    )
    session_days: tuple[int, ...] = DEFAULT_SESSION_DAYS


class CheckInEvent(Frozen):
    type: Literal["checkin"] = "checkin"
    day: dt.date
    checkin: CheckIn


class ClearanceEvent(Frozen):
    type: Literal["clearance"] = "clearance"
    day: dt.date
    note: str = ""


class EquipmentEvent(Frozen):
    type: Literal["equipment"] = "equipment"
    day: dt.date
    equipment: tuple[Equipment, ...]
    owned: OwnedEquipment | None = Field(
        default=None, description="Exactly what is owned from this day (weights, bands, step)"
    )


class TimeOffEvent(Frozen):
    """A break: no training from ``day`` for ``days`` days (planned sessions are skipped)."""

    type: Literal["time_off"] = "time_off"
    day: dt.date
    days: int = Field(ge=1, le=730)
    morning_pain: PainScore | None = Field(
        default=None, description="Pain at a check-in on the day training resumes"
    )


class SafetyEvent(Frozen):
    """The weekly red-flag questions answered on ``day`` (ids answered yes; others no)."""

    type: Literal["safety"] = "safety"
    day: dt.date
    yes: tuple[str, ...] = ()


class OverrideEvent(OverrideTarget):
    """A clinician's override on ``day`` (after that day's training): hold, regress, progress,
    dose (sets/reps/hold_seconds/load_kg of ``slot``), swap (``slot`` to ``exercise_id``) or
    end (back to the engine)."""

    type: Literal["override"] = "override"
    day: dt.date
    kind: OverrideKind = OverrideKind.HOLD
    note: str = Field(default="", max_length=2000)

    def request(self) -> OverrideRequest:
        note = self.note or "(scripted override)"
        return OverrideRequest(kind=self.kind, note=note, **self.target())


Event = Annotated[
    SessionEvent
    | FollowPlanEvent
    | CheckInEvent
    | ClearanceEvent
    | EquipmentEvent
    | TimeOffEvent
    | SafetyEvent
    | OverrideEvent,
    Field(discriminator="type"),
]


class SimulationScript(Frozen):
    start: dt.date
    screening: ScreeningAnswers
    initial_state: ProgramState | None = Field(
        default=None,
        description="Start from this program state (e.g. Phase 2 at given loads) instead of "
        "the screening's Phase 1 start",
    )
    events: tuple[Event, ...] = ()


class SimulationStep(Frozen):
    day: dt.date
    event: str
    decision: Decision


class SimulationResult(Frozen):
    screening: ScreeningResult
    steps: tuple[SimulationStep, ...]
    history: History


def simulate(script: SimulationScript, catalog: Catalog) -> SimulationResult:
    """Replay the script day by day; the engine decides after each session and check-in.

    On each day: equipment changes, clearances and check-ins first (a morning check-in comes
    before the day's training), then that day's sessions, explicit or following the plan, then
    evening check-ins (``morning: false``). A follow_plan's next-morning check-in is decided on,
    as the app's check-in is; a screening that refers is decided on at the start.
    """
    history = History(screening=script.screening, screened_on=script.start)
    if script.initial_state is not None:
        seed = Decision(
            day=script.start,
            kind=DecisionKind.HOLD,
            reasons=(Reason(rule="simulate.initial_state", text="Scripted starting state."),),
            state=script.initial_state,
        )
        history = history.model_copy(update={"decisions": (seed,)})
    run = _Run(history, catalog)
    refers = screen(script.screening, catalog).outcome is not ScreeningOutcome.START
    if script.initial_state is None and refers:
        run.decide(script.start, "screening")  # as the app does: stop before any training
    if not script.events:
        return SimulationResult(
            screening=screen(script.screening, catalog), steps=(), history=run.history
        )
    plans = [e for e in script.events if isinstance(e, FollowPlanEvent)]
    others = sorted(
        (e for e in script.events if not isinstance(e, FollowPlanEvent)),
        key=lambda e: (e.day, _ORDER[e.type]),
    )
    breaks = [e for e in script.events if isinstance(e, TimeOffEvent)]
    last = max(
        [e.day for e in others]
        + [p.day + dt.timedelta(days=p.days) for p in plans]
        + [b.day + dt.timedelta(days=b.days) for b in breaks]
    )
    day = min(e.day for e in script.events)
    while day <= last:
        for event in (e for e in others if e.day == day and not _after_training(e)):
            run.apply(event)
        for checkin in run.pending_checkins.pop(day, []):
            run.add_checkin(checkin)
            run.decide(day, "morning check-in")
        for gap in breaks:
            if gap.day + dt.timedelta(days=gap.days) == day:
                run.back_from(gap, day)
        for session_event in (e for e in others if e.day == day and e.type == "session"):
            run.apply(session_event)
        away = any(b.day <= day < b.day + dt.timedelta(days=b.days) for b in breaks)
        for plan_event in plans:
            if not away and plan_event.day <= day < plan_event.day + dt.timedelta(
                days=plan_event.days
            ):
                run.follow_plan_on(plan_event, day)
        for evening in (e for e in others if e.day == day and _evening(e)):
            run.apply(evening)  # an evening check-in reports on that day's training
        for override in (e for e in others if e.day == day and e.type == "override"):
            run.apply(override)
        day += dt.timedelta(days=1)
    return SimulationResult(
        screening=screen(script.screening, catalog), steps=tuple(run.steps), history=run.history
    )


_ORDER = {
    "equipment": 0,
    "time_off": 1,
    "clearance": 2,
    "safety": 3,
    "checkin": 4,
    "session": 5,
    "follow_plan": 6,
    "override": 7,
}
_AFTER_TRAINING = ("session", "override")


def _evening(event: Event) -> bool:
    return isinstance(event, CheckInEvent) and not event.checkin.morning


def _after_training(event: Event) -> bool:
    return event.type in _AFTER_TRAINING or _evening(event)


class _Run:
    """The history so far and the decisions made; each event extends both."""

    def __init__(self, history: History, catalog: Catalog) -> None:
        self.history = history
        self.catalog = catalog
        self.steps: list[SimulationStep] = []
        self.pending_checkins: dict[dt.date, list[CheckIn]] = {}

    def decide(self, day: dt.date, label: str) -> None:
        decision = decide(self.history, self.catalog, day)
        self.history = self.history.model_copy(
            update={"decisions": (*self.history.decisions, decision)}
        )
        self.steps.append(SimulationStep(day=day, event=label, decision=decision))

    def add_session(self, log: SessionLog) -> None:
        self.history = self.history.model_copy(update={"sessions": (*self.history.sessions, log)})

    def add_checkin(self, checkin: CheckIn) -> None:
        self.history = self.history.model_copy(
            update={"checkins": (*self.history.checkins, checkin)}
        )

    def apply(self, event: Event) -> None:
        if isinstance(event, SessionEvent):
            phase = current_state(self.history, self.catalog).phase
            self.add_session(
                SessionLog(
                    performed_on=event.day, phase=phase, sets=event.sets, completed=event.completed
                )
            )
            self.decide(event.day, "session")
        elif isinstance(event, CheckInEvent):
            self.add_checkin(event.checkin.model_copy(update={"day": event.day}))
            self.decide(event.day, "checkin")
        elif isinstance(event, ClearanceEvent):
            clearance = Clearance(day=event.day, note=event.note)
            self.history = self.history.model_copy(
                update={"clearances": (*self.history.clearances, clearance)}
            )
            self.decide(event.day, "clearance")
        elif isinstance(event, EquipmentEvent):
            update: dict[str, object] = {"equipment": event.equipment}
            if event.owned is not None:
                update["owned"] = event.owned
            self.history = self.history.model_copy(update=update)
        elif isinstance(event, OverrideEvent):
            decision = make_override(self.history, self.catalog, event.day, event.request())
            self.history = self.history.model_copy(
                update={"decisions": (*self.history.decisions, decision)}
            )
            self.steps.append(SimulationStep(day=event.day, event="override", decision=decision))
        elif isinstance(event, SafetyEvent):
            answers = {f.id: f.id in event.yes for f in self.catalog.rules.red_flags.flags}
            self.add_checkin(CheckIn(day=event.day, red_flags=answers))
            self.decide(event.day, "safety questions")

    def back_from(self, event: TimeOffEvent, day: dt.date) -> None:
        """The check-in on the day training resumes, with the pain of the return."""
        if event.morning_pain is None:
            return
        regions = list(self.history.screening.pain) or [Region.LOW_BACK]
        self.add_checkin(CheckIn(day=day, pain=dict.fromkeys(regions, event.morning_pain)))
        self.decide(day, "check-in after the break")

    def follow_plan_on(self, event: FollowPlanEvent, day: dt.date) -> None:
        """Do the planned session of ``day``, if one is planned and the program runs."""
        if day.weekday() not in event.session_days:
            return
        state = planning_state(self.history, self.catalog, day)
        if state.stopped:
            return
        plan = build_plan(
            state,
            self.catalog,
            self.history.screening,
            list(event.session_days),
            day,
            latest_self_tests(self.history),
        )
        log = planned_session_log(plan, day, event, state.phase)
        if log is None:
            return
        self.add_session(log)
        self.decide(day, "session (follows plan)")
        if event.morning_pain is not None:
            regions = list(self.history.screening.pain) or [Region.LOW_BACK]
            morning = day + dt.timedelta(days=1)
            self.pending_checkins.setdefault(morning, []).append(
                CheckIn(day=morning, pain=dict.fromkeys(regions, event.morning_pain))
            )


def planned_session_log(
    plan: Plan, day: dt.date, event: FollowPlanEvent, phase: int
) -> SessionLog | None:
    """The session a person would log doing exactly the plan, with the given effort and pain."""
    planned = session_for(plan, day)
    if planned is None:
        return None
    sets: list[SetLog] = []
    for prescription in planned.prescriptions:
        for index in range(1, prescription.sets + 1):
            reps = prescription.reps or 0
            sets.append(
                SetLog(
                    exercise_id=prescription.exercise_id,
                    side=prescription.side if prescription.side else Side.BOTH,
                    set_index=index,
                    reps=max(0, reps - event.reps_short_by) if reps else 0,
                    hold_seconds=prescription.hold_seconds,
                    load_kg=prescription.load_kg,
                    rpe=event.rpe,
                    felt_in=event.felt_in if prescription.role in {"main", "warmup"} else (),
                    felt_main=_main_area(event)
                    if prescription.role in {"main", "warmup"}
                    else None,
                    pain=event.pain,
                )
            )
    return SessionLog(performed_on=day, phase=phase, sets=tuple(sets), completed=True)


def _main_area(event: FollowPlanEvent) -> FeltIn | None:
    if event.felt_main is not None:
        return event.felt_main
    return event.felt_in[0] if len(event.felt_in) == 1 else None
