"""Printed reports of ``vision evaluate``: labelled clips, and UI-PRMD."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from glutecoach.vision.evaluate import Evaluation
from glutecoach.vision.labelled import LabelledEvaluation


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def print_labelled(console: Console, report: LabelledEvaluation) -> None:
    console.print(f"Labelled clips: {report.truth_file} ({report.clips} clips)")
    table = Table("clip", "exercise", "reps true/counted", "hold true/measured s", "faults", "note")
    for o in report.outcomes:
        hold = "-" if o.true_hold_s is None else f"{o.true_hold_s:.1f}/{o.measured_hold_s or 0:.1f}"
        faults = f"true {', '.join(o.true_faults) or '-'}; found {', '.join(o.found_faults) or '-'}"
        note = ("refused (expected)" if o.expected_refusal else "REFUSED") if o.refused else ""
        if o.expected_refusal and not o.refused:
            note = "NOT refused (expected a refusal)"
        if o.true_view and o.view_seen and o.view_seen != o.true_view:
            note = f"{note}; seen as a {o.view_seen} view".lstrip("; ")
        table.add_row(o.file, o.exercise, f"{o.true_reps}/{o.counted}", hold, faults, note)
    console.print(table)
    console.print(
        f"Exact count {_pct(report.exact_share)}, mean absolute error "
        f"{report.mean_abs_error:.2f} reps, within one {_pct(report.within_one_share)}; hold "
        f"error {'-' if report.hold_mae_s is None else f'{report.hold_mae_s:.2f} s'}; faults "
        f"precision {_pct(report.fault_precision)}, recall {_pct(report.fault_recall)}; "
        f"refusals {report.refusals} ({report.unexpected_refusals} unexpected, "
        f"{report.missed_refusals} expected but not made)"
    )
    for o in report.outcomes:
        if o.refused and o.reason:
            console.print(f"[dim]{o.file}: {o.reason}[/dim]")


def print_uiprmd(console: Console, report: Evaluation) -> None:
    console.print(f"UI-PRMD evaluation of {report.root}: {report.repetitions} repetitions")
    if report.ankle_sd_cm_median is not None:
        console.print(
            f"Ankle stillness in correct deep squats: median 3D SD "
            f"{report.ankle_sd_cm_median:.1f} cm (forward-kinematics check)"
        )
    counts = Table(
        "movement",
        "profile",
        "exact sets (correct)",
        "exact sets (incorrect)",
        "reps counted / expected",
        title="Rep counts, each subject's reps back to back",
    )
    for m in report.movements:
        counts.add_row(
            f"{m.movement} {m.name}",
            m.profile,
            f"{m.exact_sets_correct}/{m.sets_correct}",
            f"{m.exact_sets_incorrect}/{m.sets_incorrect}",
            f"{m.reps_counted}/{m.reps_expected}",
        )
    console.print(counts)
    table = Table(
        "movement",
        "reps",
        "subjects",
        "accuracy",
        "F1",
        "calibrated accuracy",
        "calibrated F1",
        "# features",
        title="Correct vs incorrect, leave one subject out (logistic regression); calibrated: "
        "features as offsets from each subject's first 3 correct reps, scored on the rest",
    )
    for c in report.classification:
        table.add_row(
            f"{c.movement} {c.name}",
            str(c.reps),
            str(c.subjects),
            f"{c.accuracy:.3f}",
            f"{c.f1:.3f}",
            f"{c.calibrated_accuracy:.3f}",
            f"{c.calibrated_f1:.3f}",
            str(len(c.features)),
        )
    console.print(table)
    for c in report.classification:
        console.print(f"[dim]{c.movement} features: {', '.join(c.features)}[/dim]")
    for r in report.rule_checks:
        console.print(
            f"{r.movement} {r.name}, form_checks.yaml thresholds as a classifier (no training): "
            f"flagged {r.flagged_incorrect} incorrect and {r.flagged_correct} correct of "
            f"{r.reps} reps; accuracy {r.accuracy:.3f}, F1 {r.f1:.3f}; faults on correct reps "
            f"{r.faults_correct or '-'}. Tightened to each subject's own first 3 correct reps "
            f"(personal_margin): flagged {r.calibrated_flagged_incorrect} incorrect and "
            f"{r.calibrated_flagged_correct} correct of the other {r.calibrated_reps} reps; "
            f"accuracy {r.calibrated_accuracy:.3f}"
        )
    for movement, reason in report.skipped_movements.items():
        console.print(f"[dim]{movement}: skipped ({reason})[/dim]")
