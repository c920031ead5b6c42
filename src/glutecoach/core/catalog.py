"""The catalog's schema: exercises, rules (with typed parameters) and sources.

Pure values; ``glutecoach.catalog.loader`` reads the packaged data files into them.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from glutecoach.core.models import BandStrength, Equipment


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Strict):
    citation: str = Field(min_length=10)
    url: str | None = None


class Dose(Strict):
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    rep_range: tuple[int, int] | None = None
    hold_seconds: int | None = Field(default=None, ge=0, le=600)
    tempo: str = "2-1-2"
    rest_seconds: int = Field(default=60, ge=0, le=600)

    @model_validator(mode="after")
    def _reps_or_hold(self) -> Dose:
        if self.reps is None and self.hold_seconds is None:
            raise ValueError("a dose needs reps or hold_seconds")
        if self.rep_range is not None:
            low, high = self.rep_range
            if not 1 <= low <= high:
                raise ValueError(f"rep_range {self.rep_range} must be low <= high")
        return self


class Exercise(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    phase: Literal[0, 1, 2]
    category: Literal["activation", "strength", "mobility", "core"]
    targets: tuple[str, ...] = Field(min_length=1)
    equipment: tuple[Equipment, ...] = Field(min_length=1)
    load_equipment: tuple[Equipment, ...] = ()
    loaded: bool = Field(
        default=False, description="Always done with a load (needs one of load_equipment)"
    )
    setup: str
    cues: tuple[str, ...] = Field(min_length=1)
    faults: tuple[str, ...] = Field(min_length=1)
    dose: Dose
    unilateral: bool
    regressions: tuple[str, ...] = ()
    progressions: tuple[str, ...] = ()
    camera_view: Literal["side", "front", "none"]
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _loaded_needs_load_equipment(self) -> Exercise:
        if self.loaded and not self.load_equipment:
            raise ValueError("loaded: an always-loaded exercise needs load_equipment")
        return self

    @property
    def loadable(self) -> bool:
        return bool(self.load_equipment)


class PainModelParams(Strict):
    during_safe_max: int = Field(ge=0, le=10)
    during_acceptable_max: int = Field(ge=0, le=10)
    after_max: int = Field(ge=0, le=10)
    morning_flare_margin: int = Field(ge=1, le=10)
    weekly_increase_margin: float = Field(ge=0, le=10)


class PainPersistenceParams(Strict):
    settle_days: int = Field(ge=1, le=14)


class GateDose(Strict):
    sets: int = Field(ge=1, le=10)
    reps: int = Field(ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=0, le=600)


class PhaseGateParams(Strict):
    min_training_weeks: int = Field(ge=0)
    min_sessions: int = Field(ge=0)
    target_dose: dict[str, GateDose]
    max_rpe: float = Field(ge=0, le=10)
    max_pain_during: int = Field(ge=0, le=10)
    no_flare_days: int = Field(ge=0)
    min_glute_feel_share: float = Field(ge=0, le=1)
    min_good_form_share: float = Field(ge=0, le=1)
    require_single_leg_stance: bool
    min_bridge_symmetry: float = Field(ge=0, le=1)
    retest_after_gap_days: int = Field(ge=1)


class Rung(Strict):
    sets: int = Field(ge=1, le=10)
    reps: int = Field(ge=1, le=100)
    hold_seconds: int = Field(ge=0, le=600)


class LadderParams(Strict):
    rungs: tuple[Rung, ...] = Field(min_length=1)
    start_rung: int = Field(ge=0)
    max_rpe: float = Field(ge=0, le=10)
    max_pain_during: int = Field(ge=0, le=10)


class DoubleProgressionParams(Strict):
    max_increase_pct: float = Field(ge=0, le=100)
    max_rpe_to_progress: float = Field(ge=0, le=10)
    bridge_extra_reps: int = Field(ge=0, le=20)
    min_glute_feel_share: float = Field(ge=0, le=1)
    min_good_form_share: float = Field(ge=0, le=1)
    ceiling_tempos: tuple[str, ...] = ()
    high_step_min_cm: int = Field(ge=5, le=80)


class Increment(Strict):
    first_kg: float = Field(gt=0)
    step_kg: float = Field(gt=0)
    max_kg: float = Field(gt=0, description="Assumed heaviest load when ownership is unknown")


class RegressionParams(Strict):
    hard_rpe: float = Field(ge=0, le=10)
    consecutive_hard_sessions: int = Field(ge=1)
    volume_cut: float = Field(gt=0, lt=1)
    deload: float = Field(gt=0, lt=1)
    max_load_drop: float = Field(gt=0, lt=1)


class DoseCut(Strict):
    from_days: int = Field(ge=1)
    cut: float = Field(ge=0, lt=1)


class TimeOffParams(Strict):
    min_gap_days: int = Field(ge=1)
    dose_cuts: tuple[DoseCut, ...] = Field(min_length=1)
    easier_variant_from_cut: float = Field(gt=0, le=1)
    drop_set_from_cut: float = Field(gt=0, le=1)
    recheck_red_flags_days: int = Field(ge=1)
    pain_rise_margin: int = Field(ge=1, le=10)
    watch_days: int = Field(ge=1)

    def cut_for(self, gap_days: int) -> float:
        """The dose reduction for a break of ``gap_days`` (0 when it is no break)."""
        cuts = [c.cut for c in self.dose_cuts if gap_days >= c.from_days]
        return max(cuts, default=0.0) if gap_days >= self.min_gap_days else 0.0


class BandParams(Strict):
    order: tuple[BandStrength, ...] = Field(min_length=1)


class AsymmetryParams(Strict):
    min_symmetry: float = Field(ge=0, le=1)
    weaker_side_extra_sets: int = Field(ge=0, le=3)


class OlderAdultParams(Strict):
    min_age: int = Field(ge=40, le=120)
    stretch_hold_seconds: int = Field(ge=10, le=120)
    support_cue: str = Field(min_length=5)


class ScreeningParams(Strict):
    high_sitting_hours: float = Field(ge=0, le=24)
    long_bout_minutes: int = Field(ge=0)
    pain_flag: int = Field(ge=0, le=10)
    min_bridge_symmetry: float = Field(ge=0, le=1)
    severe_pain: int = Field(ge=1, le=10)
    severe_pain_settle_days: int = Field(ge=1)
    severe_pain_recheck_checkins: int = Field(ge=0)


P = TypeVar("P")


class Rule(Strict, Generic[P]):
    description: str
    params: P
    sources: tuple[str, ...] = Field(min_length=1)


class ScreeningRule(Rule[ScreeningParams]):
    emphasis_sources: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="The sources each screening emphasis rests on"
    )


class RedFlag(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    group: Literal["emergency", "soon"]
    question: str
    sources: tuple[str, ...] = Field(min_length=1)


class AgeRule(Strict):
    group: Literal["emergency", "soon"]
    new_pain_under: int
    new_pain_over: int
    new_within_weeks: int = Field(ge=1)
    sources: tuple[str, ...] = Field(min_length=1)


class RedFlagRules(Strict):
    description: str
    recheck_pain_spike: int = Field(ge=1, le=10)
    flags: tuple[RedFlag, ...] = Field(min_length=1)
    age_rule: AgeRule


class Rules(Strict):
    pain_model: Rule[PainModelParams]
    pain_persistence: Rule[PainPersistenceParams]
    phase_gate: Rule[PhaseGateParams]
    phase1_ladder: Rule[LadderParams]
    double_progression: Rule[DoubleProgressionParams]
    equipment_increments: Rule[dict[str, Increment]]
    regression: Rule[RegressionParams]
    time_off: Rule[TimeOffParams]
    band_progression: Rule[BandParams]
    asymmetry: Rule[AsymmetryParams]
    older_adults: Rule[OlderAdultParams]
    red_flags: RedFlagRules
    screening: ScreeningRule


class UnknownExercise(KeyError):
    """An exercise id the catalog does not hold (a typo, or a catalog that lacks one)."""

    def __init__(self, exercise_id: str, known: str) -> None:
        super().__init__(f"unknown exercise {exercise_id!r}; known: {known}")
        self.exercise_id = exercise_id

    def __str__(self) -> str:
        return str(self.args[0])


class Catalog(Strict):
    """Exercises by id, the rules, and the sources both cite."""

    exercises: dict[str, Exercise]
    rules: Rules
    sources: dict[str, Source]

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            known = ", ".join(sorted(self.exercises))
            raise UnknownExercise(exercise_id, known) from None

    def cite(self, source_ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.sources[s].citation for s in source_ids if s in self.sources)
