"""Screening: red flags first, then where to start and what to emphasise. Never a diagnosis."""

from __future__ import annotations

import datetime as dt

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
    "This is an emergency: get medical help today. Go to an emergency department (A&E / ER) now, "
    "or call your emergency number (112 in Europe, 911 in North America, 999 in the UK) if you "
    "cannot get there; do not wait for a routine appointment. Tell them about the symptoms you "
    "answered yes to and when they started. Do not start or continue these exercises until a "
    "clinician says it is safe."
)
SOON_ADVICE = (
    "Please see a doctor or physiotherapist soon (within the next few days) before you start "
    "or continue these exercises. This is a precaution: these questions cannot tell what is "
    "going on, only that a clinician should take a look."
)


def referral_advice(outcome: ScreeningOutcome, reasons: tuple[Reason, ...]) -> str:
    """What to do, with what to tell the clinician taken from the reasons that fired."""
    if outcome is ScreeningOutcome.REFER_EMERGENCY:
        return EMERGENCY_ADVICE
    told = [r.tell for r in reasons if r.tell]
    tell = f" Tell them: {'; '.join(told)}." if told else ""
    return SOON_ADVICE + tell


def advice_reason(outcome: ScreeningOutcome, reasons: tuple[Reason, ...]) -> Reason:
    """The referral advice as a reason, so every surface that shows reasons shows it."""
    rule = (
        "red_flags.emergency" if outcome is ScreeningOutcome.REFER_EMERGENCY else "red_flags.soon"
    )
    return Reason(rule=rule, text=referral_advice(outcome, reasons))


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


def red_flag_reasons(
    flags: list[RedFlag],
    catalog: Catalog,
    onset: dict[str, dt.date] | None = None,
    prefix: str = "You answered yes to",
) -> tuple[Reason, ...]:
    out = []
    for flag in flags:
        began = (onset or {}).get(flag.id)
        since = f" (since {began.isoformat()})" if began else ""
        out.append(
            Reason(
                rule=f"red_flags.{flag.id}",
                text=f"{prefix}: {flag.question}{since}",
                sources=catalog.cite(flag.sources),
                tell=f"{flag.question.rstrip('?').lower()}{since}",
            )
        )
    return tuple(out)


def refer_outcome(flags: list[RedFlag]) -> ScreeningOutcome | None:
    if any(f.group == "emergency" for f in flags):
        return ScreeningOutcome.REFER_EMERGENCY
    if flags:
        return ScreeningOutcome.REFER_SOON
    return None


def new_pain_regions(answers: ScreeningAnswers, within_weeks: int) -> list[Region]:
    """Regions with pain that began within ``within_weeks`` (onset not given counts as new)."""
    return [
        region
        for region, pain in answers.pain.items()
        if pain.score > 0 and (pain.onset_weeks is None or pain.onset_weeks < within_weeks)
    ]


def _age_reason(answers: ScreeningAnswers, catalog: Catalog) -> Reason | None:
    rule = catalog.rules.red_flags.age_rule
    age = answers.age
    if age is None or rule.new_pain_under <= age <= rule.new_pain_over:
        return None
    regions = new_pain_regions(answers, rule.new_within_weeks)
    if not regions:
        return None
    words = ", ".join(REGION_WORDS[r] for r in regions)
    unknown = [r for r in regions if answers.pain[r].onset_weeks is None]
    how_new = (
        "its start was not given, so it is treated as new"
        if unknown
        else f"it began within the last {rule.new_within_weeks} weeks"
    )
    return Reason(
        rule="red_flags.age_rule",
        text=(
            f"New {words} pain at age {age} ({how_new}): pain that starts under "
            f"{rule.new_pain_under} or over {rule.new_pain_over} is worth a clinician's look "
            "before exercise."
        ),
        sources=catalog.cite(rule.sources),
        tell=f"your {words} pain is new (age {age})",
    )


def screen(answers: ScreeningAnswers, catalog: Catalog) -> ScreeningResult:
    """Decide stop-and-refer or a starting phase with emphasis and a tailored explanation."""
    flags = fired_red_flags(answers.red_flags, catalog)
    reasons = list(red_flag_reasons(flags, catalog, answers.red_flag_onset))
    outcome = refer_outcome(flags)
    age_reason = _age_reason(answers, catalog)
    if age_reason is not None:
        reasons.append(age_reason)
        outcome = outcome or ScreeningOutcome.REFER_SOON
    if outcome is not None:
        advice = referral_advice(outcome, tuple(reasons))
        return ScreeningResult(outcome=outcome, explanation=(advice,), reasons=tuple(reasons))
    emphasis, emphasis_reasons = emphasis_for(answers, catalog)
    return ScreeningResult(
        outcome=ScreeningOutcome.START,
        phase=Phase.REACTIVATE,
        emphasis=tuple(emphasis),
        explanation=tuple(_explain(answers, catalog, emphasis)),
        reasons=(_start_reason(catalog), *emphasis_reasons),
    )


def severe_pain_regions(answers: ScreeningAnswers, catalog: Catalog) -> list[Region]:
    """Regions in the pain model's high-risk zone (above 5/10) at screening."""
    limit = catalog.rules.screening.params.severe_pain
    return [r for r, p in answers.pain.items() if p.score >= limit]


def _start_reason(catalog: Catalog) -> Reason:
    gate = catalog.rules.phase_gate
    return Reason(
        rule="phase_gate",
        text=(
            "Everyone starts with Phase 1 (reactivate): low-load, slow activation work. Loaded "
            f"strength work comes after at least {gate.params.min_training_weeks} training weeks "
            f"and {gate.params.min_sessions} sessions of good-quality activation with little pain."
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
    rule = catalog.rules.screening
    params = rule.params

    def cite_for(key: str) -> tuple[str, ...]:
        return catalog.cite(rule.emphasis_sources.get(key, rule.sources))

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
                sources=cite_for("gluteus_medius"),
                text="Pelvic drop on single-leg stance or knee pain: extra side-hip (gluteus "
                "medius) work such as clamshells.",
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
                sources=cite_for("hip_flexor_mobility"),
                text="Long sitting or a tight hip-flexor self-check: daily half-kneeling hip "
                "flexor stretch and sitting breaks every 30-60 minutes.",
            )
        )
    symmetry = bridge_symmetry(answers)
    if symmetry is not None and symmetry < params.min_bridge_symmetry:
        emphasis.append("asymmetry")
        reasons.append(
            Reason(
                rule="screening.asymmetry",
                sources=cite_for("asymmetry"),
                text=f"Single-leg bridge reps differ between sides ({symmetry:.0%} symmetry): "
                "single-side work starts on the weaker side.",
            )
        )
    if answers.pain.get(Region.LOW_BACK, _NO_PAIN).score >= params.pain_flag:
        emphasis.append("core control")
        reasons.append(
            Reason(
                rule="screening.core_control",
                sources=cite_for("core_control"),
                text="Low back pain: bridges start with a posterior pelvic tilt and core work "
                "(dead bug, bird dog) keeps the pelvis neutral.",
            )
        )
    severe = severe_pain_regions(answers, catalog)
    if severe:
        emphasis.insert(0, "gentle start")
        reasons.insert(0, _severe_pain_reason(answers, catalog, severe))
    if not emphasis:
        emphasis.append("gluteus maximus activation")
    return emphasis, reasons


def _severe_pain_reason(
    answers: ScreeningAnswers, catalog: Catalog, regions: list[Region]
) -> Reason:
    rule = catalog.rules.screening
    params = rule.params
    worst = max(answers.pain[r].score for r in regions)
    words = ", ".join(REGION_WORDS[r] for r in regions)
    return Reason(
        rule="screening.severe_pain",
        text=(
            f"Your {words} pain is {worst}/10: above 5/10 is the high-risk zone of the pain "
            "model. You start on the gentlest Phase 1 dose, and the safety questions are asked "
            f"again at your first {params.severe_pain_recheck_checkins} check-ins. If this pain "
            f"has not settled (to 5/10 or less) within {params.severe_pain_settle_days} days, "
            "see a doctor or physiotherapist; sooner if it gets worse."
        ),
        sources=catalog.cite(rule.emphasis_sources.get("severe_pain", rule.sources)),
    )


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
    severe = severe_pain_regions(answers, catalog)
    if severe:
        lines.append(_severe_pain_reason(answers, catalog, severe).text)
    elif painful:
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
