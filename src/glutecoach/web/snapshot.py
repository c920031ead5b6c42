"""Assemble what each page shows from the coach's use cases (view models, no rules)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

from glutecoach.chart_series import ChartSeries
from glutecoach.core.models import Plan, SetLog
from glutecoach.core.plan import session_for
from glutecoach.core.progress import ProgressSummary
from glutecoach.core.sedentary import PeriodMetrics
from glutecoach.errors import InputError
from glutecoach.presentation import describe_dose, side_label
from glutecoach.services import Coach
from glutecoach.web import charts, summary
from glutecoach.web.views import (
    current_step,
    decision_view,
    desk_chart,
    guided_steps,
    stop_exercise,
)

DESK_DAYS = 28
T = TypeVar("T")


def units(coach: Coach) -> str:
    return str(coach.settings()["units"])


def dashboard(coach: Coach, today: dt.date) -> dict[str, Any]:
    """Everything here depends only on the person's data: kept until it changes."""
    return memo(coach, ("dashboard", today), lambda: _dashboard(coach, today))


def _dashboard(coach: Coach, today: dt.date) -> dict[str, Any]:
    progress, last_decision, plan = coach.overview(today)
    planned = session_for(plan, today)
    sessions = coach.sessions_on(today)
    open_ids = [s.id for s in sessions if not s.completed]
    done, total = sets_progress(coach, today, open_ids[0], plan) if open_ids else (0, 0)
    unit = units(coach)
    return {
        "progress": progress,
        # any training at all, whole sessions or not (adherence counts sets, issue 12)
        "trained": progress.sessions_done > 0 or bool(progress.adherence_share),
        "planned": planned,
        "plan_notes": plan.notes,
        "done_today": any(s.completed for s in sessions),
        "in_progress": bool(open_ids),
        "sets_done": done,
        "sets_total": total,
        "next_session": summary.next_session_day(coach, today, plan),
        "last_decision": decision_view(last_decision, unit) if last_decision else None,
        "units": unit,
    }


def today(coach: Coach, day: dt.date) -> dict[str, Any]:
    plan = coach.plan(day)
    planned = session_for(plan, day)
    unit = units(coach)
    sessions = coach.sessions_on(day)
    open_ids = [s.id for s in sessions if not s.completed]
    session_id = open_ids[0] if open_ids else None
    logged = coach.logged_sets(session_id) if session_id is not None else []
    cards = []
    steps: list[dict[str, Any]] = []
    if planned is not None:
        steps = guided_steps(planned, coach.catalog, logged)
        for p in planned.prescriptions:
            cards.append(
                {
                    "p": p,
                    "e": coach.catalog.exercise(p.exercise_id),
                    "dose": describe_dose(p, unit),
                    "side": side_label(p.side),
                }
            )
    current = current_step(steps)
    return {
        "plan": plan,
        "planned": planned,
        "steps": steps,
        "current": current,
        "previous": logged[-1] if logged else None,
        "sets_total": len(steps),
        "sets_done": sum(1 for s in steps if s["done"]),
        "units": unit,
        "stop_pain": coach.catalog.rules.pain_model.params.during_acceptable_max,
        "safety_due": session_id is None and safety_due(coach, day),
        "flags": coach.catalog.rules.red_flags.flags,
        "cards": cards,
        "session_id": session_id,
        "finished": any(s.completed for s in sessions) and session_id is None,
        "logged": len(logged),
        "guide": json.dumps(
            {
                "steps": steps,
                "session_id": session_id,
                "units": unit,
                "stop_pain": coach.catalog.rules.pain_model.params.during_acceptable_max,
                "previous": logged[-1].model_dump(mode="json") if logged else None,
            }
        ),
    }


def desk_metrics(coach: Coach, day: dt.date) -> list[PeriodMetrics] | None:
    """Sitting metrics of the last four weeks, or None when the desk coach has logged nothing.

    Kept until the desk tables' row counts change (the desk daemon only ever adds rows).
    """
    return coach.desk_metrics(day, DESK_DAYS)


def memo(coach: Coach, name: Any, compute: Callable[[], T]) -> T:
    """Reuse a derived view until the person's data changes (when the coach has a cache)."""
    return coach.memo(name, compute)


def progress(coach: Coach, day: dt.date) -> dict[str, Any]:
    unit = units(coach)

    def build() -> tuple[Any, str]:
        def draw(done: ProgressSummary, series: ChartSeries) -> tuple[Any, str]:
            ranges = charts.progress_ranges(done, series, coach.catalog, unit, day)
            return done, _json(ranges)

        return coach.progress_charts(day, draw)

    done, ranges = memo(coach, ("progress-view", day, unit), build)
    desk = desk_metrics(coach, day)
    desk_json = _json(desk_chart(desk))
    return {
        "summary": done,
        "charts": ranges[:-1] + ', "desk": ' + desk_json + "}",
        "ranges": charts.RANGES,
        "default_range": charts.DEFAULT_RANGE,
        "has_desk": bool(desk),
        "units": unit,
        "timeline": list(reversed(done.timeline[-30:])),
    }


def safety_due(coach: Coach, day: dt.date) -> bool:
    """The weekly red-flag re-check is due before training (as `glutecoach session` asks)."""
    return coach.red_flags_due(day) and not coach.state().stopped


def start_session(coach: Coach, day: dt.date) -> int:
    """Open (or resume) the session of ``day``, when the plan has one (as the CLI does)."""
    if coach.todays_session(day) is None:
        raise InputError(
            "no session planned today: the program is paused until a clinician clears you"
        )
    resuming = any(not s.completed for s in coach.sessions_on(day))
    if not resuming and safety_due(coach, day):
        raise InputError(
            "red_flags: a week has passed, so the safety questions come first: answer them on "
            "the Today page (or POST /api/checkins with red_flags)"
        )
    return coach.open_session(day)


def open_session_id(coach: Coach, raw: str) -> int:
    """The id from a form, if it names this person's unfinished session."""
    try:
        session_id = int(raw)
    except ValueError:
        raise InputError(f"session_id: expected a session number (got {raw!r})") from None
    info = coach.session_info(session_id)
    if info is None:
        raise InputError(f"session_id: no session {session_id}")
    if info.completed:
        raise InputError(f"session_id: session {session_id} is already finished")
    return session_id


def _json(value: object) -> str:
    """JSON safe to put inside a <script> element."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def finished_session_id(coach: Coach, raw: str) -> int | None:
    """The id from a form when it names this person's finished session (a second Finish)."""
    if not raw.isdigit():
        return None
    info = coach.session_info(int(raw))
    return info.id if info is not None and info.completed else None


def sets_progress(
    coach: Coach, day: dt.date, session_id: int, plan: Plan | None = None
) -> tuple[int, int]:
    """Sets done so far (or stopped for pain) and sets prescribed in today's session
    (``plan``: the week's plan, when the caller has read it)."""
    planned = session_for(plan if plan is not None else coach.plan(day), day)
    if planned is None:
        return len(coach.logged_sets(session_id)), 0
    steps = guided_steps(planned, coach.catalog, coach.logged_sets(session_id))
    return sum(1 for s in steps if s["done"]), len(steps)


def log_guided_set(coach: Coach, session_id: int, log: SetLog) -> bool:
    """Save a set posted by the plain form, once: posting the same set again (a double tap,
    the back button) saves nothing more. True when pain says: stop this exercise today."""
    logged = coach.logged_sets(session_id)
    key = (log.exercise_id, log.side, log.set_index)
    if all((s.exercise_id, s.side, s.set_index) != key for s in logged):
        coach.log_set(session_id, log)
    return stop_exercise(log, coach.catalog)
