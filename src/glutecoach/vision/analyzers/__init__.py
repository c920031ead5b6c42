"""One analyzer per exercise family, registered by name (profiles in form_checks.yaml use it)."""

from __future__ import annotations

from glutecoach.vision.analyzers.base import Analyzer, analyze_series
from glutecoach.vision.analyzers.bridge import BridgeAnalyzer
from glutecoach.vision.analyzers.clamshell import ClamshellAnalyzer
from glutecoach.vision.analyzers.holds import HalfKneelingStretchAnalyzer, SidePlankAnalyzer
from glutecoach.vision.analyzers.limb_raise import LimbRaiseAnalyzer
from glutecoach.vision.analyzers.single_leg_deadlift import SingleLegDeadliftAnalyzer
from glutecoach.vision.analyzers.squat import SquatAnalyzer
from glutecoach.vision.analyzers.step_up import StepUpAnalyzer

ANALYZERS: dict[str, Analyzer] = {
    a.name: a
    for a in (
        BridgeAnalyzer(),
        ClamshellAnalyzer(),
        SingleLegDeadliftAnalyzer(),
        SquatAnalyzer(),
        StepUpAnalyzer(),
        HalfKneelingStretchAnalyzer(),
        SidePlankAnalyzer(),
        LimbRaiseAnalyzer(),
    )
}

__all__ = ["ANALYZERS", "Analyzer", "analyze_series"]
