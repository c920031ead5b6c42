"""2. The pain-monitoring model and the regression triggers, each naming what it points at.

A finding carries the exercises it implicates: pain during a set points at that exercise;
two hard sessions point at the exercises that were too hard or short of their prescribed rep
range in both; findings that cannot be pinned on one exercise (a next-morning flare, an evening
level, a weekly rise) point at every main exercise of the program.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import History, ProgramState, Reason, SessionLog
from glutecoach.core.pain import (
    checkin_level,
    lingering_pain,
    morning_flares,
    pain_rated,
    weekly_increases,
)
from glutecoach.core.program import slot_spec
from glutecoach.core.progression.state import state_in_force

WEEKLY_RULE_PAUSE = dt.timedelta(days=7)
# A next-morning flare is acted on even when the first decision after it comes days later (a
# Friday session, a Saturday-morning flare, the next session on Monday); each flare once.
FLARE_LOOKBACK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Finding:
    reason: Reason
    exercises: frozenset[str] | None  # None: every main exercise


def pain_findings(
    history: History, catalog: Catalog, sessions: list[SessionLog], today: dt.date
) -> list[Finding]:
    """Pain-model findings not yet acted on: each piece of evidence regresses once."""
    acted = {(r.rule, r.text) for d in history.decisions for r in d.reasons}
    weekly_recently = any(
        r.rule == "pain_model.weekly" and today - d.day < WEEKLY_RULE_PAUSE
        for d in history.decisions
        for r in d.reasons
    )
    return [
        f
        for f in _all_pain_findings(history, catalog, sessions, today)
        if (f.reason.rule, f.reason.text) not in acted
        and not (f.reason.rule == "pain_model.weekly" and weekly_recently)
    ]


def _during_findings(catalog: Catalog, sessions: list[SessionLog]) -> list[Finding]:
    limit = catalog.rules.pain_model.params.during_acceptable_max
    cite = catalog.cite(catalog.rules.pain_model.sources)
    out = []
    for session in sessions:
        hurt = sorted({s.exercise_id for s in session.sets if s.pain > limit})
        if not hurt:
            continue
        pain = max(s.pain for s in session.sets)
        names = ", ".join(catalog.exercise(e).name for e in hurt)
        out.append(
            Finding(
                Reason(
                    rule="pain_model.during",
                    text=f"Pain reached {pain}/10 during {names} on {session.performed_on}: "
                    f"above {limit}/10 is the high-risk zone.",
                    sources=cite,
                ),
                frozenset(hurt),
            )
        )
    return out


def _all_pain_findings(
    history: History, catalog: Catalog, sessions: list[SessionLog], today: dt.date
) -> list[Finding]:
    model = catalog.rules.pain_model
    params = model.params
    cite = catalog.cite(model.sources)
    out = _during_findings(catalog, sessions)
    screening_level = max((p.score for p in history.screening.pain.values()), default=0)
    recent = [s for s in history.sessions if today - s.performed_on <= dt.timedelta(days=2)]
    lookback = [s for s in history.sessions if today - s.performed_on <= FLARE_LOOKBACK]
    for flare in morning_flares(lookback, history.checkins, params, screening_level):
        if flare.morning_day > today:
            continue
        text = (
            f"Pain had not settled the morning after the session of {flare.session_day}: "
            f"{flare.morning}/10 against {flare.baseline}/10 before."
        )
        out.append(Finding(Reason(rule="pain_model.next_morning", text=text, sources=cite), None))
    session_days = {s.performed_on for s in recent}
    for checkin in history.checkins:
        level = checkin_level(checkin)
        if (
            not checkin.morning
            and checkin.day in session_days
            and checkin.day <= today
            and level > params.after_max
        ):
            text = (
                f"Pain was {level}/10 in the evening of {checkin.day}, after that day's "
                f"session: above {params.after_max}/10 after exercise is too much."
            )
            out.append(Finding(Reason(rule="pain_model.after", text=text, sources=cite), None))
    for trend in weekly_increases(history.checkins, today, params):
        text = (
            f"Your {trend.measure} rose week on week (mean {trend.previous_mean:.1f} "
            f"-> {trend.recent_mean:.1f}); it must not increase from week to week."
        )
        out.append(Finding(Reason(rule="pain_model.weekly", text=text, sources=cite), None))
    return out


def _hard_exercises(
    session: SessionLog, prescribed: ProgramState, catalog: Catalog, hard_rpe: float
) -> set[str]:
    """Main exercises too hard (RPE) or short of their prescribed range in this session.

    "Short" is judged against what was prescribed for that session: the bottom of the rep
    range for range-dosed exercises, the prescribed reps otherwise. A bridging step (extra reps
    before a coarse load jump) is never counted short.
    """
    out: set[str] = set()
    for item in prescribed.exercises:
        if slot_spec(item.slot).role != "main":
            continue
        logs = [s for s in session.sets if s.exercise_id == item.exercise_id]
        if not logs:
            continue
        if any(s.rpe is not None and s.rpe >= hard_rpe for s in logs):
            out.add(item.exercise_id)
            continue
        if item.bridging:
            continue
        dose = catalog.exercise(item.exercise_id).dose
        floor = item.reps or 0
        if slot_spec(item.slot).double_progression and dose.rep_range:
            floor = min(dose.rep_range[0], floor or dose.rep_range[0])
        if any(s.reps < floor for s in logs):
            out.add(item.exercise_id)
    return out


def hard_session_finding(
    history: History, catalog: Catalog, state: ProgramState, today: dt.date
) -> Finding | None:
    rule = catalog.rules.regression
    params = rule.params
    completed = [s for s in history.sessions if s.completed and s.performed_on <= today and s.sets]
    relevant = [s for s in completed if s.performed_on >= state.phase_started]
    last = relevant[-params.consecutive_hard_sessions :]
    if len(last) < params.consecutive_hard_sessions or not _any_new(history, last):
        return None
    hard: set[str] | None = None
    for session in last:
        found = _hard_exercises(
            session, state_in_force(history, catalog, session), catalog, params.hard_rpe
        )
        hard = found if hard is None else hard & found
    current = {e.exercise_id for e in state.exercises if slot_spec(e.slot).role == "main"}
    targets = (hard or set()) & current
    if not targets:
        return None
    names = ", ".join(sorted(catalog.exercise(e).name for e in targets))
    return Finding(
        Reason(
            rule="regression.hard_sessions",
            text=f"{params.consecutive_hard_sessions} sessions in a row with {names} at RPE "
            f"{params.hard_rpe:g}+ or below the prescribed rep range: deload (target about "
            f"{params.deload:.0%}).",
            sources=catalog.cite(rule.sources),
        ),
        frozenset(targets),
    )


def _any_new(history: History, sessions: list[SessionLog]) -> bool:
    if not history.decisions:
        return True
    last_day = history.decisions[-1].day
    return any(s.performed_on >= last_day for s in sessions[-1:])


def lingering_pain_reason(history: History, catalog: Catalog, today: dt.date) -> Reason | None:
    """No progression while pain stays above its pre-session level for more than a day."""
    rule = catalog.rules.pain_persistence
    screening_level = max((p.score for p in history.screening.pain.values()), default=0)
    found = lingering_pain(
        history.sessions, history.checkins, today, rule.params.settle_days, screening_level
    )
    if found is None:
        return None
    days = rule.params.settle_days
    return Reason(
        rule="pain_persistence",
        text=f"Your pain was still {found.level}/10 on {found.checkin_day}, above the "
        f"{found.baseline}/10 before your session of {found.session_day}: pain that stays up for "
        f"more than {'a day' if days == 1 else f'{days} days'} means no progression, so keep "
        "the current dose until it settles.",
        sources=catalog.cite(rule.sources),
    )


RESTING_WINDOW = dt.timedelta(days=3)


def resting_pain_reason(history: History, catalog: Catalog, today: dt.date) -> Reason | None:
    """No progression while the latest pain check-in (of the last few days) is in the high-risk
    zone, whatever the pain during the exercises was."""
    limit = catalog.rules.pain_model.params.after_max
    rated = [c for c in pain_rated(history.checkins) if today - RESTING_WINDOW <= c.day <= today]
    if not rated or checkin_level(rated[-1]) <= limit:
        return None
    level = checkin_level(rated[-1])
    settle = catalog.rules.screening.params.severe_pain_settle_days
    return Reason(
        rule="pain_model.resting",
        text=f"Your pain was {level}/10 on {rated[-1].day}: above {limit}/10 is the high-risk "
        "zone, so no progression: hold the dose and ease off. If it has not settled within "
        f"{settle} days, see a doctor or physiotherapist.",
        sources=catalog.cite(catalog.rules.pain_model.sources),
    )
