"""The pain-monitoring model (Silbernagel 2007) as pure functions over logs and check-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean

from glutecoach.core.catalog import PainModelParams
from glutecoach.core.models import CheckIn, SessionLog


def max_pain_during(session: SessionLog) -> int:
    return max((s.pain for s in session.sets), default=0)


def checkin_level(checkin: CheckIn) -> int:
    """The worst region's pain in a check-in (0 when no region was rated)."""
    return max(checkin.pain.values(), default=0)


@dataclass(frozen=True)
class Flare:
    session_day: dt.date
    morning_day: dt.date
    baseline: int
    morning: int


def morning_flares(
    sessions: Iterable[SessionLog],
    checkins: tuple[CheckIn, ...],
    params: PainModelParams,
    baseline_default: int = 0,
) -> list[Flare]:
    """Sessions whose pain had not settled by the next morning's check-in.

    Baseline is the last check-in before the session day (or ``baseline_default``). Pain after
    exercise may rise, but it must settle by the next morning: a next-morning level at least
    ``morning_flare_margin`` (the NPRS minimal important change) above baseline is a flare.
    """
    flares = []
    for session in sessions:
        before = [c for c in checkins if c.day < session.performed_on]
        baseline = checkin_level(before[-1]) if before else baseline_default
        next_day = session.performed_on + dt.timedelta(days=1)
        mornings = [c for c in checkins if c.day == next_day and c.morning]
        if not mornings:
            continue
        level = checkin_level(mornings[-1])
        if level >= baseline + params.morning_flare_margin:
            flares.append(Flare(session.performed_on, next_day, baseline, level))
    return flares


@dataclass(frozen=True)
class WeeklyTrend:
    previous_mean: float
    recent_mean: float
    measure: str

    @property
    def rise(self) -> float:
        return self.recent_mean - self.previous_mean


def weekly_increases(
    checkins: tuple[CheckIn, ...], today: dt.date, params: PainModelParams
) -> list[WeeklyTrend]:
    """Pain or stiffness whose mean over the last 7 days rose above the 7 days before."""
    recent = [c for c in checkins if today - dt.timedelta(days=7) < c.day <= today]
    previous = [
        c for c in checkins if today - dt.timedelta(days=14) < c.day <= today - dt.timedelta(days=7)
    ]
    if len(recent) < 2 or len(previous) < 2:
        return []
    rises = []
    for measure, value in (("pain", checkin_level), ("stiffness", _stiffness)):
        trend = WeeklyTrend(
            previous_mean=fmean(value(c) for c in previous),
            recent_mean=fmean(value(c) for c in recent),
            measure=measure,
        )
        if trend.rise > params.weekly_increase_margin:
            rises.append(trend)
    return rises


def _stiffness(checkin: CheckIn) -> int:
    return checkin.stiffness
