"""Who needs the clinician first: red flags, pain flares, stalled progression, missed sessions.

Plain values in, plain values out (no database, no clock): the dashboard hands over each
patient's decisions, progress summary and ``today``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from glutecoach.core.models import Decision, DecisionKind
from glutecoach.core.progress import ProgressSummary
from glutecoach.core.progression.overrides import OVERRIDE_RULE

FLARE_DAYS = 14
STALLED_DAYS = 21
MISSED_DAYS = 7
# Lower is more urgent; a patient is listed under their most urgent finding.
RED_FLAG, PAIN_FLARE, STALLED, MISSED, NOT_STARTED, ON_TRACK = range(6)


@dataclass(frozen=True)
class Attention:
    rank: int
    findings: tuple[str, ...] = field(default=())


def attention(
    decisions: list[Decision], summary: ProgressSummary | None, today: dt.date
) -> Attention:
    """The patient's most urgent finding first, and every finding in plain words."""
    if summary is None or not decisions:
        return Attention(NOT_STARTED, ("not screened yet",))
    found: list[tuple[int, str]] = []
    latest = decisions[-1]
    if latest.kind == DecisionKind.STOP_AND_REFER:
        found.append((RED_FLAG, f"red flag on {latest.day}: stop and see a clinician"))
    flares = [
        d
        for d in decisions
        if d.kind == DecisionKind.REGRESS
        and (today - d.day).days <= FLARE_DAYS
        and not _clinicians(d)
    ]
    if flares:
        found.append((PAIN_FLARE, f"pain flare: stepped back on {flares[-1].day}"))
    if _stalled(decisions, today):
        found.append((STALLED, f"no progression for {STALLED_DAYS}+ days"))
    last_session = max((p.day for p in summary.loads), default=None)
    since = last_session or summary.phase_started
    if not summary.stopped and (today - since).days > MISSED_DAYS:
        found.append((MISSED, f"no session since {since}"))
    if not found:
        return Attention(ON_TRACK, ("on track",))
    found.sort()
    return Attention(found[0][0], tuple(text for _, text in found))


def _stalled(decisions: list[Decision], today: dt.date) -> bool:
    """Only holds (no advance or regress) in the last STALLED_DAYS, over at least that long."""
    window_start = today - dt.timedelta(days=STALLED_DAYS)
    if decisions[0].day > window_start:
        return False
    recent = [d for d in decisions if d.day >= window_start]
    return bool(recent) and all(d.kind == DecisionKind.HOLD for d in recent)


def _clinicians(decision: Decision) -> bool:
    """A step back the clinician chose (an override), not a flare."""
    return bool(decision.reasons) and decision.reasons[0].rule == OVERRIDE_RULE
