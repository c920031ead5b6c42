"""A clinician's override of the engine's latest decision, as a value the engine then follows.

The override keeps the plan the person had before that decision: it is a new decision (kind
``hold``, rule ``clinician_override``, the clinician's note as its reason) carrying the
earlier program state. The engine starts from the latest decision's state, so it carries on
from the clinician's choice. A red flag is never overridden (a clearance lifts it).
"""

from __future__ import annotations

import datetime as dt

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import Decision, DecisionKind, History, Reason
from glutecoach.core.program import phase1_state

OVERRIDE_RULE = "clinician_override"


class OverrideRefused(ValueError):
    """The latest decision cannot be overridden (none yet, or a red flag)."""


def override_decision(history: History, catalog: Catalog, day: dt.date, note: str) -> Decision:
    """The decision that keeps the plan from before ``history``'s latest decision."""
    if not history.decisions:
        raise OverrideRefused("there is no decision yet (nothing to override)")
    latest = history.decisions[-1]
    if latest.kind == DecisionKind.STOP_AND_REFER:
        raise OverrideRefused(
            "a red flag is not overridden: record the person's clearance after examining them"
        )
    if len(history.decisions) >= 2:
        state = history.decisions[-2].state
    else:
        state = phase1_state(history.screening, catalog, history.screened_on)
    text = f"A clinician kept the previous plan instead of '{latest.kind.value}'"
    return Decision(
        day=day,
        kind=DecisionKind.HOLD,
        reasons=(Reason(rule=OVERRIDE_RULE, text=f"{text}: {note}" if note else text),),
        state=state,
    )
