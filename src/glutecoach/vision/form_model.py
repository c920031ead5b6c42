"""The schema of catalog/data/form_checks.yaml: rep rules, fault checks with their thresholds
and uncertainty, postures, per-exercise profiles (loaded and cross-checked by
:mod:`glutecoach.vision.form_checks`)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from glutecoach.vision.errors import UnknownExerciseError

View = Literal["side", "front", "oblique"]
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RepRule(Strict):
    """How reps (or holds) are cut out of the phase signal."""

    kind: Literal["reps", "holds"] = "reps"
    enter: float = Field(gt=0, le=1, description="phase that starts a rep (share of range)")
    exit: float = Field(ge=0, lt=1, description="phase that ends a rep (share of range)")
    min_range: float = Field(gt=0, description="smallest signal spread that can hold reps")
    min_hold_seconds: float = Field(
        ge=0, default=0.0, description="holds only: a shorter stay in position is not a hold"
    )
    smoothing_seconds: float = Field(ge=0, default=0.2)
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _exit_below_enter(self) -> RepRule:
        if not self.exit < self.enter:
            raise ValueError(f"exit ({self.exit}) must be below enter ({self.enter})")
        if self.kind == "reps" and self.min_hold_seconds:
            raise ValueError("min_hold_seconds applies to holds only (reps have no time floor)")
        return self


DEFAULT_UNCERTAINTY = {"_deg": 5.0, "_seconds": 0.15}  # anything else: a ratio or share
RATIO_UNCERTAINTY = 0.05


class Check(Strict):
    """One fault: it fires when the rep's metric is above/below the threshold.

    views: the camera views in which the metric can be measured from one camera; elsewhere the
    check is skipped (and listed as skipped), unless depth is measured (3D skeleton).
    uncertainty: how far off the metric may be from tracking alone (its units); a value past the
    threshold by less than this is a low-confidence fault.
    personal_margin: the check is calibrated to the person (vision/baseline.py): past their own
    clean reps by more than this (metric units) is the fault too, even inside the threshold.
    """

    fault: str = Field(pattern=SNAKE.pattern)
    metric: str
    fault_if: Literal["above", "below"]
    threshold: float
    views: tuple[View, ...] = Field(min_length=1)
    uncertainty: float | None = Field(default=None, gt=0)
    personal_margin: float | None = Field(
        default=None,
        gt=0,
        description="also a fault when past the person's own clean-rep median by this much",
    )
    weight: float = Field(gt=0, le=1)
    cue: str = Field(min_length=3)
    source: str = Field(min_length=3)

    def fires(self, value: float) -> bool:
        if value != value:  # NaN: not measurable, never a fault
            return False
        return value > self.threshold if self.fault_if == "above" else value < self.threshold

    def excess(self, value: float) -> float:
        """How far past the threshold (>0) or short of it (<=0) the value is."""
        return value - self.threshold if self.fault_if == "above" else self.threshold - value

    @property
    def margin(self) -> float:
        if self.uncertainty is not None:
            return self.uncertainty
        suffix = next((k for k in DEFAULT_UNCERTAINTY if self.metric.endswith(k)), None)
        return DEFAULT_UNCERTAINTY[suffix] if suffix else RATIO_UNCERTAINTY


class Posture(Strict):
    """What the body looks like at rest in this exercise (image plane, any view)."""

    looks_like: str = Field(min_length=3, description="e.g. 'lying on your back, knees bent'")
    trunk_from_vertical_deg: tuple[float, float] | None = None
    knee_angle_deg: tuple[float, float] | None = Field(
        default=None, description="the hip-knee-ankle angle of the knee named by ``knee``"
    )
    knee: Literal["straighter", "more_bent"] = Field(
        default="straighter",
        description="which knee is read: the straighter one, or the more bent one (single-leg "
        "exercises where the free leg may be held straight)",
    )
    hips_above_knees: bool | None = Field(
        default=None,
        description="True: hips above the higher knee at rest (standing, kneeling, all fours); "
        "False: a knee above the hips (lying on the back); None: not checked",
    )
    source: str = Field(min_length=3)


class Profile(Strict):
    """Everything one exercise (or family of variants) needs: analyzer, view, rep rule, checks."""

    analyzer: str
    description: str = ""
    views: tuple[View, ...] = Field(min_length=1)
    camera_advice: str = Field(min_length=10)
    required_joints: tuple[str, ...] = Field(min_length=1)
    min_confidence: float = Field(gt=0, le=1, default=0.65)
    min_tracked_share: float = Field(gt=0, le=1, default=0.6)
    min_fault_confidence: float = Field(
        default=0.6, gt=0, le=1, description="faults less certain than this never count"
    )
    min_leg_to_torso: float | None = Field(
        default=1.2, ge=0, description="legs shorter than this x torso: not really in view"
    )
    range_metric: str
    range_unit: str = "deg"
    posture: Posture | None = None
    rep: RepRule
    checks: tuple[Check, ...] = ()


class UiprmdMovement(Strict):
    name: str
    profile: str
    features: tuple[str, ...] = Field(
        default=(), description="metrics fed to the correct/incorrect classifier (all if empty)"
    )


class FormChecks(Strict):
    version: Literal[1]
    profiles: dict[str, Profile]
    exercises: dict[str, str] = Field(description="exercise id -> profile name")
    not_analyzed: dict[str, str] = Field(default_factory=dict, description="id -> reason")
    uiprmd: dict[str, UiprmdMovement] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references_resolve(self) -> FormChecks:
        for exercise, profile in self.exercises.items():
            if profile not in self.profiles:
                raise ValueError(f"exercises.{exercise}: unknown profile {profile!r}")
        for movement, entry in self.uiprmd.items():
            if entry.profile not in self.profiles:
                raise ValueError(f"uiprmd.{movement}: unknown profile {entry.profile!r}")
        return self

    def profile_for(self, exercise_id: str) -> tuple[str, Profile]:
        if exercise_id in self.exercises:
            name = self.exercises[exercise_id]
            return name, self.profiles[name]
        if exercise_id in self.not_analyzed:
            raise UnknownExerciseError(
                f"no camera analyzer for {exercise_id!r} yet: {self.not_analyzed[exercise_id]}"
            )
        known = ", ".join(sorted(self.exercises))
        raise UnknownExerciseError(f"unknown exercise id {exercise_id!r}; known: {known}")
