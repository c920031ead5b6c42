"""The engine respects a clinician's override in force, except where safety comes first.

The override in force is the latest decision's ``override`` (core/override.py makes it). Each
new decision of the engine passes through :func:`respect_override`:

- a red flag (stop-and-refer) stops regardless, and any step back (the pain model, sessions
  that were too hard, a return after a break) regresses regardless: the override is set aside,
  and a reason says so and why (the clinician looks at the plan again);
- otherwise the slots the override holds keep the clinician's dose (an advance of them, or a
  move to Phase 2 while the whole plan is held, is held instead, and the reasons say what the
  engine would have done); the other slots follow the engine; the override stays in force,
  unless the program moves to a phase without the exercises it holds (then it lapses, said).
"""

from __future__ import annotations

from glutecoach.core.models import (
    ClinicianOverride,
    Decision,
    DecisionKind,
    ExerciseState,
    History,
    ProgramState,
    Reason,
)

OVERRIDE_RULE = "clinician_override"
SET_ASIDE_RULE = "clinician_override.set_aside"
HELD_RULE = "clinician_override.held"


def active_override(history: History) -> ClinicianOverride | None:
    """The clinician's override in force now (None: the engine decides alone)."""
    return history.decisions[-1].override if history.decisions else None


def override_line(override: ClinicianOverride) -> str:
    """ "Your physio set this on DAY: what. Note: ..." for plans, decisions and exports."""
    who = f" ({override.by})" if override.by else ""
    what = f": {override.summary}" if override.summary else ""
    return f"Your physio{who} set this on {override.day.isoformat()}{what}. Note: “{override.note}”"


def respect_override(decision: Decision, before: ProgramState, history: History) -> Decision:
    """``decision`` as the override in force allows it (``before``: the state it started from)."""
    override = active_override(history)
    if override is None:
        return decision
    if decision.kind in (DecisionKind.STOP_AND_REFER, DecisionKind.REGRESS):
        return _set_aside(decision, override)
    return _hold_pinned(decision, before, override)


def _why_set_aside(decision: Decision) -> str:
    rules = {r.rule for r in decision.reasons}
    if decision.kind == DecisionKind.STOP_AND_REFER:
        return "a red flag stops the program until a clinician has examined you"
    if any(rule.startswith("pain_model") for rule in rules):
        return "the pain-monitoring model stepped the plan back (pain comes first)"
    if any(rule.startswith("time_off") for rule in rules):
        return "the plan steps back after a break"
    return "sessions were too hard, so the plan steps back"


def _set_aside(decision: Decision, override: ClinicianOverride, why: str = "") -> Decision:
    reason = Reason(
        rule=SET_ASIDE_RULE,
        text=f"Your physio's override of {override.day.isoformat()} ({override.kind.value}"
        f"{': ' + override.summary if override.summary else ''}; note: “{override.note}”) is set "
        f"aside: {why or _why_set_aside(decision)}. Your physio will see this and can set a "
        "new one.",
        tell="A clinician's override was set aside (pain, a red flag, or a new phase).",
    )
    return decision.model_copy(update={"reasons": (*decision.reasons, reason), "override": None})


def _pinned(item: ExerciseState, override: ClinicianOverride) -> bool:
    return not override.slots or item.slot in override.slots


def _hold_pinned(decision: Decision, before: ProgramState, override: ClinicianOverride) -> Decision:
    held_reason = Reason(rule=OVERRIDE_RULE, text=override_line(override))
    phase_moved = decision.state.phase != before.phase
    if phase_moved and override.slots:
        # a new phase has other slots: a held exercise it keeps stays, the rest follows the
        # engine; when it keeps none, the override no longer applies
        if not any(decision.state.slot(slot) for slot in override.slots):
            phase = int(decision.state.phase)
            why = f"the program moved on to Phase {phase}, which no longer has that exercise"
            return _set_aside(decision, override, why)
        held = tuple(e for e in before.exercises if _pinned(e, override))
        state = decision.state.model_copy(
            update={
                "exercises": tuple(
                    next((h for h in held if h.slot == e.slot), e) for e in decision.state.exercises
                )
            }
        )
    elif phase_moved:
        state = before
    else:
        by_slot = {e.slot: e for e in before.exercises}
        state = decision.state.model_copy(
            update={
                "exercises": tuple(
                    by_slot.get(e.slot, e) if _pinned(e, override) else e
                    for e in decision.state.exercises
                )
            }
        )
    held_changes = tuple(
        c
        for c in decision.changes
        if (c.slot == "phase" and state.phase != decision.state.phase)
        or (c.slot != "phase" and state.slot(c.slot) != decision.state.slot(c.slot))
    )
    kept_changes = tuple(c for c in decision.changes if c not in held_changes)
    reasons = [held_reason, *decision.reasons]
    if held_changes:
        would = "; ".join(f"{c.slot}: {c.before} -> {c.after}" for c in held_changes)
        reasons.append(
            Reason(
                rule=HELD_RULE,
                text=f"Held by your physio's override (without it the engine would have "
                f"changed {would}).",
            )
        )
    kind = decision.kind
    if kind == DecisionKind.ADVANCE and not kept_changes:
        kind = DecisionKind.HOLD
    return decision.model_copy(
        update={
            "kind": kind,
            "state": state,
            "changes": kept_changes,
            "reasons": tuple(reasons),
            "override": override,
        }
    )
