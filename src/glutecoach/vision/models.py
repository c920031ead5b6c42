"""Values the camera coach produces."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RepSide = Literal["left", "right", "both"]


class RepObservation(BaseModel):
    """One repetition (or one hold) seen by the camera."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int = Field(ge=1, description="1-based, in order of appearance")
    side: RepSide = "both"
    start_s: float = Field(ge=0)
    end_s: float = Field(ge=0)
    clipped: Literal["start", "end"] | None = Field(
        default=None, description="the recording began mid-rep (start) or stopped mid-rep (end)"
    )
    range_of_motion: float = Field(description="degrees, or a share of leg length; see unit")
    range_unit: str = "deg"
    hold_seconds: float = Field(ge=0, default=0.0)
    faults: tuple[str, ...] = Field(
        default=(), description="faults seen with confidence: they count against the rep"
    )
    uncertain_faults: tuple[str, ...] = Field(
        default=(), description="faults too uncertain to count (shown as 'possible')"
    )
    fault_confidence: dict[str, float] = Field(
        default_factory=dict, description="0-1 confidence of every fault that fired"
    )
    calibrated_faults: tuple[str, ...] = Field(
        default=(),
        description="faults that fired only against the person's own baseline (clean reps)",
    )
    quality: float = Field(ge=0, le=1)
    tracking_confidence: float = Field(ge=0, le=1)
    metrics: dict[str, float] = Field(default_factory=dict)


class Calibration(BaseModel):
    """The person's own rest and top in the exercise's phase signal, from their reps."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rest: float
    top: float
    reps_used: int = Field(ge=1)
    unit: str = Field(description="unit of the phase signal (deg, or a share of leg length)")


class FormBaseline(BaseModel):
    """The person's own clean-rep medians of the calibrated metrics (see vision/baseline.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metrics: dict[str, float]
    reps_used: int = Field(ge=0, description="clean reps of this set it comes from (0: carried)")


class ViewCheck(BaseModel):
    """Whether the camera sees what the exercise needs; advice when it does not."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: bool
    view: Literal["side", "front", "oblique", "unknown"]
    tracked_share: float = Field(ge=0, le=1)
    missing_joints: tuple[str, ...] = ()
    skipped_checks: tuple[str, ...] = ()
    wrong_exercise: str = Field(
        default="", description="set when the posture does not match the exercise chosen"
    )
    advice: str = ""


class AnalysisResult(BaseModel):
    """Everything one analysis returns: the reps, the view check, and the frame timeline."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exercise: str
    profile: str
    source: str
    fps: float
    frames: int
    view: ViewCheck
    reps: tuple[RepObservation, ...] = ()
    partial_reps: tuple[RepObservation, ...] = Field(
        default=(), description="reps cut by the recording's edges without their top: not counted"
    )
    calibration: Calibration | None = None
    baseline: FormBaseline | None = Field(
        default=None, description="the person's own clean-rep baseline the faults were judged by"
    )
    phase_now: float | None = Field(
        default=None,
        description="the last frame's phase in the person's own range (0 rest, 1 top; holds: "
        "the posture indicator), when the set was analysed",
    )
    person_frames: int = 0
    person: int = Field(default=0, ge=0, description="which person seen was analysed (0: first)")
    warnings: tuple[str, ...] = ()
