"""Evaluate the camera coach on a directory laid out like UI-PRMD.

1. Rep counting: each subject's repetitions of a movement are played back to back and counted
   with the same analyzer and hysteresis the camera uses; the exact count is expected.
2. Correct vs incorrect reps: per-rep analyzer metrics -> logistic regression, leave one
   subject out (accuracy and F1, "incorrect" as the positive class).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from glutecoach.vision import uiprmd
from glutecoach.vision.analyzers import ANALYZERS, analyze_series
from glutecoach.vision.analyzers.base import measure_whole
from glutecoach.vision.baseline import tightened
from glutecoach.vision.classify import calibrated_to_person, leave_one_group_out, scores
from glutecoach.vision.form_checks import FormChecks, load_form_checks
from glutecoach.vision.form_model import Check
from glutecoach.vision.joints import PoseSeries, concatenate

Progress = Callable[[int], None]
CALIBRATION_REPS = 3  # each subject's first correct reps: their own baseline (as if guided)


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RepCount(Model):
    movement: str
    subject: str
    correct: bool
    expected: int
    counted: int


class MovementCounts(Model):
    movement: str
    name: str
    profile: str
    sets: int
    exact_sets_correct: int
    exact_sets_incorrect: int
    sets_correct: int
    sets_incorrect: int
    reps_expected: int
    reps_counted: int


class Classification(Model):
    movement: str
    name: str
    reps: int
    subjects: int
    features: tuple[str, ...]
    accuracy: float
    f1: float
    precision: float
    recall: float
    per_subject_accuracy: dict[str, float]
    calibration_reps: int = Field(description="first correct reps per subject used to calibrate")
    calibrated_reps: int = Field(description="reps scored after calibration (the rest)")
    calibrated_accuracy: float
    calibrated_f1: float


class RuleCheck(Model):
    """The catalog's fault thresholds used as a classifier, with no training: any fault fired
    on a rep = "incorrect"."""

    movement: str
    name: str
    reps: int
    flagged_correct: int
    flagged_incorrect: int
    accuracy: float
    f1: float
    faults_correct: dict[str, int]
    faults_incorrect: dict[str, int]
    calibrated_reps: int = Field(description="reps judged against the subject's own baseline")
    calibrated_flagged_correct: int
    calibrated_flagged_incorrect: int
    calibrated_accuracy: float


class Evaluation(Model):
    root: str
    repetitions: int
    skipped_movements: dict[str, str]
    ankle_sd_cm_median: float | None
    counts: tuple[RepCount, ...]
    movements: tuple[MovementCounts, ...]
    classification: tuple[Classification, ...]
    rule_checks: tuple[RuleCheck, ...]


def ankle_sd_cm(series: PoseSeries) -> float:
    """3D standard deviation of each ankle over a recording (their mean), in cm."""
    sds = [np.linalg.norm(np.nanstd(series.joint(f"{s}_ankle"), axis=0)) for s in ("left", "right")]
    return float(np.mean(sds))


def _count_rows(loaded: dict[uiprmd.Repetition, PoseSeries], checks: FormChecks) -> list[RepCount]:
    rows = []
    for (movement, subject, correct), group in uiprmd.groups(list(loaded)):
        profile = checks.profiles[checks.uiprmd[movement].profile]
        series = concatenate([loaded[r] for r in group])
        reps = analyze_series(series, profile, ANALYZERS[profile.analyzer])
        rows.append(
            RepCount(
                movement=movement,
                subject=subject,
                correct=correct,
                expected=len(group),
                counted=len(reps),
            )
        )
    return rows


def _summarise_counts(rows: list[RepCount], checks: FormChecks) -> list[MovementCounts]:
    by_movement: dict[str, list[RepCount]] = defaultdict(list)
    for row in rows:
        by_movement[row.movement].append(row)
    out = []
    for movement, items in sorted(by_movement.items()):
        entry = checks.uiprmd[movement]
        out.append(
            MovementCounts(
                movement=movement,
                name=entry.name,
                profile=entry.profile,
                sets=len(items),
                exact_sets_correct=sum(r.counted == r.expected for r in items if r.correct),
                exact_sets_incorrect=sum(r.counted == r.expected for r in items if not r.correct),
                sets_correct=sum(r.correct for r in items),
                sets_incorrect=sum(not r.correct for r in items),
                reps_expected=sum(r.expected for r in items),
                reps_counted=sum(r.counted for r in items),
            )
        )
    return out


Measured = dict[uiprmd.Repetition, dict[str, float]]


def _measure_all(loaded: dict[uiprmd.Repetition, PoseSeries], checks: FormChecks) -> Measured:
    """Every repetition's metrics, measured once (the classifier and the rule check share them)."""
    out: Measured = {}
    for rep, series in loaded.items():
        profile = checks.profiles[checks.uiprmd[rep.movement].profile]
        out[rep] = measure_whole(series, profile, ANALYZERS[profile.analyzer])
    return out


def _classify(movement: str, measured: Measured, checks: FormChecks) -> Classification | None:
    reps = [r for r in measured if r.movement == movement]
    labels = np.array([0 if r.correct else 1 for r in reps])
    subjects = [r.subject for r in reps]
    if len(set(labels.tolist())) < 2 or len(set(subjects)) < 2:
        return None
    profile = checks.profiles[checks.uiprmd[movement].profile]
    analyzer = ANALYZERS[profile.analyzer]
    names = checks.uiprmd[movement].features or (*sorted(analyzer.own_metrics), "duration_s")
    table = np.array([[measured[r].get(n, np.nan) for n in names] for r in reps])
    usable = ~np.isnan(table).all(axis=0)
    predicted, per_subject = leave_one_group_out(table[:, usable], labels, subjects)
    overall = scores(labels, predicted)
    first = {
        r.subject: sorted(e.episode for e in reps if e.subject == r.subject and e.correct)
        for r in reps
    }
    calibration = np.array(
        [r.correct and r.episode in first[r.subject][:CALIBRATION_REPS] for r in reps]
    )
    calibrated = calibrated_to_person(table[:, usable], subjects, calibration)
    rest = ~calibration
    kept = [s for s, k in zip(subjects, rest, strict=True) if k]
    predicted_cal, _ = leave_one_group_out(calibrated[rest], labels[rest], kept)
    after = scores(labels[rest], predicted_cal)
    return Classification(
        movement=movement,
        name=checks.uiprmd[movement].name,
        reps=len(reps),
        subjects=len(set(subjects)),
        features=tuple(n for n, u in zip(names, usable, strict=True) if u),
        accuracy=round(overall["accuracy"], 4),
        f1=round(overall["f1"], 4),
        precision=round(overall["precision"], 4),
        recall=round(overall["recall"], 4),
        per_subject_accuracy={s: round(v["accuracy"], 4) for s, v in per_subject.items()},
        calibration_reps=CALIBRATION_REPS,
        calibrated_reps=int(rest.sum()),
        calibrated_accuracy=round(after["accuracy"], 4),
        calibrated_f1=round(after["f1"], 4),
    )


def _first_correct(reps: list[uiprmd.Repetition]) -> NDArray[np.bool_]:
    """Each subject's first CALIBRATION_REPS correct reps (their calibration set)."""
    correct: dict[str, list[str]] = defaultdict(list)
    for rep in reps:
        if rep.correct:
            correct[rep.subject].append(rep.episode)
    first = {subject: sorted(episodes)[:CALIBRATION_REPS] for subject, episodes in correct.items()}
    return np.array([r.correct and r.episode in first.get(r.subject, []) for r in reps])


def _rule_check(movement: str, every: Measured, checks: FormChecks) -> RuleCheck | None:
    profile = checks.profiles[checks.uiprmd[movement].profile]
    reps = [r for r in every if r.movement == movement]
    if not profile.checks or {r.correct for r in reps} != {True, False}:
        return None
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    measured = [every[rep] for rep in reps]
    fired = [
        [c.fault for c in profile.checks if c.fires(m.get(c.metric, np.nan))] for m in measured
    ]
    for rep, faults in zip(reps, fired, strict=True):
        counts[rep.correct].update(faults)
    truth = np.array([0 if r.correct else 1 for r in reps])
    predicted = np.array([1 if f else 0 for f in fired])
    result = scores(truth, predicted)
    calibration = _first_correct(reps)
    personal = _personal_verdicts(reps, measured, calibration, profile.checks)
    rest = ~calibration
    after = scores(truth[rest], personal[rest])
    return RuleCheck(
        movement=movement,
        name=checks.uiprmd[movement].name,
        reps=len(reps),
        flagged_correct=int(predicted[truth == 0].sum()),
        flagged_incorrect=int(predicted[truth == 1].sum()),
        accuracy=round(result["accuracy"], 4),
        f1=round(result["f1"], 4),
        faults_correct=dict(sorted(counts[True].items())),
        faults_incorrect=dict(sorted(counts[False].items())),
        calibrated_reps=int(rest.sum()),
        calibrated_flagged_correct=int(personal[rest & (truth == 0)].sum()),
        calibrated_flagged_incorrect=int(personal[rest & (truth == 1)].sum()),
        calibrated_accuracy=round(after["accuracy"], 4),
    )


def _personal_verdicts(
    reps: list[uiprmd.Repetition],
    measured: list[dict[str, float]],
    calibration: NDArray[np.bool_],
    profile_checks: tuple[Check, ...],
) -> NDArray[np.int64]:
    """1 where a rep has a fault by the catalog's thresholds tightened to the subject's own
    baseline (the median of their calibration reps, as the app does with a person's first
    clean reps)."""
    out = np.zeros(len(reps), dtype=np.int64)
    for subject in {r.subject for r in reps}:
        mine = [i for i, r in enumerate(reps) if r.subject == subject]
        base = [measured[i] for i in mine if calibration[i]]
        reference = {
            c.metric: float(np.nanmedian([m.get(c.metric, np.nan) for m in base]))
            for c in profile_checks
            if base
        }
        tightened_checks = [tightened(c, reference) for c in profile_checks]
        for i in mine:
            out[i] = int(any(c.fires(measured[i].get(c.metric, np.nan)) for c in tightened_checks))
    return out


def evaluate(
    root: Path, checks: FormChecks | None = None, progress: Progress | None = None
) -> Evaluation:
    """Rep counts and LOSO classification for every movement with a profile in form_checks."""
    checks = checks or load_form_checks()
    every = uiprmd.list_repetitions(root)
    skipped = {
        r.movement: f"no profile for {uiprmd.MOVEMENT_NAMES.get(r.movement, r.movement)}"
        for r in every
        if r.movement not in checks.uiprmd
    }
    loaded: dict[uiprmd.Repetition, PoseSeries] = {}
    for rep in every:
        if rep.movement in checks.uiprmd:
            loaded[rep] = rep.load()
        if progress is not None:
            progress(1)
    rows = _count_rows(loaded, checks)
    squats = [loaded[r] for r in loaded if r.movement == "m01" and r.correct]
    movements = sorted({r.movement for r in loaded})
    measured = _measure_all(loaded, checks)
    classified = [_classify(m, measured, checks) for m in movements]
    rules = [_rule_check(m, measured, checks) for m in movements]
    return Evaluation(
        root=str(root),
        repetitions=len(every),
        skipped_movements=dict(sorted(skipped.items())),
        ankle_sd_cm_median=round(float(np.median([ankle_sd_cm(s) for s in squats])), 3)
        if squats
        else None,
        counts=tuple(rows),
        movements=tuple(_summarise_counts(rows, checks)),
        classification=tuple(c for c in classified if c is not None),
        rule_checks=tuple(r for r in rules if r is not None),
    )
