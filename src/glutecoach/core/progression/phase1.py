"""3. Phase 1: the gate to Phase 2, else the dose ladder (then the band) after a clean session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from glutecoach.core.catalog import Catalog, GateDose
from glutecoach.core.equipment import bands_owned, next_band
from glutecoach.core.models import (
    Equipment,
    ExerciseState,
    History,
    OwnedEquipment,
    ProgramState,
    SelfTests,
    SessionLog,
    SetLog,
    Side,
)
from glutecoach.core.pain import morning_flares
from glutecoach.core.program import slot_spec
from glutecoach.core.progression.regress import rung_above
from glutecoach.core.progression.state import (
    felt_mainly_in_glutes,
    glute_share,
    state_in_force,
)
from glutecoach.core.progression.time_off import breaks


def latest_self_tests(history: History) -> SelfTests:
    return latest_self_tests_dated(history)[1]


def latest_self_tests_dated(history: History) -> tuple[dt.date, SelfTests]:
    for checkin in reversed(history.checkins):
        if checkin.self_tests is not None:
            return checkin.day, checkin.self_tests
    return history.latest_screening_on or history.screened_on, history.screening.self_tests


def all_sets(sessions: Sequence[SessionLog]) -> list[SetLog]:
    return [s for session in sessions for s in session.sets]


def training_weeks(sessions: Sequence[SessionLog], start: dt.date, today: dt.date) -> int:
    """Completed weeks since ``start`` (7-day blocks that have ended) with a session in them."""
    weeks = {(s.performed_on - start).days // 7 for s in sessions}
    done = (today - start).days + 1  # days elapsed, today included
    return sum(1 for w in weeks if 7 * (w + 1) <= done)


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
    weeks = training_weeks(in_phase, state.phase_started, today)
    week = [s for s in in_phase if today - s.performed_on < dt.timedelta(days=7)]
    week_sets = [s for session in week for s in _activation_sets(history, catalog, session)]
    conditions: list[tuple[bool, str]] = [
        (
            weeks >= params.min_training_weeks,
            f"{weeks} completed training weeks with sessions in Phase 1 "
            f"(at least {params.min_training_weeks})",
        ),
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
    share = glute_share(week_sets)
    conditions.append(
        (
            share is not None and share >= params.min_glute_feel_share,
            f"{share or 0:.0%} of this week's activation sets felt mainly in the glutes "
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
    tested_on, tests = latest_self_tests_dated(history)
    long_breaks = [
        b
        for b in breaks(history, catalog, today)
        if b.days >= params.retest_after_gap_days and b.last_trained >= state.phase_started
    ]
    if long_breaks and tested_on <= long_breaks[-1].last_trained:
        conditions.append(
            (
                False,
                f"self-tests re-done after your {long_breaks[-1].days}-day break (single-leg "
                "stance and single-leg bridge) - record them at a check-in",
            )
        )
    conditions.extend(
        _self_test_conditions(tests, params.min_bridge_symmetry, params.require_single_leg_stance)
    )
    return conditions


def _activation_sets(history: History, catalog: Catalog, session: SessionLog) -> list[SetLog]:
    """The session's sets of the activation (ladder) exercises prescribed when it was done, so
    a bridge logged just before the banded variant came in still counts."""
    prescribed = state_in_force(history, catalog, session)
    ids = {e.exercise_id for e in prescribed.exercises if slot_spec(e.slot).ladder}
    return [s for s in session.sets if s.exercise_id in ids]


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


def ladder_step(
    state: ProgramState,
    catalog: Catalog,
    session: SessionLog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
) -> tuple[ProgramState, list[tuple[ExerciseState, ExerciseState]]]:
    """One rung up after a clean session; at the top rung, the band (then a stronger band)."""
    params = catalog.rules.phase1_ladder.params
    pairs = []
    updated = []
    for item in state.exercises:
        new = item
        if slot_spec(item.slot).ladder and _ladder_done(
            item, session, params.max_rpe, params.max_pain_during
        ):
            rung = rung_above(item, params.rungs)
            if rung is not None:
                new = item.model_copy(
                    update={"sets": rung.sets, "reps": rung.reps, "hold_seconds": rung.hold_seconds}
                )
            else:
                new = band_step(item, catalog, equipment, owned)
        if new != item:
            pairs.append((item, new))
        updated.append(new)
    return state.model_copy(update={"exercises": tuple(updated)}), pairs


def band_step(
    item: ExerciseState,
    catalog: Catalog,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
) -> ExerciseState:
    """The banded variant of a bridge or clamshell, then the next stronger band owned, then
    the chain's next exercise (banded clamshell -> side-lying hip abduction)."""
    bands = bands_owned(equipment, owned, catalog)
    if not bands:
        return item
    exercise = catalog.exercise(item.exercise_id)
    if Equipment.BAND in exercise.equipment:
        stronger = next_band(item.band, bands)
        if stronger:
            return item.model_copy(update={"band": stronger})
        after = next(
            (
                p
                for p in exercise.progressions
                if Equipment.BAND not in catalog.exercise(p).equipment
                and item.exercise_id in catalog.exercise(p).regressions
            ),
            None,
        )
        return item.model_copy(update={"exercise_id": after, "band": None}) if after else item
    banded = next(
        (
            p
            for p in exercise.progressions
            if Equipment.BAND in catalog.exercise(p).equipment
            and item.exercise_id in catalog.exercise(p).regressions
        ),
        None,
    )
    if banded is None:
        return item
    return item.model_copy(update={"exercise_id": banded, "band": bands[0]})


def _ladder_done(item: ExerciseState, session: SessionLog, max_rpe: float, max_pain: int) -> bool:
    logs = [s for s in session.sets if s.exercise_id == item.exercise_id]
    if not logs:
        return False
    for side in {s.side for s in logs}:
        done = [
            s
            for s in logs
            if s.side == side
            and s.reps >= (item.reps or 0)
            and (s.hold_seconds is None or s.hold_seconds >= (item.hold_seconds or 0))
        ]
        if len(done) < item.sets:
            return False
    return all(
        (s.rpe is None or s.rpe <= max_rpe)
        and s.pain <= max_pain
        and felt_mainly_in_glutes(s) is not False
        for s in logs
    )
