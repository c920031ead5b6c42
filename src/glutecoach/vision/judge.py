"""Judge one rep's metrics against its profile's checks: the faults, and how sure each one is.

A fault's confidence is the rep's tracking confidence times how clearly the metric is past the
threshold (0 right at it, 1 once past it by the check's uncertainty: what tracking error alone
can produce). Faults under the
profile's ``min_fault_confidence`` are reported as uncertain: shown, but never counted against
the rep (quality) or the progression gate (good-form reps).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from glutecoach.vision.form_model import Check


@dataclass(frozen=True)
class Verdict:
    faults: tuple[str, ...]
    uncertain: tuple[str, ...]
    confidence: dict[str, float]
    penalty: float


def fault_confidence(check: Check, value: float, tracking: float) -> float:
    clearly = min(1.0, max(0.0, check.excess(value) / check.margin))
    return round(max(0.0, min(1.0, tracking)) * clearly, 3)


def judge(
    metrics: dict[str, float], checks: Sequence[Check], tracking: float, min_confidence: float
) -> Verdict:
    """Faults that fired, split by confidence; the quality penalty of the confident ones."""
    confidence = {
        c.fault: fault_confidence(c, metrics[c.metric], tracking)
        for c in checks
        if c.fires(metrics.get(c.metric, float("nan")))
    }
    faults = tuple(f for f, p in confidence.items() if p >= min_confidence)
    uncertain = tuple(f for f, p in confidence.items() if p < min_confidence)
    penalty = sum(c.weight for c in checks if c.fault in faults)
    return Verdict(faults, uncertain, confidence, penalty)
