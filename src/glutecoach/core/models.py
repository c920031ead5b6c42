"""Domain values shared by every part of glutecoach.

Pure data: no I/O, no clock, no database. Adapters (CLI, web, store, vision, desk) build these
values and hand them to the core functions, which return new values.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum, StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PainScore = Annotated[int, Field(ge=0, le=10, description="Numeric Pain Rating Scale, 0-10")]
Rpe = Annotated[float, Field(ge=0, le=10, description="Effort, reps-in-reserve RPE 0-10")]


class Frozen(BaseModel):
    """Base for immutable domain values; unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Region(StrEnum):
    LOW_BACK = "low_back"
    HIP = "hip"
    KNEE = "knee"
    ANKLE = "ankle"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Equipment(StrEnum):
    NONE = "none"
    BAND = "band"
    DUMBBELLS = "dumbbells"
    KETTLEBELL = "kettlebell"
    STEP = "step"


class ActivityLevel(StrEnum):
    SEDENTARY = "sedentary"
    LIGHT = "light"
    MODERATE = "moderate"
    ACTIVE = "active"


class FeltIn(StrEnum):
    GLUTES = "glutes"
    HAMSTRINGS = "hamstrings"
    LOWER_BACK = "lower_back"
    OTHER = "other"


class BandStrength(StrEnum):
    """Resistance-band strengths, lightest first (colour codes differ between brands)."""

    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"
    EXTRA_HEAVY = "extra_heavy"


BAND_ORDER = tuple(BandStrength)


class Phase(IntEnum):
    REACTIVATE = 1
    BUILD_STRENGTH = 2


class RegionPain(Frozen):
    score: PainScore = 0
    side: Side = Side.BOTH
    onset_weeks: int | None = Field(
        default=None,
        ge=0,
        le=5200,
        description="How many weeks ago this pain began (0 = this week). Not given: treated as "
        "new, the cautious reading for the age rule.",
    )


class OwnedEquipment(Frozen):
    """What the person actually owns: loads only move to weights they have."""

    dumbbell_pairs_kg: tuple[float, ...] = Field(
        default=(), description="Weight of each dumbbell pair owned, kg (fixed or set-up plates)"
    )
    kettlebells_kg: tuple[float, ...] = Field(default=(), description="Each kettlebell owned, kg")
    bands: tuple[BandStrength, ...] = Field(default=(), description="Band strengths owned")
    step_height_cm: int | None = Field(
        default=None, ge=5, le=80, description="Height of the step or stair used for step-ups"
    )

    @model_validator(mode="after")
    def _positive_weights(self) -> OwnedEquipment:
        for name in ("dumbbell_pairs_kg", "kettlebells_kg"):
            for value in getattr(self, name):
                if not 0 < value <= 100:
                    raise ValueError(f"{name}: {value:g} kg is not a weight between 0 and 100 kg")
        return self


class SelfTests(Frozen):
    """Optional self-tests from the screening (see CLINICAL.md, 'Measures')."""

    single_leg_bridge_reps_left: int | None = Field(default=None, ge=0, le=200)
    single_leg_bridge_reps_right: int | None = Field(default=None, ge=0, le=200)
    single_leg_stance_pelvic_drop: bool | None = Field(
        default=None, description="30 s single-leg stance: did the pelvis drop on either side?"
    )
    single_leg_stance_pain: bool | None = None
    thomas_test_tight: bool | None = Field(
        default=None, description="Modified Thomas self-check: thigh stays up off the bed?"
    )


class PsfsItem(Frozen):
    """Patient-Specific Functional Scale item: an activity the person names, 0 (unable) to 10."""

    activity: str = Field(min_length=1, max_length=120)
    score: Annotated[int, Field(ge=0, le=10)]


class ScreeningAnswers(Frozen):
    """Everything the screening asks. The JSON Schema of this model documents the answers file."""

    pain: dict[Region, RegionPain] = Field(default_factory=dict)
    sitting_hours_per_day: float = Field(ge=0, le=24)
    longest_sitting_minutes: int = Field(ge=0, le=24 * 60)
    activity_level: ActivityLevel
    equipment: list[Equipment] = Field(default_factory=lambda: [Equipment.NONE])
    red_flags: dict[str, bool] = Field(
        default_factory=dict, description="Answer to each red-flag question, by its catalog id"
    )
    age: int | None = Field(default=None, ge=10, le=120)
    self_tests: SelfTests = Field(default_factory=SelfTests)
    psfs: list[PsfsItem] = Field(default_factory=list, max_length=5)
    red_flag_onset: dict[str, dt.date] = Field(
        default_factory=dict,
        description="When a red-flag symptom answered yes began, by its catalog id (tell the "
        "clinician)",
    )
    owned: OwnedEquipment | None = Field(
        default=None, description="Exactly what you own; without it loads use catalog defaults"
    )

    @model_validator(mode="after")
    def _psfs_three_to_five(self) -> ScreeningAnswers:
        if self.psfs and len(self.psfs) < 3:
            raise ValueError("psfs: name 3 to 5 activities (or none)")
        return self


class ScreeningOutcome(StrEnum):
    START = "start"
    REFER_EMERGENCY = "refer_emergency"
    REFER_SOON = "refer_soon"


class Reason(Frozen):
    """One rule that fired, in plain words, with the rule's id and its source."""

    rule: str
    text: str
    sources: tuple[str, ...] = ()
    tell: str = Field(default="", description="What to tell a clinician about this reason")


class ScreeningResult(Frozen):
    outcome: ScreeningOutcome
    phase: Phase | None = None
    emphasis: tuple[str, ...] = ()
    explanation: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()


class Prescription(Frozen):
    exercise_id: str
    side: Side = Side.BOTH
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    rep_range: tuple[int, int] | None = None
    hold_seconds: int | None = Field(default=None, ge=0, le=600)
    tempo: str = "2-1-2"
    load_kg: float = Field(default=0.0, ge=0)
    rest_seconds: int = Field(default=60, ge=0, le=600)
    role: Literal["warmup", "main", "mobility", "core"] = "main"
    band: BandStrength | None = None
    cue: str = Field(default="", description="Extra advice for this person (e.g. support)")


class PlannedSession(Frozen):
    day: dt.date
    title: str
    prescriptions: tuple[Prescription, ...]


class Plan(Frozen):
    phase: Phase
    week_start: dt.date
    sessions: tuple[PlannedSession, ...]
    notes: tuple[str, ...] = ()


class FormSummary(Frozen):
    """What the camera measured for one set (see vision/)."""

    reps_observed: int = Field(ge=0)
    good_form_reps: int = Field(ge=0)
    good_form_share: float = Field(ge=0, le=1)
    mean_hold_seconds: float | None = Field(default=None, ge=0)
    symmetry: float | None = Field(default=None, ge=0, le=1)
    faults: dict[str, int] = Field(default_factory=dict)
    source: str = "camera"
    baseline: dict[str, float] = Field(
        default_factory=dict,
        description="The person's own clean-rep medians of the calibrated form metrics (camera "
        "calibration, carried to their next camera set of the exercise); empty when none",
    )


class SetLog(Frozen):
    exercise_id: str
    side: Side = Side.BOTH
    set_index: int = Field(ge=1, le=20)
    reps: int = Field(default=0, ge=0, le=200)
    hold_seconds: float | None = Field(default=None, ge=0, le=3600)
    load_kg: float = Field(default=0.0, ge=0, le=500)
    rpe: Rpe | None = None
    felt_in: tuple[FeltIn, ...] = ()
    felt_main: FeltIn | None = Field(
        default=None, description="Where the set was felt most (one area)"
    )
    pain: PainScore = 0
    form: FormSummary | None = None


class SessionLog(Frozen):
    performed_on: dt.date
    phase: Phase
    sets: tuple[SetLog, ...] = ()
    completed: bool = True
    notes: str = ""


class CheckIn(Frozen):
    """Daily / next-morning check-in: pain per region, stiffness, red flags re-asked on a spike."""

    day: dt.date
    pain: dict[Region, PainScore] = Field(default_factory=dict)
    stiffness: PainScore = 0
    morning: bool = True
    red_flags: dict[str, bool] = Field(default_factory=dict)
    self_tests: SelfTests | None = None


class Clearance(Frozen):
    """A clinician's go-ahead to resume after a stop-and-refer, recorded by the person."""

    day: dt.date
    note: str = ""


class ExerciseState(Frozen):
    """Where one exercise slot stands: the variant in use and its current dose."""

    slot: str
    exercise_id: str
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=0, le=600)
    load_kg: float = Field(default=0.0, ge=0)
    bridging: bool = Field(
        default=False, description="Extra reps before a coarse equipment jump (see rules)"
    )
    tempo: str | None = Field(
        default=None, description="A slower tempo used as a lever at the top of the equipment"
    )
    band: BandStrength | None = None


class ProgramState(Frozen):
    phase: Phase
    phase_started: dt.date
    exercises: tuple[ExerciseState, ...] = ()
    stopped: bool = False
    refer: ScreeningOutcome | None = Field(
        default=None, description="While stopped: how urgently to see a clinician"
    )

    def slot(self, slot: str) -> ExerciseState | None:
        return next((e for e in self.exercises if e.slot == slot), None)


class DecisionKind(StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    REGRESS = "regress"
    STOP_AND_REFER = "stop_and_refer"


class Change(Frozen):
    slot: str
    what: str
    before: str
    after: str


class OverrideKind(StrEnum):
    HOLD = "hold"  # stay at the current level
    REGRESS = "regress"  # one step back
    PROGRESS = "progress"  # one step on (never while pain or a red flag says stop)
    DOSE = "dose"  # set one exercise's sets, reps, hold and load
    SWAP = "swap"  # one of the exercise's catalog variants instead
    END = "end"  # return to the engine


class ClinicianOverride(Frozen):
    """A clinician's choice the engine respects until it ends, is changed, or pain or a red
    flag sets it aside (core/override.py)."""

    kind: OverrideKind
    day: dt.date
    note: str = Field(min_length=1, max_length=2000)
    by: str = Field(default="", max_length=320, description="Who set it")
    slots: tuple[str, ...] = Field(
        default=(), description="The session slots it holds; empty: the whole plan"
    )
    summary: str = Field(default="", max_length=500, description="What was set, in words")


class Decision(Frozen):
    day: dt.date
    kind: DecisionKind
    reasons: tuple[Reason, ...]
    changes: tuple[Change, ...] = ()
    state: ProgramState
    refer: ScreeningOutcome | None = None
    weighed: tuple[dt.date, ...] = Field(
        default=(), description="Days of the sessions this decision weighed (one per session)"
    )
    override: ClinicianOverride | None = Field(
        default=None, description="The clinician's override in force after this decision"
    )


class History(Frozen):
    """Everything the engine may look at, as plain values."""

    screening: ScreeningAnswers
    screened_on: dt.date = Field(description="Day of the first screening: the program's start")
    latest_screening_on: dt.date | None = Field(
        default=None, description="Day of the latest screening, when re-screened since"
    )
    equipment: tuple[Equipment, ...] = Field(
        default=(), description="Equipment now at hand; empty means the screening's answer"
    )
    owned: OwnedEquipment | None = Field(
        default=None, description="What is owned now; None means the screening's answer"
    )
    sessions: tuple[SessionLog, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    clearances: tuple[Clearance, ...] = ()
    decisions: tuple[Decision, ...] = ()
