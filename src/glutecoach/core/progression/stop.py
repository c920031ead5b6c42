"""1. Red flags: a yes at screening or at any later check-in (not followed by a clinician's
clearance) stops the program, with the urgency the flag's group calls for."""

from __future__ import annotations

import datetime as dt

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import Decision, DecisionKind, History, Reason, ScreeningOutcome
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


def worse(a: ScreeningOutcome | None, b: ScreeningOutcome | None) -> ScreeningOutcome | None:
    if ScreeningOutcome.REFER_EMERGENCY in (a, b):
        return ScreeningOutcome.REFER_EMERGENCY
    return a or b
