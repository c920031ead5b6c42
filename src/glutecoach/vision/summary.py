"""Turn observed reps into the core's FormSummary (pure), and measure a set from a camera."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from glutecoach.core.models import FormSummary
from glutecoach.vision.models import FormBaseline, RepObservation


def _symmetry(reps: Sequence[RepObservation]) -> float | None:
    """min/max of the quality-weighted rep count per side; None unless both sides were seen."""
    per_side = {"left": 0.0, "right": 0.0}
    for rep in reps:
        if rep.side in per_side:
            per_side[rep.side] += rep.quality
    seen = {rep.side for rep in reps}
    if not {"left", "right"} <= seen:
        return None
    high = max(per_side.values())
    return 1.0 if high == 0 else round(min(per_side.values()) / high, 4)


def summarize(reps: Sequence[RepObservation], baseline: FormBaseline | None = None) -> FormSummary:
    """Share of reps with good form (no fault), mean hold, left/right symmetry, fault counts,
    and the person's clean-rep baseline (kept with the set log for their next camera set)."""
    good = sum(1 for rep in reps if not rep.faults)
    holds = [rep.hold_seconds for rep in reps if rep.hold_seconds > 0]
    faults = Counter(fault for rep in reps for fault in rep.faults)
    return FormSummary(
        reps_observed=len(reps),
        good_form_reps=good,
        good_form_share=round(good / len(reps), 4) if reps else 0.0,
        mean_hold_seconds=round(sum(holds) / len(holds), 3) if holds else None,
        symmetry=_symmetry(reps),
        faults=dict(sorted(faults.items())),
        source="camera",
        baseline=dict(baseline.metrics) if baseline is not None else {},
    )


def measure_set(
    exercise_id: str,
    source: str | int | Path,
    side: str | None = None,
    max_seconds: float | None = None,
    baseline: Mapping[str, float] | None = None,
) -> tuple[list[RepObservation], FormSummary]:
    """Run the camera coach on a camera index or a video/landmark file and summarise the set.

    ``baseline``: the person's clean-rep baseline from their last camera set of this exercise
    (``FormSummary.baseline``), used until this set shows its own first clean reps.
    Raises VisionError subclasses for bad input, and ViewProblem when the camera is badly placed.
    """
    from glutecoach.vision.errors import ViewProblem
    from glutecoach.vision.pipeline import analyze_source

    carried = FormBaseline(metrics=dict(baseline), reps_used=0) if baseline else None
    result = analyze_source(
        source, exercise_id, side=side, max_seconds=max_seconds, baseline=carried
    )
    if not result.view.ok:
        raise ViewProblem(result.view.advice)
    reps = list(result.reps)
    return reps, summarize(reps, result.baseline)
