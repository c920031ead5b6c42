"""The progression engine: (history, catalog, today) -> Decision. Pure and deterministic.

Split along the engine's order of precedence: ``stop`` (red flags), ``time_off`` (breaks),
``triggers`` and ``regress`` (pain model, hard sessions, stepping back), ``phase1`` (gate,
ladder, band), ``phase2`` (double progression within owned equipment), ``engine`` (the order),
``state`` (shared helpers), ``overrides`` (a clinician's override in force). Every decision
carries the rules that fired, with their sources.
"""

from glutecoach.core.progression.engine import decide, planning_state
from glutecoach.core.progression.overrides import active_override, override_line
from glutecoach.core.progression.phase1 import gate_conditions, latest_self_tests
from glutecoach.core.progression.state import (
    current_state,
    equipment_of,
    owned_of,
    unweighed_sessions,
)
from glutecoach.core.progression.time_off import breaks, red_flags_due

__all__ = [
    "active_override",
    "breaks",
    "current_state",
    "decide",
    "equipment_of",
    "gate_conditions",
    "latest_self_tests",
    "override_line",
    "owned_of",
    "planning_state",
    "red_flags_due",
    "unweighed_sessions",
]
