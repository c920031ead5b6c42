"""1. Red flags: a yes at screening or at any later check-in (not followed by a clinician's
clearance) stops the program, with the urgency the flag's group calls for. Pain that stays in
the high-risk zone past the settling time the screening stated refers soon as well."""

from __future__ import annotations

import datetime as dt
import itertools

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import Decision, DecisionKind, History, Reason, ScreeningOutcome
from glutecoach.core.pain import checkin_level, pain_rated
from glutecoach.core.progression.state import current_state
from glutecoach.core.screening import (
    advice_reason,
    fired_red_flags,
    red_flag_reasons,
    refer_outcome,
    screen,
)


def last_clearance(history: History, today: dt.date) -> dt.date | None:
    return max((c.day for c in history.clearances if c.day <= today), default=None)


def stop_decision(history: History, catalog: Catalog, today: dt.date) -> Decision | None:
    cleared_on = last_clearance(history, today)
    reasons: list[Reason] = []
    refer: ScreeningOutcome | None = None
    screened = history.latest_screening_on or history.screened_on
    if cleared_on is None or screened > cleared_on:
        result = screen(history.screening, catalog)
        if result.outcome is not ScreeningOutcome.START:
            reasons.extend(result.reasons)
            refer = result.outcome
    for checkin in history.checkins:
        if checkin.day > today or (cleared_on is not None and checkin.day <= cleared_on):
            continue
        flags = fired_red_flags(checkin.red_flags, catalog)
        if flags:
            prefix = f"Check-in of {checkin.day}: you answered yes to"
            reasons.extend(red_flag_reasons(flags, catalog, prefix=prefix))
            refer = worse(refer, refer_outcome(flags))
    unsettled = unsettled_pain_reason(history, catalog, today, cleared_on)
    if unsettled is not None:
        reasons.append(unsettled)
        refer = worse(refer, ScreeningOutcome.REFER_SOON)
    if not reasons or refer is None:
        return None
    state = current_state(history, catalog)
    return Decision(
        day=today,
        kind=DecisionKind.STOP_AND_REFER,
        reasons=(advice_reason(refer, tuple(reasons)), *reasons),
        state=state.model_copy(update={"stopped": True, "refer": refer}),
        refer=refer,
    )


def unsettled_pain_reason(
    history: History, catalog: Catalog, today: dt.date, cleared_on: dt.date | None
) -> Reason | None:
    """Pain in the high-risk zone at every rating for ``severe_pain_settle_days`` or more (the
    screening's if it was severe, then each pain check-in, since any clearance): see someone."""
    params = catalog.rules.screening.params
    since = cleared_on or dt.date.min
    points: list[tuple[dt.date, int]] = []
    if history.screened_on > since:
        level = max((p.score for p in history.screening.pain.values()), default=0)
        points.append((history.screened_on, level))
    points += [
        (c.day, checkin_level(c)) for c in pain_rated(history.checkins) if since < c.day <= today
    ]
    run = list(itertools.takewhile(lambda p: p[1] >= params.severe_pain, reversed(points)))
    if not run or (run[0][0] - run[-1][0]).days < params.severe_pain_settle_days:
        return None
    start, last = run[-1][0], run[0][0]
    days = (last - start).days
    return Reason(
        rule="pain_model.not_settling",
        text=f"Your pain has stayed at {params.severe_pain}/10 or more at every rating from "
        f"{start} to {last} ({days} days): pain in the high-risk zone that has not settled "
        f"within {params.severe_pain_settle_days} days is for a clinician to look at.",
        sources=catalog.cite(catalog.rules.pain_model.sources),
        tell=f"pain of {params.severe_pain}/10 or more that has not settled for {days} days",
    )


def worse(a: ScreeningOutcome | None, b: ScreeningOutcome | None) -> ScreeningOutcome | None:
    if ScreeningOutcome.REFER_EMERGENCY in (a, b):
        return ScreeningOutcome.REFER_EMERGENCY
    return a or b
