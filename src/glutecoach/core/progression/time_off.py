"""Time off: breaks are a first-class input of the engine.

A break is a stretch of ``min_gap_days`` or more between two training days (or from the last
one to today). The return resumes at a dose cut by the break's length (detraining evidence);
a long break re-asks the red-flag questions and the self-tests before the gate; pain that rose
over the break means no progression until it settles.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from glutecoach.core.catalog import Catalog
from glutecoach.core.models import (
    CheckIn,
    ExerciseState,
    History,
    ProgramState,
    Reason,
    SessionLog,
)
from glutecoach.core.pain import checkin_level, pain_rated
from glutecoach.core.progression.regress import chain_regression
from glutecoach.core.progression.state import state_in_force, trained_sessions

RETURN_RULE = "time_off.return"


@dataclass(frozen=True)
class Break:
    last_trained: dt.date  # the last training day before the break
    resumed: dt.date  # the first training day after it (or today, while it lasts)
    ongoing: bool

    @property
    def days(self) -> int:
        return (self.resumed - self.last_trained).days


def breaks(history: History, catalog: Catalog, today: dt.date) -> list[Break]:
    """Every break so far, oldest first, including one still running today."""
    min_gap = catalog.rules.time_off.params.min_gap_days
    days = sorted({s.performed_on for s in trained_sessions(history, today)})
    out = [
        Break(a, b, ongoing=False) for a, b in itertools.pairwise(days) if (b - a).days >= min_gap
    ]
    if days and (today - days[-1]).days >= min_gap:
        out.append(Break(days[-1], today, ongoing=True))
    return out


def _acted_on(history: History, gap: Break) -> bool:
    return any(
        d.day > gap.last_trained and any(r.rule == RETURN_RULE for r in d.reasons)
        for d in history.decisions
    )


def return_break(
    history: History, catalog: Catalog, sessions: list[SessionLog], today: dt.date
) -> Break | None:
    """The break that the first new session ends, if no decision has acted on it yet."""
    if not sessions:
        return None
    first = min(s.performed_on for s in sessions)
    for gap in breaks(history, catalog, today):
        if not gap.ongoing and gap.resumed == first and not _acted_on(history, gap):
            return gap
    return None


def ongoing_break(history: History, catalog: Catalog, today: dt.date) -> Break | None:
    found = [b for b in breaks(history, catalog, today) if b.ongoing]
    return found[0] if found and not _acted_on(history, found[0]) else None


def return_reason(catalog: Catalog, gap: Break, cut: float, withheld: bool = False) -> Reason:
    rule = catalog.rules.time_off
    if cut <= 0:
        then = "Strength is largely kept over a break this short, so you resume at the same dose"
        then += " (no progression at this first session back) and build up by the usual rules."
    else:
        then = (
            f"Strength fades after a break of that length, so you resume at about {cut:.0%} "
            "less and build back up by the usual rules."
        )
    if withheld:
        then += (
            " The step up planned after your last session before the break waits: you start "
            "again from the dose you last trained."
        )
    if gap.days >= rule.params.recheck_red_flags_days:
        then += " After a break this long, answer the safety questions again before you train."
    return Reason(
        rule=RETURN_RULE,
        text=f"Welcome back: {gap.days} days without training (last session "
        f"{gap.last_trained}). {then}",
        sources=catalog.cite(rule.sources),
    )


def _level_before(history: History, day: dt.date) -> int:
    before = [c for c in pain_rated(history.checkins) if c.day <= day]
    if before:
        return checkin_level(before[-1])
    return max((p.score for p in history.screening.pain.values()), default=0)


def latest_checkin(history: History, today: dt.date) -> CheckIn | None:
    done = [c for c in history.checkins if c.day <= today]
    return done[-1] if done else None


def pain_rise_reason(history: History, catalog: Catalog, today: dt.date) -> Reason | None:
    """Pain up by the minimal important change since before the latest break (while returning)."""
    params = catalog.rules.time_off.params
    recent = [
        b
        for b in breaks(history, catalog, today)
        if b.ongoing or (today - b.resumed).days <= params.watch_days
    ]
    rated = [c for c in pain_rated(history.checkins) if c.day <= today]
    latest = rated[-1] if rated else None
    if not recent or latest is None or latest.day <= recent[-1].last_trained:
        return None
    before = _level_before(history, recent[-1].last_trained)
    now = checkin_level(latest)
    if now < before + params.pain_rise_margin:
        return None
    settle = catalog.rules.screening.params.severe_pain_settle_days
    return Reason(
        rule="time_off.pain_rise",
        text=f"Your pain is {now}/10 now against {before}/10 before your break: no progression "
        f"until it settles. If it has not settled within {settle} days, see a doctor or "
        "physiotherapist.",
        sources=catalog.cite(catalog.rules.pain_model.sources),
    )


def long_break_since_asked(history: History, catalog: Catalog, today: dt.date) -> bool:
    """A break long enough to re-ask the red flags, with no red-flag answers since it began."""
    params = catalog.rules.time_off.params
    days = [s.performed_on for s in trained_sessions(history, today)]
    if not days:
        return False
    last = max(days)
    gaps = [b for b in breaks(history, catalog, today) if b.days >= params.recheck_red_flags_days]
    if not gaps:
        return False
    since = gaps[-1].last_trained
    asked = any(c.red_flags and since < c.day <= today for c in history.checkins)
    return not asked and (gaps[-1].ongoing or gaps[-1].resumed >= last)


def red_flags_due(history: History, catalog: Catalog, today: dt.date, every_days: int = 7) -> str:
    """Why the red-flag questions should be asked today ('' when they need not be)."""
    screened = history.latest_screening_on or history.screened_on
    asked = [screened, *(c.day for c in history.checkins if c.red_flags)]
    if long_break_since_asked(history, catalog, today):
        return "after a long break: the safety questions again before you train"
    if (today - max(asked)).days >= every_days:
        return "it has been a week: the safety questions again before you train"
    params = catalog.rules.screening.params
    severe = any(p.score >= params.severe_pain for p in history.screening.pain.values())
    answered = sum(1 for c in history.checkins if c.red_flags and c.day >= screened)
    if severe and answered < params.severe_pain_recheck_checkins:
        return (
            "your pain was severe at screening: the safety questions again at your first check-ins"
        )
    return ""


def _harder(new: ExerciseState, old: ExerciseState, catalog: Catalog) -> bool:
    """Whether ``new`` is a step up from ``old`` in the same slot (load, band, volume, variant)."""
    if new.exercise_id != old.exercise_id:
        easier = chain_regression(new.exercise_id, catalog)
        return easier is not None and easier.id == old.exercise_id
    if new.load_kg != old.load_kg:
        return new.load_kg > old.load_kg
    order = catalog.rules.band_progression.params.order
    if new.band != old.band:
        return (
            order.index(new.band) > order.index(old.band)
            if new.band and old.band
            else bool(new.band)
        )
    work_new = new.sets * (new.reps or new.hold_seconds or 0)
    work_old = old.sets * (old.reps or old.hold_seconds or 0)
    return work_new > work_old


def dose_before_break(
    state: ProgramState, history: History, catalog: Catalog, gap: Break
) -> tuple[ProgramState, list[tuple[ExerciseState, ExerciseState]]]:
    """``state`` without the progressions decided at the last session before ``gap`` (never
    done): the first session back is at the dose last trained, not a step above it."""
    last = [
        s for s in trained_sessions(history, gap.last_trained) if s.performed_on == gap.last_trained
    ]
    if not last:
        return state, []
    trained = {item.slot: item for item in state_in_force(history, catalog, last[-1]).exercises}
    pairs = []
    kept = []
    for item in state.exercises:
        before = trained.get(item.slot)
        if before is not None and _harder(item, before, catalog):
            pairs.append((item, before))
            kept.append(before)
        else:
            kept.append(item)
    return state.model_copy(update={"exercises": tuple(kept)}), pairs
