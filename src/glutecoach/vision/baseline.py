"""The person's own form baseline: their first clean reps are the reference later reps are
judged against, as well as the catalog's fixed thresholds.

Bodies differ (a long femur, a wide pelvis, knees that sit a little in or out), so a fixed
threshold alone misses a rep that is clearly worse than the same person's good reps yet still
inside the population limit. Each calibrated check (``personal_margin`` in form_checks.yaml)
also fires when a rep is past the person's own clean-rep median by more than that margin, in the
fault's direction. The baseline only ever tightens a check, never loosens it: a fault past the
fixed threshold is a fault whatever the person's baseline, and a person whose first reps are all
faulty gets no baseline at all.

Within a set, the baseline is the median of the first ``BASELINE_REPS`` clean reps (no confident
fault, seen whole); reps after them are judged against it. Reps before it (and every rep of a set
that never shows that many clean reps) use a baseline carried from the person's earlier camera
set of the same exercise, when there is one (``FormSummary.baseline``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from glutecoach.vision.form_model import Check
from glutecoach.vision.judge import judge
from glutecoach.vision.models import FormBaseline, RepObservation

BASELINE_REPS = 3


def personal_checks(checks: Sequence[Check]) -> list[Check]:
    return [c for c in checks if c.personal_margin is not None]


def baseline_from_reps(
    reps: Sequence[RepObservation], checks: Sequence[Check]
) -> tuple[FormBaseline | None, int]:
    """The set's own baseline and the index of the last rep it used (0: none)."""
    names = sorted({c.metric for c in personal_checks(checks)})
    clean = [r for r in reps if r.clipped is None and not r.faults][:BASELINE_REPS]
    if not names or len(clean) < BASELINE_REPS:
        return None, 0
    metrics = {}
    for name in names:
        values = [r.metrics[name] for r in clean if name in r.metrics]
        if len(values) == BASELINE_REPS:
            metrics[name] = round(float(np.median(values)), 4)
    if not metrics:
        return None, 0
    return FormBaseline(metrics=metrics, reps_used=BASELINE_REPS), clean[-1].index


def tightened(check: Check, reference: Mapping[str, float]) -> Check:
    """The check with its threshold moved to the person's own limit where that is stricter."""
    base = reference.get(check.metric)
    if check.personal_margin is None or base is None or base != base:
        return check
    if check.fault_if == "above":
        threshold = min(check.threshold, base + check.personal_margin)
    else:
        threshold = max(check.threshold, base - check.personal_margin)
    return (
        check if threshold == check.threshold else check.model_copy(update={"threshold": threshold})
    )


def rejudge(
    rep: RepObservation,
    checks: Sequence[Check],
    reference: Mapping[str, float],
    min_confidence: float,
) -> RepObservation:
    """The rep judged against the person's own baseline as well as the fixed thresholds."""
    personal = [tightened(c, reference) for c in checks]
    nan = float("nan")
    if not any(p.fires(rep.metrics.get(p.metric, nan)) for p in personal):
        return rep  # nothing fires even by the stricter limits: nothing fired before either
    verdict = judge(rep.metrics, personal, rep.tracking_confidence, min_confidence)
    fixed = {c.fault for c in checks if c.fires(rep.metrics.get(c.metric, float("nan")))}
    return rep.model_copy(
        update={
            "faults": verdict.faults,
            "uncertain_faults": verdict.uncertain,
            "fault_confidence": verdict.confidence,
            "quality": round(max(0.0, 1.0 - verdict.penalty), 3),
            "calibrated_faults": tuple(f for f in verdict.faults if f not in fixed),
        }
    )


def apply_baseline(
    reps: Sequence[RepObservation],
    checks: Sequence[Check],
    min_confidence: float,
    carried: FormBaseline | None = None,
) -> tuple[list[RepObservation], FormBaseline | None]:
    """Reps judged against the person's baseline, and the baseline the set established (its
    own when it showed enough clean reps, else the carried one).

    The set's own baseline comes from reps that are clean by the carried baseline too, so a set
    done worse from the start is not taken as the new normal.
    """
    first = [
        rejudge(rep, checks, carried.metrics, min_confidence) if carried else rep for rep in reps
    ]
    own, last_used = baseline_from_reps(first, checks)
    if own is None:
        return first, carried
    out = [
        rejudge(rep, checks, own.metrics, min_confidence) if rep.index > last_used else judged
        for rep, judged in zip(reps, first, strict=True)
    ]
    return out, own
