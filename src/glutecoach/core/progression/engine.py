"""The decision: (history, catalog, today) -> Decision, most protective rule first.

1. red flags (screening or a later check-in, not followed by a clinician's clearance) -> stop;
2. a return after a break -> the reduced dose its length calls for (never a progression);
3. the pain-monitoring model and the regression triggers -> regress what hurt or failed;
4. pain that rose over a break -> hold until it settles;
5. Phase 1: the gate to Phase 2, else the dose ladder and the band -> advance or hold;
6. Phase 2: double progression within the owned equipment -> advance or hold;
then a clinician's override in force holds what it holds (steps 1-3 set it aside).
"""

from __future__ import annotations

import datetime as dt

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    Change,
    Decision,
    DecisionKind,
    ExerciseState,
    History,
    Phase,
    ProgramState,
    Reason,
    SessionLog,
)
from glutecoach.core.pain import checkin_level
from glutecoach.core.program import phase2_state, slot_spec
from glutecoach.core.progression.overrides import respect_override
from glutecoach.core.progression.phase1 import gate_conditions, ladder_step
from glutecoach.core.progression.phase2 import double_progression
from glutecoach.core.progression.regress import changes_of, reduce_for_break, regress
from glutecoach.core.progression.state import (
    change_size,
    current_state,
    equipment_of,
    owned_of,
    unweighed_sessions,
)
from glutecoach.core.progression.stop import stop_decision
from glutecoach.core.progression.time_off import (
    dose_before_break,
    latest_checkin,
    ongoing_break,
    pain_rise_reason,
    return_break,
    return_reason,
)
from glutecoach.core.progression.triggers import (
    Finding,
    hard_session_finding,
    lingering_pain_reason,
    pain_findings,
    resting_pain_reason,
)

Pairs = list[tuple[ExerciseState, ExerciseState]]


def decide(history: History, catalog: Catalog, today: dt.date) -> Decision:
    """Advance, hold, regress or stop-and-refer, with every rule that fired and its source."""
    sessions = unweighed_sessions(history, today)
    decision = _decide(history, catalog, sessions, today)
    decision = respect_override(decision, current_state(history, catalog), history)
    return decision.model_copy(update={"weighed": tuple(s.performed_on for s in sessions)})


def planning_state(history: History, catalog: Catalog, today: dt.date) -> ProgramState:
    """The state to plan ``today`` from: during a break, the reduced dose a return would get."""
    state = current_state(history, catalog)
    gap = ongoing_break(history, catalog, today)
    if state.stopped or gap is None:
        return state
    cut = catalog.rules.time_off.params.cut_for(gap.days)
    if cut <= 0:  # a short break keeps the dose last trained: no progression before training
        return dose_before_break(state, history, catalog, gap)[0]
    return reduce_for_break(state, catalog, equipment_of(history), owned_of(history), cut)[0]


def _size_reason(catalog: Catalog, pairs: Pairs) -> Reason:
    sizes = "; ".join(
        f"{catalog.exercise(before.exercise_id).name}: {change_size(before, after)}"
        for before, after in pairs
    )
    return Reason(rule="regression.size", text=f"What changes: {sizes}.")


def _decide(
    history: History, catalog: Catalog, sessions: list[SessionLog], today: dt.date
) -> Decision:
    stop = stop_decision(history, catalog, today)
    if stop is not None:
        return stop
    state = current_state(history, catalog).model_copy(update={"stopped": False, "refer": None})
    equipment, owned = equipment_of(history), owned_of(history)
    reasons: list[Reason] = []
    pairs: Pairs = []
    cuts: Pairs = []
    gap = return_break(history, catalog, sessions, today)
    rise = pain_rise_reason(history, catalog, today)
    if gap is not None:
        cut = catalog.rules.time_off.params.cut_for(gap.days)
        if cut <= 0:  # the dose last trained, without a step up decided but never done
            state, pairs = dose_before_break(state, history, catalog, gap)
        else:
            state, pairs = reduce_for_break(state, catalog, equipment, owned, cut)
            cuts = pairs
        reasons.append(return_reason(catalog, gap, cut, withheld=cut <= 0 and bool(pairs)))
    findings = pain_findings(history, catalog, sessions, today)
    hard = hard_session_finding(history, catalog, state, today) if sessions else None
    if hard is not None:
        findings.append(hard)
    if findings:
        before = state
        state, stepped = _step_back(state, catalog, history, findings, hard)
        reasons.extend(f.reason for f in findings)
        if stepped:
            reasons.append(_size_reason(catalog, stepped))
        floor = _floor_reason(catalog, before, [f for f in findings if f is not hard], stepped)
        if floor is not None:
            reasons.append(floor)
        kind = DecisionKind.REGRESS if stepped or pairs else DecisionKind.HOLD
        return _decision(today, kind, reasons, [*pairs, *stepped], state, rise)
    if gap is not None:
        kind = DecisionKind.REGRESS if cuts else DecisionKind.HOLD
        return _decision(today, kind, reasons, pairs, state, rise)
    if rise is not None:
        return Decision(day=today, kind=DecisionKind.HOLD, reasons=(rise,), state=state)
    held = resting_pain_reason(history, catalog, today) or lingering_pain_reason(
        history, catalog, today
    )
    if held is not None:
        return Decision(day=today, kind=DecisionKind.HOLD, reasons=(held,), state=state)
    if state.phase is Phase.REACTIVATE:
        return _phase1_decision(history, catalog, state, sessions, today)
    return _phase2_decision(history, catalog, state, sessions, today)


def _floor_reason(
    catalog: Catalog, state: ProgramState, pain: list[Finding], stepped: Pairs
) -> Reason | None:
    """The painful exercises already at their gentlest dose: nothing easier to step back to."""
    moved = {before.slot for before, _ in stepped}
    aimed = [
        item
        for item in state.exercises
        if slot_spec(item.slot).role == "main"
        and item.slot not in moved
        and any(f.exercises is None or item.exercise_id in f.exercises for f in pain)
    ]
    if not aimed:
        return None
    names = ", ".join(catalog.exercise(item.exercise_id).name for item in aimed)
    limit = catalog.rules.pain_model.params.during_acceptable_max
    return Reason(
        rule="regression.floor",
        text=f"{names}: already at the gentlest dose, nothing easier to step back to, so the "
        f"dose is held. Move only in a range that keeps pain at or under {limit}/10 and stop "
        f"the set if it goes higher; if pain above {limit}/10 keeps coming back at this dose, "
        "see a doctor or physiotherapist.",
        sources=catalog.cite(catalog.rules.regression.sources),
    )


def _step_back(
    state: ProgramState,
    catalog: Catalog,
    history: History,
    findings: list[Finding],
    hard: Finding | None,
) -> tuple[ProgramState, Pairs]:
    """Regress what the pain findings point at, then deload what was too hard (once each)."""
    equipment, owned = equipment_of(history), owned_of(history)
    pain = [f for f in findings if f is not hard]
    stepped: Pairs = []
    if pain:
        targets: frozenset[str] | None = None
        if all(f.exercises is not None for f in pain):
            targets = frozenset().union(*(f.exercises or frozenset() for f in pain))
        state, stepped = regress(state, catalog, equipment, owned, targets, deload_only=False)
    if hard is not None and hard.exercises:
        done = {after.exercise_id for _, after in stepped} | {b.exercise_id for b, _ in stepped}
        remaining = frozenset(hard.exercises - done)
        if remaining:
            state, deloaded = regress(state, catalog, equipment, owned, remaining, True)
            stepped = [*stepped, *deloaded]
    return state, stepped


def _decision(
    today: dt.date,
    kind: DecisionKind,
    reasons: list[Reason],
    pairs: Pairs,
    state: ProgramState,
    rise: Reason | None,
) -> Decision:
    everything = (*reasons, rise) if rise is not None else tuple(reasons)
    return Decision(
        day=today, kind=kind, reasons=everything, changes=changes_of(pairs), state=state
    )


def _phase1_decision(
    history: History,
    catalog: Catalog,
    state: ProgramState,
    sessions: list[SessionLog],
    today: dt.date,
) -> Decision:
    gate = catalog.rules.phase_gate
    conditions = gate_conditions(history, catalog, state, today)
    cite = catalog.cite(gate.sources)
    equipment, owned = equipment_of(history), owned_of(history)
    if all(ok for ok, _ in conditions):
        new_state = phase2_state(history.screening, catalog, equipment, today, owned)
        reasons = tuple(
            Reason(rule="phase_gate", text=f"Met: {text}.", sources=cite) for _, text in conditions
        )
        change = Change(
            slot="phase", what="phase", before="1 (reactivate)", after="2 (build strength)"
        )
        return Decision(
            day=today,
            kind=DecisionKind.ADVANCE,
            reasons=reasons,
            changes=(change,),
            state=new_state,
        )
    unmet = tuple(
        Reason(rule="phase_gate", text=f"Not yet: {text}.", sources=cite)
        for ok, text in conditions
        if not ok
    )
    completed = [s for s in sessions if s.completed]
    if completed:
        new_state, pairs = ladder_step(state, catalog, completed[-1], equipment, owned)
        if pairs:
            ladder = [_ladder_reason(catalog, before, after) for before, after in pairs]
            return Decision(
                day=today,
                kind=DecisionKind.ADVANCE,
                reasons=(*ladder, *unmet),
                changes=changes_of(pairs),
                state=new_state,
            )
    resting = _no_session_reason(history, catalog, today) if not completed else None
    if resting is not None and resting.rule == "pain_model.resting":
        unmet = (resting, *unmet)
    return Decision(day=today, kind=DecisionKind.HOLD, reasons=unmet, state=state)


def _ladder_reason(catalog: Catalog, before: ExerciseState, after: ExerciseState) -> Reason:
    name = catalog.exercise(before.exercise_id).name
    clean = "every prescribed rep done at the target effort, with low pain, felt in the glutes"
    if after.exercise_id != before.exercise_id:
        step = f"top rung reached, on to {catalog.exercise(after.exercise_id).name}"
    elif after.band != before.band:
        step = f"top rung reached with the band, on to the {after.band} band"
    else:
        return Reason(
            rule="phase1_ladder",
            text=f"{name}: {clean}: one rung up the dose.",
            sources=catalog.cite(catalog.rules.phase1_ladder.sources),
        )
    return Reason(
        rule="band_progression",
        text=f"{name}: {clean}: {step}.",
        sources=catalog.cite(catalog.rules.band_progression.sources),
    )


def _phase2_decision(
    history: History,
    catalog: Catalog,
    state: ProgramState,
    sessions: list[SessionLog],
    today: dt.date,
) -> Decision:
    completed = [s for s in sessions if s.completed]
    rule = catalog.rules.double_progression
    cite = catalog.cite(rule.sources)
    if not completed:
        return Decision(
            day=today,
            kind=DecisionKind.HOLD,
            reasons=(_no_session_reason(history, catalog, today),),
            state=state,
        )
    new_state, pairs, moved, held = double_progression(
        state, catalog, completed[-1], equipment_of(history), owned_of(history)
    )
    held_reasons = [Reason(rule="double_progression", text=t, sources=cite) for t in held]
    if pairs:
        reasons = [Reason(rule="double_progression", text=t, sources=cite) for t in moved]
        return Decision(
            day=today,
            kind=DecisionKind.ADVANCE,
            reasons=(*reasons, *held_reasons),
            changes=changes_of(pairs),
            state=new_state,
        )
    hold = Reason(
        rule="double_progression",
        text="Keep the current dose until every set reaches the top of the rep range at the "
        "target effort.",
        sources=cite,
    )
    kept = tuple(held_reasons) or (hold,)
    return Decision(day=today, kind=DecisionKind.HOLD, reasons=kept, state=state)


def _no_session_reason(history: History, catalog: Catalog, today: dt.date) -> Reason:
    latest = latest_checkin(history, today)
    limit = catalog.rules.pain_model.params.after_max
    if latest is not None and latest.day == today and checkin_level(latest) > limit:
        settle = catalog.rules.screening.params.severe_pain_settle_days
        return Reason(
            rule="pain_model.resting",
            text=f"No new session to weigh, but your pain is {checkin_level(latest)}/10: above "
            f"{limit}/10 is the high-risk zone, so hold the dose and ease off today. If it has "
            f"not settled within {settle} days, see a doctor or physiotherapist.",
            sources=catalog.cite(catalog.rules.pain_model.sources),
        )
    return Reason(rule="engine.no_new_session", text="No new session to weigh: keep going.")
