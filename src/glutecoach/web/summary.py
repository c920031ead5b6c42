"""The after-session summary in plain words: what was done, what went well, what changes
next time and why, when the next session is. The engine's reasons stay one tap away.

Presentation only: the decision is the engine's (``Coach.finish_session``); this module
words it for a person who has just finished training.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from glutecoach.core.models import Decision, DecisionKind, FeltIn, Plan, SetLog
from glutecoach.errors import InputError
from glutecoach.presentation import FELT_LABELS
from glutecoach.services import Coach
from glutecoach.web.views import decision_view

NEXT_TIME = {
    DecisionKind.ADVANCE: "Next time is a step harder.",
    DecisionKind.HOLD: "Next time stays the same: the same exercises and dose, done well again. "
    "The plan moves on once you have had enough good, pain-free sessions.",
    DecisionKind.REGRESS: "Next time is a little easier, so your body can settle.",
    DecisionKind.STOP_AND_REFER: "Please stop the program for now and see a clinician "
    "before you train again.",
}
GOOD_PAIN_MAX = 2


def session_summary(
    coach: Coach, session_id: int, today: dt.date, planned_sets: int | None
) -> dict[str, Any]:
    """What the summary page shows for a finished session of this person."""
    info = coach.session_info(session_id)
    if info is None:
        raise InputError(f"session: there is no session {session_id}")
    if not info.completed:
        raise InputError(f"session: session {session_id} is not finished yet")
    logged = coach.logged_sets(session_id)
    decision = decision_of(coach, info.day)
    return {
        "day": info.day,
        "done": done_in_words(coach, logged, planned_sets),
        "went_well": went_well(logged, planned_sets),
        "next_time": next_time(decision),
        "decision": decision_view(decision, str(coach.settings()["units"])) if decision else None,
        "next_session": next_session_day(coach, today),
    }


def decision_of(coach: Coach, day: dt.date) -> Decision | None:
    """The engine's latest decision of the session's day."""
    same_day = [d for d in coach.history().decisions if d.day == day]
    return same_day[-1] if same_day else None


def done_in_words(coach: Coach, logged: list[SetLog], planned_sets: int | None) -> list[str]:
    names = []
    for log in logged:
        name = coach.catalog.exercise(log.exercise_id).name
        if name not in names:
            names.append(name)
    count = len(logged)
    of = f" of {planned_sets} planned" if planned_sets else ""
    lines = [f"You did {count} set{'s' if count != 1 else ''}{of}."]
    if names:
        lines.append("Exercises: " + ", ".join(names) + ".")
    return lines


def went_well(logged: list[SetLog], planned_sets: int | None) -> list[str]:
    if not logged:
        return []
    good = []
    if planned_sets and len(logged) >= planned_sets:
        good.append("Every planned set done.")
    worst = max(log.pain for log in logged)
    if worst <= GOOD_PAIN_MAX:
        good.append(f"Pain stayed low (at most {worst}/10).")
    felt: Counter[FeltIn] = Counter(f for log in logged for f in log.felt_in)
    glutes = felt.get(FeltIn.GLUTES, 0)
    if glutes and glutes * 2 >= len(logged):
        good.append(f"You felt {glutes} of {len(logged)} sets in your glutes: the target.")
    elif felt:
        top, _ = felt.most_common(1)[0]
        good.append(
            f"Most sets were felt in: {FELT_LABELS.get(top.value, top.value).lower()}. "
            "The cues on each card help shift it to the glutes."
        )
    return good


def next_time(decision: Decision | None) -> list[str]:
    if decision is None:
        return ["No change was decided for this session."]
    lines = [NEXT_TIME[decision.kind]]
    lines += [f"{c.what}: {c.before} → {c.after}" for c in decision.changes]
    return lines


def next_session_day(coach: Coach, today: dt.date, this_week: Plan | None = None) -> dt.date | None:
    """The next planned session day after ``today`` (``this_week``: today's plan, if read)."""
    for start in (today, today + dt.timedelta(days=7)):
        plan = this_week if this_week is not None and start == today else coach.plan(start)
        later = [s.day for s in plan.sessions if s.day > today]
        if later:
            return min(later)
        if coach.state().stopped:
            return None
    return None
