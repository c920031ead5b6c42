"""Progress summary: phase and its timeline, adherence, pain per region, load per exercise."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from pydantic import Field

from glutecoach.core.adherence import (
    Memo,
    SessionLike,
    WeekTally,
    monday_of,
    session_credits,
    tally_per_week,
)
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    CheckIn,
    Decision,
    DecisionKind,
    Frozen,
    History,
    Phase,
    ProgramState,
    Region,
    SessionLog,
)
from glutecoach.core.progression import current_state


class WeekAdherence(Frozen):
    week_start: dt.date
    planned: int = Field(description="Session days planned in the week")
    done: float = Field(
        description="Session-equivalents done: each finished session counts its share of the "
        "prescribed sets done (1 of 18 sets is 0.06)"
    )
    full: int = Field(default=0, description="Sessions with every prescribed set done")


class PainPoint(Frozen):
    day: dt.date
    region: Region | None = Field(description="None for pain during a session (worst set)")
    score: int
    source: str


class LoadPoint(Frozen):
    day: dt.date
    exercise_id: str
    load_kg: float
    reps: int
    sets: int


class TimelineEntry(Frozen):
    day: dt.date
    kind: DecisionKind
    phase: Phase
    summary: str
    reasons: tuple[str, ...]


class ProgressSummary(Frozen):
    phase: Phase
    phase_started: dt.date
    stopped: bool
    sessions_done: int
    adherence: tuple[WeekAdherence, ...]
    adherence_share: float | None
    pain: tuple[PainPoint, ...]
    pain_trend: dict[Region, float]
    loads: tuple[LoadPoint, ...]
    timeline: tuple[TimelineEntry, ...]


def adherence(
    history: History, catalog: Catalog, session_days: list[int], today: dt.date
) -> tuple[WeekAdherence, ...]:
    """Planned strength sessions vs the share of their prescribed sets done, week by week
    since the screening."""
    done = done_per_week(history, catalog)
    return weekly_adherence(done, history.screened_on, session_days, today)


def done_per_week(
    history: History,
    catalog: Catalog,
    memo: Memo | None = None,
    sessions: Sequence[SessionLike] | None = None,
) -> dict[dt.date, WeekTally]:
    """Finished sessions per week (keyed by its Monday), each counted by the share of its
    prescribed sets that were done (see :mod:`glutecoach.core.adherence`; ``memo`` and
    ``sessions`` as there)."""
    return tally_per_week(session_credits(history, catalog, memo, sessions))


def weekly_adherence(
    done_by_week: Mapping[dt.date, WeekTally],
    screened_on: dt.date,
    session_days: list[int],
    today: dt.date,
) -> tuple[WeekAdherence, ...]:
    """Week by week since ``screened_on``: planned session days vs sessions done
    (``done_by_week``: the share of prescribed sets done, per week's Monday)."""
    weekdays = set(session_days)
    full_week = sum(1 for d in range(7) if d in weekdays)
    weeks = []
    monday = monday_of(screened_on)
    while monday <= today:
        if monday >= screened_on and monday + dt.timedelta(days=6) <= today:
            planned = full_week  # a whole week between the screening and today
        else:
            planned = sum(
                1
                for offset in range(7)
                if (day := monday + dt.timedelta(days=offset)).weekday() in weekdays
                and screened_on <= day <= today
            )
        tally = done_by_week.get(monday, WeekTally())
        weeks.append(
            WeekAdherence.model_construct(
                week_start=monday,
                planned=planned,
                done=round(float(tally.credit), 2),
                full=tally.full,
            )
        )
        monday += dt.timedelta(days=7)
    return tuple(weeks)


def adherence_share(weeks: tuple[WeekAdherence, ...]) -> float | None:
    """Sessions done, by their share of prescribed sets (at most the planned sessions each
    week), over sessions planned."""
    planned = sum(w.planned for w in weeks)
    done = sum(min(w.done, w.planned) for w in weeks)
    return round(done / planned, 3) if planned else None


class Overview(Frozen):
    """The dashboard's numbers: what the progress summary says, without its long lists."""

    phase: Phase
    phase_started: dt.date
    stopped: bool
    sessions_done: int = Field(description="Sessions with every prescribed set done")
    adherence_share: float | None


def overview(
    state: ProgramState,
    done_by_week: Mapping[dt.date, WeekTally],
    screened_on: dt.date,
    session_days: list[int],
    today: dt.date,
) -> Overview:
    weeks = weekly_adherence(done_by_week, screened_on, session_days, today)
    return Overview(
        phase=state.phase,
        phase_started=state.phase_started,
        stopped=state.stopped,
        sessions_done=sum(t.full for t in done_by_week.values()),
        adherence_share=adherence_share(weeks),
    )


# The points below are built from already-validated History values, so they skip
# re-validation (model_construct): three years of history is ~13,000 points.


def screening_pain_points(history: History) -> list[PainPoint]:
    return [
        PainPoint.model_construct(
            day=history.screened_on, region=region, score=p.score, source="screening"
        )
        for region, p in history.screening.pain.items()
    ]


def checkin_pain_points(checkin: CheckIn) -> list[PainPoint]:
    return [
        PainPoint.model_construct(day=checkin.day, region=region, score=score, source="checkin")
        for region, score in checkin.pain.items()
    ]


def session_pain_point(session: SessionLog) -> PainPoint | None:
    """The worst pain during the session's sets (None for a session without sets)."""
    if not session.sets:
        return None
    worst = max(s.pain for s in session.sets)
    return PainPoint.model_construct(
        day=session.performed_on, region=None, score=worst, source="session"
    )


def sort_pain_points(points: Iterable[PainPoint]) -> tuple[PainPoint, ...]:
    """By day, then source, then region; stable, so equal keys keep the order given."""
    return tuple(sorted(points, key=lambda p: (p.day, p.source, str(p.region))))


def pain_points(history: History) -> tuple[PainPoint, ...]:
    points = screening_pain_points(history)
    for checkin in history.checkins:
        points.extend(checkin_pain_points(checkin))
    for session in history.sessions:
        point = session_pain_point(session)
        if point is not None:
            points.append(point)
    return sort_pain_points(points)


def pain_trend(points: tuple[PainPoint, ...], today: dt.date) -> dict[Region, float]:
    """Change in mean pain per region: last 14 days minus the 14 days before (negative = better)."""
    recent: dict[Region, list[int]] = defaultdict(list)
    before: dict[Region, list[int]] = defaultdict(list)
    for point in points:
        if point.region is None:
            continue
        age = (today - point.day).days
        if 0 <= age < 14:
            recent[point.region].append(point.score)
        elif 14 <= age < 28:
            before[point.region].append(point.score)
    return {
        region: round(
            sum(recent[region]) / len(recent[region]) - sum(before[region]) / len(before[region]), 2
        )
        for region in sorted(recent, key=str)
        if before.get(region)
    }


def session_load_points(session: SessionLog) -> list[LoadPoint]:
    """Per exercise of the session: the heaviest load, the most reps at it, the sets."""
    by_exercise: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for log in session.sets:
        by_exercise[log.exercise_id].append((log.load_kg, log.reps))
    points = []
    for exercise_id, sets in sorted(by_exercise.items()):
        load = max(load for load, _ in sets)
        reps = max(reps for load_, reps in sets if load_ == load)
        points.append(
            LoadPoint.model_construct(
                day=session.performed_on,
                exercise_id=exercise_id,
                load_kg=load,
                reps=reps,
                sets=len(sets),
            )
        )
    return points


def load_points(history: History) -> tuple[LoadPoint, ...]:
    return tuple(point for session in history.sessions for point in session_load_points(session))


def timeline_entry(decision: Decision) -> TimelineEntry:
    summary = "; ".join(f"{c.slot}: {c.before} -> {c.after}" for c in decision.changes)
    return TimelineEntry(
        day=decision.day,
        kind=decision.kind,
        phase=decision.state.phase,
        summary=summary or decision.kind.value,
        reasons=tuple(r.text for r in decision.reasons),
    )


def timeline(history: History) -> tuple[TimelineEntry, ...]:
    return tuple(timeline_entry(decision) for decision in history.decisions)


def summarize(
    history: History, catalog: Catalog, session_days: list[int], today: dt.date
) -> ProgressSummary:
    return assemble_summary(
        history,
        catalog,
        session_days,
        today,
        pain=pain_points(history),
        loads=load_points(history),
        entries=timeline(history),
    )


def recent_pain_points(points: tuple[PainPoint, ...], today: dt.date) -> list[PainPoint]:
    """The points of the 28 days up to ``today`` (``points`` sorted by day, as pain_points)."""
    first = today - dt.timedelta(days=27)
    recent = []
    for point in reversed(points):
        if point.day < first:
            break
        recent.append(point)
    return recent[::-1]


def assemble_summary(
    history: History,
    catalog: Catalog,
    session_days: list[int],
    today: dt.date,
    *,
    pain: tuple[PainPoint, ...],
    loads: tuple[LoadPoint, ...],
    entries: tuple[TimelineEntry, ...],
    done_by_week: Mapping[dt.date, WeekTally] | None = None,
) -> ProgressSummary:
    """The summary, given its long lists and the sessions done per week (built whole by
    :func:`summarize`, or grown with the history by a caller that keeps them)."""
    state = current_state(history, catalog)
    if done_by_week is None:
        done_by_week = done_per_week(history, catalog)
    weeks = weekly_adherence(done_by_week, history.screened_on, session_days, today)
    return ProgressSummary.model_construct(
        phase=state.phase,
        phase_started=state.phase_started,
        stopped=state.stopped,
        sessions_done=sum(t.full for t in done_by_week.values()),
        adherence=weeks,
        adherence_share=adherence_share(weeks),
        pain=pain,
        pain_trend=pain_trend(tuple(recent_pain_points(pain, today)), today),
        loads=loads,
        timeline=entries,
    )
