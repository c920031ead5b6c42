"""Screening: red flags first, then where to start and what to emphasise. Never a diagnosis."""

from __future__ import annotations

from glutecoach.core.catalog import Catalog, RedFlag
from glutecoach.core.models import (
    Phase,
    Reason,
    Region,
    RegionPain,
    ScreeningAnswers,
    ScreeningOutcome,
    ScreeningResult,
)

EMERGENCY_ADVICE = (
    "Please get medical help today: go to an emergency department or call your local urgent "
    "care number. Tell them about the symptoms you ticked. Do not start or continue these "
    "exercises until a clinician says it is safe."
)
SOON_ADVICE = (
    "Please see a doctor or physiotherapist soon (within the next few days) before you start "
    "or continue these exercises, and tell them what you ticked. This is a precaution: these "
    "questions cannot tell what is going on, only that a clinician should take a look."
)

_NO_PAIN = RegionPain()

REGION_WORDS = {
    Region.LOW_BACK: "low back",
    Region.HIP: "hip",
    Region.KNEE: "knee",
    Region.ANKLE: "ankle",
}


def unknown_red_flags(answers: ScreeningAnswers, catalog: Catalog) -> list[str]:
    """Red-flag answers whose ids the catalog does not know (a typo in an answers file)."""
    known = {f.id for f in catalog.rules.red_flags.flags}
    return sorted(set(answers.red_flags) - known)


def fired_red_flags(red_flags: dict[str, bool], catalog: Catalog) -> list[RedFlag]:
    return [f for f in catalog.rules.red_flags.flags if red_flags.get(f.id, False)]


def red_flag_reasons(flags: list[RedFlag], catalog: Catalog) -> tuple[Reason, ...]:
    return tuple(
        Reason(
            rule=f"red_flags.{flag.id}",
            text=f"You answered yes to: {flag.question}",
            sources=catalog.cite(flag.sources),
        )
        for flag in flags
    )


def refer_outcome(flags: list[RedFlag]) -> ScreeningOutcome | None:
    if any(f.group == "emergency" for f in flags):
        return ScreeningOutcome.REFER_EMERGENCY
    if flags:
        return ScreeningOutcome.REFER_SOON
    return None


def _age_reason(answers: ScreeningAnswers, catalog: Catalog) -> Reason | None:
    rule = catalog.rules.red_flags.age_rule
    has_pain = any(p.score > 0 for p in answers.pain.values())
    if answers.age is None or not has_pain:
        return None
    if answers.age < rule.new_pain_under or answers.age > rule.new_pain_over:
        return Reason(
            rule="red_flags.age_rule",
            text=(
                f"New pain at age {answers.age} (under {rule.new_pain_under} or over "
                f"{rule.new_pain_over}) is worth a clinician's look before exercise."
            ),
            sources=catalog.cite(rule.sources),
        )
    return None


def screen(answers: ScreeningAnswers, catalog: Catalog) -> ScreeningResult:
    """Decide stop-and-refer or a starting phase with emphasis and a tailored explanation."""
    flags = fired_red_flags(answers.red_flags, catalog)
    reasons = list(red_flag_reasons(flags, catalog))
    outcome = refer_outcome(flags)
    age_reason = _age_reason(answers, catalog)
    if age_reason is not None:
        reasons.append(age_reason)
        outcome = outcome or ScreeningOutcome.REFER_SOON
    if outcome is not None:
        advice = EMERGENCY_ADVICE if outcome is ScreeningOutcome.REFER_EMERGENCY else SOON_ADVICE
        return ScreeningResult(outcome=outcome, explanation=(advice,), reasons=tuple(reasons))
    emphasis, emphasis_reasons = emphasis_for(answers, catalog)
    return ScreeningResult(
        outcome=ScreeningOutcome.START,
        phase=Phase.REACTIVATE,
        emphasis=tuple(emphasis),
        explanation=tuple(_explain(answers, catalog, emphasis)),
        reasons=(_start_reason(catalog), *emphasis_reasons),
    )


def _start_reason(catalog: Catalog) -> Reason:
    gate = catalog.rules.phase_gate
    return Reason(
        rule="phase_gate",
        text=(
            "Everyone starts with Phase 1 (reactivate): low-load, slow activation work. Loaded "
            f"strength work comes after at least {gate.params.min_days} days and "
            f"{gate.params.min_sessions} sessions of good-quality activation with little pain."
        ),
        sources=catalog.cite(gate.sources),
    )


def bridge_symmetry(answers: ScreeningAnswers) -> float | None:
    left = answers.self_tests.single_leg_bridge_reps_left
    right = answers.self_tests.single_leg_bridge_reps_right
    if left is None or right is None or max(left, right) == 0:
        return None
    return min(left, right) / max(left, right)


def emphasis_for(answers: ScreeningAnswers, catalog: Catalog) -> tuple[list[str], list[Reason]]:
    """What the program stresses for these answers, each with the reason why."""
    params = catalog.rules.screening.params
    cite = catalog.cite(catalog.rules.screening.sources)
    emphasis: list[str] = []
    reasons: list[Reason] = []
    tests = answers.self_tests
    if (
        tests.single_leg_stance_pelvic_drop
        or answers.pain.get(Region.KNEE, _NO_PAIN).score >= params.pain_flag
    ):
        emphasis.append("gluteus medius")
        reasons.append(
            Reason(
                rule="screening.gluteus_medius",
                text="Pelvic drop on single-leg stance or knee pain: extra side-hip (gluteus "
                "medius) work such as clamshells.",
                sources=cite,
            )
        )
    tight = tests.thomas_test_tight
    long_sitting = (
        answers.sitting_hours_per_day >= params.high_sitting_hours
        or answers.longest_sitting_minutes >= params.long_bout_minutes
    )
    if tight or long_sitting:
        emphasis.append("hip flexor mobility")
        reasons.append(
            Reason(
                rule="screening.hip_flexor_mobility",
                text="Long sitting or a tight hip-flexor self-check: daily half-kneeling hip "
                "flexor stretch and sitting breaks every 30-60 minutes.",
                sources=cite,
            )
        )
    symmetry = bridge_symmetry(answers)
    if symmetry is not None and symmetry < params.min_bridge_symmetry:
        emphasis.append("asymmetry")
        reasons.append(
            Reason(
                rule="screening.asymmetry",
                text=f"Single-leg bridge reps differ between sides ({symmetry:.0%} symmetry): "
                "single-side work starts on the weaker side.",
                sources=cite,
            )
        )
    if answers.pain.get(Region.LOW_BACK, _NO_PAIN).score >= params.pain_flag:
        emphasis.append("core control")
        reasons.append(
            Reason(
                rule="screening.core_control",
                text="Low back pain: bridges start with a posterior pelvic tilt and core work "
                "(dead bug, bird dog) keeps the pelvis neutral.",
                sources=cite,
            )
        )
    if not emphasis:
        emphasis.append("gluteus maximus activation")
    return emphasis, reasons


def _explain(answers: ScreeningAnswers, catalog: Catalog, emphasis: list[str]) -> list[str]:
    params = catalog.rules.screening.params
    lines = []
    hours = answers.sitting_hours_per_day
    if hours >= params.high_sitting_hours:
        lines.append(
            f"You sit about {hours:g} hours a day. Long sitting keeps the hip flexors short; "
            "they pull the pelvis forward and the glutes stop firing, so the hamstrings and "
            "lower back take over."
        )
    else:
        lines.append(
            "Even moderate sitting can leave the glutes under-used while the hamstrings and "
            "lower back take over their work."
        )
    painful = [REGION_WORDS[r] for r, p in answers.pain.items() if p.score >= params.pain_flag]
    if painful:
        lines.append(
            f"Your {', '.join(painful)} pain can be part of that pattern. This coach does not "
            "diagnose: if pain changes or worries you, see a clinician."
        )
    lines.append(
        "Phase 1 wakes the glutes up with slow, low-load work (bridges that start with a "
        "tailbone tuck, clamshells with the feet together); Phase 2 then builds strength."
    )
    lines.append(f"Your emphasis: {', '.join(emphasis)}.")
    return lines
