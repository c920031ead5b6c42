"""The progression engine: (history, catalog, today) -> Decision. Pure and deterministic.

Order of precedence, most protective first:

1. red flags (screening or a later check-in, not followed by a clinician's clearance) -> stop;
2. the pain-monitoring model and the regression triggers -> regress;
3. Phase 1: the gate to Phase 2, else the Phase 1 dose ladder -> advance or hold;
4. Phase 2: double progression per loaded slot -> advance or hold.

Every decision carries the rules that fired, in plain words, with their sources.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence

from glutecoach.core.catalog import Catalog, Exercise, GateDose, Increment, Rung
from glutecoach.core.models import (
    Change,
    Decision,
    DecisionKind,
    Equipment,
    ExerciseState,
    FeltIn,
    History,
    Phase,
    ProgramState,
    Reason,
    ScreeningOutcome,
    SelfTests,
    SessionLog,
    SetLog,
    Side,
)
from glutecoach.core.pain import (
    checkin_level,
    max_pain_during,
    morning_flares,
    weekly_increases,
)
from glutecoach.core.program import (
    load_increment,
    phase1_state,
    phase2_state,
    slot_spec,
    starting_load,
    usable,
)
from glutecoach.core.screening import fired_red_flags, refer_outcome, screen


def current_state(history: History, catalog: Catalog) -> ProgramState:
    if history.decisions:
        return history.decisions[-1].state
    return phase1_state(history.screening, catalog, history.screened_on)


def equipment_of(history: History) -> tuple[Equipment, ...]:
    return history.equipment or tuple(history.screening.equipment)


def unweighed_sessions(history: History, today: dt.date) -> list[SessionLog]:
    """Sessions up to ``today`` that no earlier decision has weighed yet."""
    weighed = Counter(day for d in history.decisions for day in d.weighed)
    out = []
    for session in history.sessions:
        if session.performed_on > today or not session.sets:
            continue
        if weighed[session.performed_on] > 0:
            weighed[session.performed_on] -= 1
            continue
        out.append(session)
    return out


# --- 1. red flags -------------------------------------------------------------------------


def _stop_decision(history: History, catalog: Catalog, today: dt.date) -> Decision | None:
    cleared_on = max((c.day for c in history.clearances if c.day <= today), default=None)
    state = current_state(history, catalog)
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
            reasons.extend(
                Reason(
                    rule=f"red_flags.{f.id}",
                    text=f"Check-in of {checkin.day}: you answered yes to: {f.question}",
                    sources=catalog.cite(f.sources),
                )
                for f in flags
            )
            refer = _worse(refer, refer_outcome(flags))
    if not reasons:
        return None
    return Decision(
        day=today,
        kind=DecisionKind.STOP_AND_REFER,
        reasons=tuple(reasons),
        state=state.model_copy(update={"stopped": True}),
        refer=refer,
    )


def _worse(a: ScreeningOutcome | None, b: ScreeningOutcome | None) -> ScreeningOutcome | None:
    if ScreeningOutcome.REFER_EMERGENCY in (a, b):
        return ScreeningOutcome.REFER_EMERGENCY
    return a or b


# --- 2. pain model and regression triggers ------------------------------------------------


WEEKLY_RULE_PAUSE = dt.timedelta(days=7)


def _pain_reasons(
    history: History, catalog: Catalog, sessions: list[SessionLog], today: dt.date
) -> list[Reason]:
    """Pain-model findings not yet acted on: each piece of evidence regresses once."""
    acted = {(r.rule, r.text) for d in history.decisions for r in d.reasons}
    weekly_recently = any(
        r.rule == "pain_model.weekly" and today - d.day < WEEKLY_RULE_PAUSE
        for d in history.decisions
        for r in d.reasons
    )
    return [
        r
        for r in _pain_findings(history, catalog, sessions, today)
        if (r.rule, r.text) not in acted and not (r.rule == "pain_model.weekly" and weekly_recently)
    ]


def _pain_findings(
    history: History, catalog: Catalog, sessions: list[SessionLog], today: dt.date
) -> list[Reason]:
    model = catalog.rules.pain_model
    params = model.params
    cite = catalog.cite(model.sources)
    reasons = []
    for session in sessions:
        pain = max_pain_during(session)
        if pain > params.during_acceptable_max:
            reasons.append(
                Reason(
                    rule="pain_model.during",
                    text=f"Pain reached {pain}/10 during the session of {session.performed_on}: "
                    f"above {params.during_acceptable_max}/10 is the high-risk zone.",
                    sources=cite,
                )
            )
    screening_level = max((p.score for p in history.screening.pain.values()), default=0)
    recent = [s for s in history.sessions if today - s.performed_on <= dt.timedelta(days=2)]
    for flare in morning_flares(recent, history.checkins, params, screening_level):
        if flare.morning_day > today:
            continue
        reasons.append(
            Reason(
                rule="pain_model.next_morning",
                text=f"Pain had not settled the morning after the session of "
                f"{flare.session_day}: {flare.morning}/10 against {flare.baseline}/10 before.",
                sources=cite,
            )
        )
    session_days = {s.performed_on for s in recent}
    for checkin in history.checkins:
        level = checkin_level(checkin)
        if (
            not checkin.morning
            and checkin.day in session_days
            and checkin.day <= today
            and level > params.after_max
        ):
            reasons.append(
                Reason(
                    rule="pain_model.after",
                    text=f"Pain was {level}/10 in the evening of {checkin.day}, after that day's "
                    f"session: above {params.after_max}/10 after exercise is too much.",
                    sources=cite,
                )
            )
    for trend in weekly_increases(history.checkins, today, params):
        reasons.append(
            Reason(
                rule="pain_model.weekly",
                text=f"Your {trend.measure} rose week on week (mean {trend.previous_mean:.1f} "
                f"-> {trend.recent_mean:.1f}); it must not increase from week to week.",
                sources=cite,
            )
        )
    return reasons


def _is_hard(session: SessionLog, state: ProgramState, hard_rpe: float) -> bool:
    main = {e.exercise_id: e for e in state.exercises if slot_spec(e.slot).role == "main"}
    for log in session.sets:
        target = main.get(log.exercise_id)
        if target is None:
            continue
        if log.rpe is not None and log.rpe >= hard_rpe:
            return True
        if target.reps is not None and log.reps < target.reps:
            return True
    return False


def _hard_session_reason(
    history: History, catalog: Catalog, state: ProgramState, today: dt.date
) -> Reason | None:
    rule = catalog.rules.regression
    params = rule.params
    completed = [s for s in history.sessions if s.completed and s.performed_on <= today and s.sets]
    since = state.phase_started
    relevant = [s for s in completed if s.performed_on >= since]
    last = relevant[-params.consecutive_hard_sessions :]
    if len(last) < params.consecutive_hard_sessions:
        return None
    if not all(_is_hard(s, state, params.hard_rpe) for s in last):
        return None
    if not _any_new(history, last):
        return None
    return Reason(
        rule="regression.hard_sessions",
        text=f"{params.consecutive_hard_sessions} sessions in a row reached RPE "
        f"{params.hard_rpe:g}+ or fell short of the reps: deload about "
        f"{params.deload:.0%}.",
        sources=catalog.cite(rule.sources),
    )


def _any_new(history: History, sessions: list[SessionLog]) -> bool:
    if not history.decisions:
        return True
    last_day = history.decisions[-1].day
    return any(s.performed_on >= last_day for s in sessions[-1:])


def _regress(
    state: ProgramState, catalog: Catalog, equipment: tuple[Equipment, ...], deload_only: bool
) -> tuple[ProgramState, list[Change]]:
    """One step back per main slot: easier variant, lower load, or 30 % less volume."""
    params = catalog.rules.regression.params
    increments = catalog.rules.equipment_increments.params
    rungs = catalog.rules.phase1_ladder.params.rungs
    changes: list[Change] = []
    updated: list[ExerciseState] = []
    for item in state.exercises:
        spec = slot_spec(item.slot)
        new = item
        if spec.role != "main":
            updated.append(item)
            continue
        exercise = catalog.exercise(item.exercise_id)
        increment = load_increment(exercise, equipment, increments)
        if item.load_kg > 0:
            new = item.model_copy(
                update={"load_kg": _lower_load(item.load_kg, increment, params.deload)}
            )
        elif spec.ladder and not deload_only:
            index = _rung_index(item, rungs)
            if index > 0:
                rung = rungs[index - 1]
                new = item.model_copy(
                    update={"sets": rung.sets, "reps": rung.reps, "hold_seconds": rung.hold_seconds}
                )
            else:
                new = _cut_volume(item, params.volume_cut)
        elif not deload_only and (easier := _chain_regression(item.exercise_id, catalog)):
            low = easier.dose.rep_range[0] if easier.dose.rep_range else easier.dose.reps
            new = item.model_copy(
                update={
                    "exercise_id": easier.id,
                    "reps": low,
                    "sets": easier.dose.sets,
                    "bridging": False,
                }
            )
        elif deload_only and item.reps is not None:
            new = item.model_copy(
                update={"reps": max(1, math.floor(item.reps * (1 - params.deload)))}
            )
        else:
            new = _cut_volume(item, params.volume_cut)
        if new != item:
            changes.append(_describe_change(item, new))
        updated.append(new)
    return state.model_copy(update={"exercises": tuple(updated)}), changes


def _chain_regression(exercise_id: str, catalog: Catalog) -> Exercise | None:
    """The easier variant one step back along the same chain (goblet -> bodyweight squat).

    A regression counts only if it lists this exercise among its progressions, so a step back
    never jumps to another slot's exercise (single-leg deadlift's regression is a bridge).
    """
    for candidate in catalog.exercise(exercise_id).regressions:
        easier = catalog.exercise(candidate)
        if exercise_id in easier.progressions:
            return easier
    return None


def _lower_load(load: float, increment: Increment | None, fraction: float) -> float:
    target = load * (1 - fraction)
    if increment is None:
        return round(target, 1)
    steps = math.floor((target - increment.first_kg) / increment.step_kg + 1e-9)
    if target < increment.first_kg:
        return 0.0
    return round(increment.first_kg + steps * increment.step_kg, 2)


def _cut_volume(item: ExerciseState, cut: float) -> ExerciseState:
    if item.sets > 1:
        return item.model_copy(update={"sets": max(1, math.ceil(item.sets * (1 - cut)))})
    if item.reps is not None and item.reps > 1:
        return item.model_copy(update={"reps": max(1, math.ceil(item.reps * (1 - cut)))})
    return item


def _rung_index(item: ExerciseState, rungs: Sequence[Rung]) -> int:
    best = 0
    for index, rung in enumerate(rungs):
        if item.sets >= rung.sets and (item.reps or 0) >= rung.reps:
            best = index
    return best


def _describe(item: ExerciseState) -> str:
    parts = [item.exercise_id, f"{item.sets}x{item.reps}" if item.reps else f"{item.sets} sets"]
    if item.hold_seconds:
        parts.append(f"hold {item.hold_seconds}s")
    if item.load_kg:
        parts.append(f"{item.load_kg:g} kg")
    return " ".join(parts)


def _describe_change(before: ExerciseState, after: ExerciseState) -> Change:
    return Change(slot=before.slot, what="dose", before=_describe(before), after=_describe(after))


# --- 3. Phase 1: gate and ladder ----------------------------------------------------------


def latest_self_tests(history: History) -> SelfTests:
    for checkin in reversed(history.checkins):
        if checkin.self_tests is not None:
            return checkin.self_tests
    return history.screening.self_tests


def _sets_for(sessions: Sequence[SessionLog], exercise_ids: set[str]) -> list[SetLog]:
    return [s for session in sessions for s in session.sets if s.exercise_id in exercise_ids]


def gate_conditions(
    history: History, catalog: Catalog, state: ProgramState, today: dt.date
) -> list[tuple[bool, str]]:
    """Each Phase 1 -> 2 condition with whether it holds and a plain description."""
    params = catalog.rules.phase_gate.params
    in_phase = [
        s
        for s in history.sessions
        if s.completed and s.sets and state.phase_started <= s.performed_on <= today
    ]
    days = (today - state.phase_started).days
    week = [s for s in in_phase if today - s.performed_on < dt.timedelta(days=7)]
    activation_ids = {e.exercise_id for e in state.exercises if slot_spec(e.slot).ladder}
    week_sets = _sets_for(week, activation_ids)
    conditions: list[tuple[bool, str]] = [
        (days >= params.min_days, f"{days} days in Phase 1 (at least {params.min_days})"),
        (
            len(in_phase) >= params.min_sessions,
            f"{len(in_phase)} Phase 1 sessions (at least {params.min_sessions})",
        ),
    ]
    conditions.append(_dose_condition(in_phase[-1:], params.target_dose, state, params.max_rpe))
    pain = max((s.pain for s in all_sets(week)), default=0)
    conditions.append(
        (
            pain <= params.max_pain_during,
            f"pain during exercise this week peaked at {pain}/10 "
            f"(at most {params.max_pain_during})",
        )
    )
    flares = morning_flares(
        [s for s in in_phase if today - s.performed_on < dt.timedelta(days=params.no_flare_days)],
        history.checkins,
        catalog.rules.pain_model.params,
        max((p.score for p in history.screening.pain.values()), default=0),
    )
    conditions.append(
        (
            not flares,
            f"{len(flares)} next-morning flares in the last "
            f"{params.no_flare_days} days (none allowed)",
        )
    )
    felt = [s for s in week_sets if s.felt_in]
    glute_share = (sum(FeltIn.GLUTES in s.felt_in for s in felt) / len(felt)) if felt else 0.0
    conditions.append(
        (
            bool(felt) and glute_share >= params.min_glute_feel_share,
            f"{glute_share:.0%} of this week's activation sets felt in the glutes "
            f"(at least {params.min_glute_feel_share:.0%})",
        )
    )
    formed = [s.form for s in week_sets if s.form is not None and s.form.reps_observed]
    if formed:
        good = sum(f.good_form_reps for f in formed) / sum(f.reps_observed for f in formed)
        conditions.append(
            (
                good >= params.min_good_form_share,
                f"camera: {good:.0%} of reps with good form "
                f"(at least {params.min_good_form_share:.0%})",
            )
        )
    conditions.extend(
        _self_test_conditions(
            latest_self_tests(history), params.min_bridge_symmetry, params.require_single_leg_stance
        )
    )
    return conditions


def all_sets(sessions: Sequence[SessionLog]) -> list[SetLog]:
    return [s for session in sessions for s in session.sets]


def _dose_condition(
    last: Sequence[SessionLog], target: dict[str, GateDose], state: ProgramState, max_rpe: float
) -> tuple[bool, str]:
    if not last:
        return False, "target dose not yet done (no Phase 1 session logged)"
    session = last[0]
    missing = []
    for exercise_id, dose in target.items():
        sets, reps, hold = dose.sets, dose.reps, dose.hold_seconds or 0
        variants = {exercise_id} | {
            e.exercise_id
            for e in state.exercises
            if e.slot == _slot_of(exercise_id) and slot_spec(e.slot).ladder
        }
        for side in _sides(session, variants):
            good = [
                s
                for s in session.sets
                if s.exercise_id in variants
                and s.side == side
                and s.reps >= reps
                and (s.hold_seconds or 0) >= hold
                and (s.rpe is None or s.rpe <= max_rpe)
            ]
            if len(good) < sets:
                missing.append(f"{exercise_id} {side.value}")
        if not _sides(session, variants):
            missing.append(exercise_id)
    text = (
        f"target dose done at RPE <= {max_rpe:g}"
        if not missing
        else (f"target dose not yet done at RPE <= {max_rpe:g}: {', '.join(missing)}")
    )
    return not missing, text


def _slot_of(exercise_id: str) -> str:
    return {"glute_bridge": "bridge", "clamshell": "clamshell"}.get(exercise_id, exercise_id)


def _sides(session: SessionLog, ids: set[str]) -> list[Side]:
    return sorted({s.side for s in session.sets if s.exercise_id in ids}, key=str)


def _self_test_conditions(
    tests: SelfTests, min_symmetry: float, require_stance: bool
) -> list[tuple[bool, str]]:
    out = []
    if require_stance:
        ok = tests.single_leg_stance_pelvic_drop is False and tests.single_leg_stance_pain is False
        out.append(
            (
                ok,
                "30 s single-leg stance with no pelvic drop and no pain"
                if ok
                else "30 s single-leg stance self-check not yet passed (no pelvic "
                "drop, no pain) - record the re-test at a check-in",
            )
        )
    left, right = tests.single_leg_bridge_reps_left, tests.single_leg_bridge_reps_right
    if left is None or right is None or max(left, right) == 0:
        out.append((False, "single-leg bridge test not yet recorded for both sides"))
    else:
        symmetry = min(left, right) / max(left, right)
        out.append(
            (
                symmetry >= min_symmetry,
                f"single-leg bridge symmetry {symmetry:.0%} (at least {min_symmetry:.0%})",
            )
        )
    return out


def _ladder_step(
    state: ProgramState, catalog: Catalog, session: SessionLog
) -> tuple[ProgramState, list[Change]]:
    params = catalog.rules.phase1_ladder.params
    changes = []
    updated = []
    for item in state.exercises:
        new = item
        if slot_spec(item.slot).ladder and _ladder_done(
            item, session, params.max_rpe, params.max_pain_during
        ):
            index = _rung_index(item, params.rungs)
            if index + 1 < len(params.rungs):
                rung = params.rungs[index + 1]
                new = item.model_copy(
                    update={"sets": rung.sets, "reps": rung.reps, "hold_seconds": rung.hold_seconds}
                )
        if new != item:
            changes.append(_describe_change(item, new))
        updated.append(new)
    return state.model_copy(update={"exercises": tuple(updated)}), changes


def _ladder_done(item: ExerciseState, session: SessionLog, max_rpe: float, max_pain: int) -> bool:
    logs = [s for s in session.sets if s.exercise_id == item.exercise_id]
    if not logs:
        return False
    sides = {s.side for s in logs}
    for side in sides:
        done = [
            s
            for s in logs
            if s.side == side
            and s.reps >= (item.reps or 0)
            and (s.hold_seconds is None or s.hold_seconds >= (item.hold_seconds or 0))
        ]
        if len(done) < item.sets:
            return False
    quality = all(
        (s.rpe is None or s.rpe <= max_rpe)
        and s.pain <= max_pain
        and (not s.felt_in or FeltIn.GLUTES in s.felt_in)
        for s in logs
    )
    return quality


# --- 4. Phase 2: double progression -------------------------------------------------------


def _double_progression(
    state: ProgramState, catalog: Catalog, session: SessionLog, equipment: tuple[Equipment, ...]
) -> tuple[ProgramState, list[Change], list[Reason]]:
    rule = catalog.rules.double_progression
    params = rule.params
    increments = catalog.rules.equipment_increments.params
    changes: list[Change] = []
    notes: list[Reason] = []
    updated = []
    for item in state.exercises:
        new = item
        if slot_spec(item.slot).double_progression:
            logs = [s for s in session.sets if s.exercise_id == item.exercise_id]
            new, note = _progress_slot(item, logs, catalog, equipment, increments)
            if note:
                notes.append(
                    Reason(rule="double_progression", text=note, sources=catalog.cite(rule.sources))
                )
        if new != item:
            changes.append(_describe_change(item, new))
        updated.append(new)
    del params
    return state.model_copy(update={"exercises": tuple(updated)}), changes, notes


def _progress_slot(
    item: ExerciseState,
    logs: list[SetLog],
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    increments: dict[str, Increment],
) -> tuple[ExerciseState, str]:
    params = catalog.rules.double_progression.params
    exercise = catalog.exercise(item.exercise_id)
    if not logs:
        return item, ""
    low, high = exercise.dose.rep_range or (item.reps or 1, item.reps or 1)
    top = high + (params.bridge_extra_reps if item.bridging else 0)
    rpe_ok = all(s.rpe is None or s.rpe <= params.max_rpe_to_progress for s in logs)
    pain_ok = all(s.pain <= catalog.rules.phase_gate.params.max_pain_during for s in logs)
    felt = [s for s in logs if s.felt_in]
    glute_ok = not felt or (
        sum(FeltIn.GLUTES in s.felt_in for s in felt) / len(felt) >= params.min_glute_feel_share
    )
    forms = [s.form for s in logs if s.form is not None and s.form.reps_observed]
    form_ok = not forms or (
        sum(f.good_form_reps for f in forms) / sum(f.reps_observed for f in forms)
        >= params.min_good_form_share
    )
    name = exercise.name
    if not (rpe_ok and pain_ok and glute_ok and form_ok):
        why = [
            w
            for ok, w in (
                (rpe_ok, f"effort above RPE {params.max_rpe_to_progress:g}"),
                (pain_ok, f"pain above {catalog.rules.phase_gate.params.max_pain_during}/10"),
                (glute_ok, "not felt mainly in the glutes"),
                (form_ok, "form below target"),
            )
            if not ok
        ]
        return item, f"{name}: holding the dose ({', '.join(why)})."
    per_side = _min_reps_per_side(logs, item.sets)
    if per_side < top:
        target = min(top, max(item.reps or low, per_side + 1))
        if target > (item.reps or low):
            return item.model_copy(update={"reps": target}), ""
        return item, ""
    return _add_load(item, catalog, equipment, increments, low, high)


def _min_reps_per_side(logs: list[SetLog], sets: int) -> int:
    by_side: dict[object, list[int]] = {}
    for s in logs:
        by_side.setdefault(s.side, []).append(s.reps)
    worst = []
    for reps in by_side.values():
        if len(reps) < sets:
            return 0
        worst.append(min(sorted(reps, reverse=True)[:sets]))
    return min(worst, default=0)


def _add_load(
    item: ExerciseState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    increments: dict[str, Increment],
    low: int,
    high: int,
) -> tuple[ExerciseState, str]:
    params = catalog.rules.double_progression.params
    ex = catalog.exercise(item.exercise_id)
    harder = _chain_progression(item.exercise_id, catalog, equipment)
    if harder is not None:
        reps = harder.dose.rep_range[0] if harder.dose.rep_range else harder.dose.reps
        return item.model_copy(
            update={
                "exercise_id": harder.id,
                "reps": reps,
                "load_kg": starting_load(harder, equipment, catalog),
                "bridging": False,
            }
        ), ""
    increment = load_increment(ex, equipment, increments)
    if increment is None:
        return item, (
            f"{ex.name}: top of the rep range reached; add dumbbells or a kettlebell "
            "(glutecoach settings set equipment ...) to progress the load."
        )
    if item.load_kg == 0:
        return item.model_copy(
            update={"load_kg": increment.first_kg, "reps": low, "bridging": False}
        ), ""
    jump_pct = 100 * increment.step_kg / item.load_kg
    if jump_pct <= params.max_increase_pct or item.bridging:
        return item.model_copy(
            update={
                "load_kg": round(item.load_kg + increment.step_kg, 2),
                "reps": low,
                "bridging": False,
            }
        ), ""
    return item.model_copy(update={"bridging": True, "reps": high + params.bridge_extra_reps}), (
        f"{ex.name}: the next load step (+{increment.step_kg:g} kg) is a {jump_pct:.0f} % jump, "
        f"more than {params.max_increase_pct:g} %: first bridge it with "
        f"{params.bridge_extra_reps} extra reps."
    )


def _chain_progression(
    exercise_id: str, catalog: Catalog, equipment: tuple[Equipment, ...]
) -> Exercise | None:
    """The harder variant one step on along the same chain that the equipment allows."""
    for candidate in catalog.exercise(exercise_id).progressions:
        harder = catalog.exercise(candidate)
        if exercise_id in harder.regressions and usable(harder, equipment, catalog):
            return harder
    return None


# --- the decision -------------------------------------------------------------------------


def decide(history: History, catalog: Catalog, today: dt.date) -> Decision:
    """Advance, hold, regress or stop-and-refer, with every rule that fired and its source."""
    sessions = unweighed_sessions(history, today)
    decision = _decide(history, catalog, sessions, today)
    return decision.model_copy(update={"weighed": tuple(s.performed_on for s in sessions)})


def _decide(
    history: History, catalog: Catalog, sessions: list[SessionLog], today: dt.date
) -> Decision:
    stop = _stop_decision(history, catalog, today)
    if stop is not None:
        return stop
    state = current_state(history, catalog).model_copy(update={"stopped": False})
    equipment = equipment_of(history)
    pain = _pain_reasons(history, catalog, sessions, today)
    hard = _hard_session_reason(history, catalog, state, today) if sessions else None
    if pain or hard:
        new_state, changes = _regress(state, catalog, equipment, deload_only=not pain)
        reasons = (*pain, *([hard] if hard else []))
        return Decision(
            day=today,
            kind=DecisionKind.REGRESS,
            reasons=reasons,
            changes=tuple(changes),
            state=new_state,
        )
    if state.phase is Phase.REACTIVATE:
        return _phase1_decision(history, catalog, state, sessions, today)
    return _phase2_decision(catalog, state, sessions, equipment, today)


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
    if all(ok for ok, _ in conditions):
        new_state = phase2_state(history.screening, catalog, equipment_of(history), today)
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
        new_state, changes = _ladder_step(state, catalog, completed[-1])
        if changes:
            ladder = catalog.rules.phase1_ladder
            reason = Reason(
                rule="phase1_ladder",
                text="Every prescribed rep done at the target "
                "effort, with low pain, felt in the glutes: one step up the dose.",
                sources=catalog.cite(ladder.sources),
            )
            return Decision(
                day=today,
                kind=DecisionKind.ADVANCE,
                reasons=(reason, *unmet),
                changes=tuple(changes),
                state=new_state,
            )
    return Decision(day=today, kind=DecisionKind.HOLD, reasons=unmet, state=state)


def _phase2_decision(
    catalog: Catalog,
    state: ProgramState,
    sessions: list[SessionLog],
    equipment: tuple[Equipment, ...],
    today: dt.date,
) -> Decision:
    completed = [s for s in sessions if s.completed]
    if not completed:
        reason = Reason(rule="engine.no_new_session", text="No new session to weigh: keep going.")
        return Decision(day=today, kind=DecisionKind.HOLD, reasons=(reason,), state=state)
    new_state, changes, notes = _double_progression(state, catalog, completed[-1], equipment)
    rule = catalog.rules.double_progression
    if changes:
        reason = Reason(
            rule="double_progression",
            text="Top of the rep range reached at the "
            "target effort: more reps, or the next load step.",
            sources=catalog.cite(rule.sources),
        )
        return Decision(
            day=today,
            kind=DecisionKind.ADVANCE,
            reasons=(reason, *notes),
            changes=tuple(changes),
            state=new_state,
        )
    hold = Reason(
        rule="double_progression",
        text="Keep the current dose until every set "
        "reaches the top of the rep range at the target effort.",
        sources=catalog.cite(rule.sources),
    )
    return Decision(day=today, kind=DecisionKind.HOLD, reasons=(hold, *notes), state=state)
