"""Sitting metrics per day or ISO week, in the SBRN 2017 terms (Tremblay 2017)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

LONG_BOUT_S = 30 * 60
"""Bouts this long or longer count towards "time in bouts >= 30 min" (SBRN 2017 metrics)."""


# --- metrics (SBRN 2017 terms) ------------------------------------------------------------


@dataclass(frozen=True)
class PeriodMetrics:
    """Sitting metrics for one day or one ISO week."""

    period: str  # "2026-11-25" or "2026-W48"
    start: dt.date
    days: int
    sitting_s: float
    bouts: int
    breaks: int
    skipped: int
    breaks_per_sedentary_hour: float
    mean_bout_s: float
    longest_bout_s: float
    long_bouts_s: float
    standing_s: float
    micro_exercises: int
    confirmed_breaks: int = 0
    """Breaks the person confirmed (Done on a reminder, "yes" on return); the rest of
    ``breaks`` are probable (an idle gap or a lock nobody answered for)."""
    denied_breaks: int = 0
    """Idle gaps the person said were no break ("stayed seated"): not in ``breaks``."""

    @property
    def probable_breaks(self) -> int:
        return self.breaks - self.confirmed_breaks


def metrics_json(metrics: Iterable[PeriodMetrics]) -> list[dict[str, Any]]:
    """The metrics as JSON-ready dicts (days as ISO text, probable breaks included)."""
    return [
        {**asdict(m), "start": m.start.isoformat(), "probable_breaks": m.probable_breaks}
        for m in metrics
    ]


def summarize(
    period: str,
    start: dt.date,
    bouts_s: Iterable[float],
    *,
    days: int = 1,
    breaks: int = 0,
    confirmed_breaks: int = 0,
    denied_breaks: int = 0,
    skipped: int = 0,
    standing_s: float = 0.0,
    micro_exercises: int = 0,
) -> PeriodMetrics:
    bouts = [max(0.0, b) for b in bouts_s]
    sitting = sum(bouts)
    hours = sitting / 3600
    return PeriodMetrics(
        period=period,
        start=start,
        days=days,
        sitting_s=sitting,
        bouts=len(bouts),
        breaks=breaks,
        skipped=skipped,
        breaks_per_sedentary_hour=(breaks / hours) if hours > 0 else 0.0,
        mean_bout_s=(sitting / len(bouts)) if bouts else 0.0,
        longest_bout_s=max(bouts, default=0.0),
        long_bouts_s=sum(b for b in bouts if b >= LONG_BOUT_S),
        standing_s=standing_s,
        micro_exercises=micro_exercises,
        confirmed_breaks=confirmed_breaks,
        denied_breaks=denied_breaks,
    )
