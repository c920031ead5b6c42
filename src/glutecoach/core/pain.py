"""The pain-monitoring model (Silbernagel 2007) as pure functions over logs and check-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from glutecoach.core.catalog import PainModelParams
from glutecoach.core.models import CheckIn, SessionLog


def max_pain_during(session: SessionLog) -> int:
    return max((s.pain for s in session.sets), default=0)


def checkin_level(checkin: CheckIn) -> int:
    """The worst region's pain in a check-in (0 when no region was rated)."""
    return max(checkin.pain.values(), default=0)


def pain_spike(
    pain: Mapping[Any, int], checkins: Sequence[CheckIn], screening_pain: int, spike: int
) -> bool:
    """Whether these ratings are up by ``spike`` or more on the usual level: the last check-in
    that rated pain (a safety-questions-only one says nothing about pain), else the worst pain
    at screening. A spike re-asks the red-flag questions."""
    rated = pain_rated(checkins)
    baseline = checkin_level(rated[-1]) if rated else screening_pain
    return max(pain.values(), default=0) >= baseline + spike


def pain_rated(checkins: Iterable[CheckIn]) -> list[CheckIn]:
    """The check-ins that rated pain: a safety-questions-only check-in says nothing about pain,
    so it is never a 0/10 baseline (which would make the usual pain look like a flare)."""
    return [c for c in checkins if c.pain]


def _anything_rated(checkin: CheckIn) -> bool:
    return bool(checkin.pain) or checkin.stiffness > 0


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
        before = [c for c in pain_rated(checkins) if c.day < session.performed_on]
        baseline = checkin_level(before[-1]) if before else baseline_default
        next_day = session.performed_on + dt.timedelta(days=1)
        mornings = [c for c in pain_rated(checkins) if c.day == next_day and c.morning]
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
    """Pain or stiffness whose mean over the last 7 days rose above the 7 days before.

    Only check-ins that rated the measure count (safety answers alone rate neither)."""
    rises = []
    for measure, value, rated in (
        ("pain", checkin_level, pain_rated(checkins)),
        ("stiffness", _stiffness, [c for c in checkins if _anything_rated(c)]),
    ):
        recent = [c for c in rated if today - dt.timedelta(days=7) < c.day <= today]
        week_before = today - dt.timedelta(days=7)
        previous = [c for c in rated if week_before - dt.timedelta(days=7) < c.day <= week_before]
        if len(recent) < 2 or len(previous) < 2:
            continue
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


@dataclass(frozen=True)
class LingeringPain:
    session_day: dt.date
    checkin_day: dt.date
    baseline: int
    level: int


def lingering_pain(
    sessions: Iterable[SessionLog],
    checkins: tuple[CheckIn, ...],
    today: dt.date,
    settle_days: int,
    baseline_default: int = 0,
) -> LingeringPain | None:
    """Pain still above its level before the last session (before today), more than
    ``settle_days`` after it: the latest pain check-in in that span decides (Bennell: do not
    progress if pain stays up for more than a day)."""
    done = [s for s in sessions if s.completed and s.sets and s.performed_on < today]
    if not done:
        return None
    last = max(s.performed_on for s in done)
    rated = pain_rated(checkins)
    before = [c for c in rated if c.day < last]
    baseline = checkin_level(before[-1]) if before else baseline_default
    later = [c for c in rated if last + dt.timedelta(days=settle_days) < c.day <= today]
    if not later or checkin_level(later[-1]) <= baseline:
        return None
    return LingeringPain(last, later[-1].day, baseline, checkin_level(later[-1]))
