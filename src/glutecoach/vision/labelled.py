"""Evaluate the camera coach on any folder of labelled clips (videos or landmark recordings).

The folder holds a truth file, ``truth.yaml``, written by whoever labelled the clips (a physio
can label their own)::

    clips:
      - file: bridge_side_01.mp4      # path relative to the truth file; .npz = recording
        exercise: glute_bridge        # exercise id, as for ``vision analyze --exercise``
        view: side                    # optional: side | front | oblique (as filmed)
        reps: 8                       # true number of reps (whole ones, as a person counts)
        hold_seconds: 2.0             # optional: true mean hold at the top, seconds
        faults: [rushed_lift]         # faults present in the clip; [] = clean form
        expect: scored                # optional: scored (default) | refused (wrong exercise,
                                      #   or a view the exercise cannot be judged from)

Per clip the coach's count, mean hold, confident faults (a fault counts as found when it was
seen on at least one rep) and refusal are compared with the labels. The summary gives, over the
clips expected to be scored (an unexpected refusal counts as 0 reps), the exact-count share,
mean absolute count error and within-one share; the mean hold error; fault precision and
recall (over clip x fault pairs, for faults the camera judged from that view); and refusals
(unexpected ones, and expected ones not made).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from glutecoach.vision.errors import DatasetError, VisionError
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.models import AnalysisResult

TRUTH_FILE = "truth.yaml"
Analyse = Callable[[Path, str], AnalysisResult]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClipTruth(Model):
    file: str = Field(min_length=1)
    exercise: str
    view: Literal["side", "front", "oblique"] | None = None
    reps: int = Field(ge=0)
    hold_seconds: float | None = Field(default=None, ge=0)
    faults: tuple[str, ...] = ()
    expect: Literal["scored", "refused"] = "scored"


class TruthFile(Model):
    clips: tuple[ClipTruth, ...] = Field(min_length=1)


class ClipOutcome(Model):
    file: str
    exercise: str
    true_reps: int
    counted: int
    refused: bool
    expected_refusal: bool
    reason: str = ""
    true_hold_s: float | None = None
    measured_hold_s: float | None = None
    true_faults: tuple[str, ...] = ()
    found_faults: tuple[str, ...] = ()
    not_judged: tuple[str, ...] = ()


class LabelledEvaluation(Model):
    truth_file: str
    clips: int
    exact_share: float
    mean_abs_error: float
    within_one_share: float
    hold_mae_s: float | None
    fault_precision: float | None
    fault_recall: float | None
    refusals: int
    unexpected_refusals: int
    missed_refusals: int
    outcomes: tuple[ClipOutcome, ...]


def load_truth(path: Path) -> TruthFile:
    """Parse and check a truth file; DatasetError naming the file and the entry otherwise."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        truth = TruthFile.model_validate(raw)
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read the truth file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise DatasetError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise DatasetError(f"{path}: {where}: {first['msg']}") from exc
    checks = load_form_checks()
    for i, clip in enumerate(truth.clips):
        checks.profile_for(clip.exercise)  # unknown exercise: a clear error before any work
        known = {c.fault for c in checks.profile_for(clip.exercise)[1].checks}
        unknown = sorted(set(clip.faults) - known)
        if unknown:
            raise DatasetError(
                f"{path}: clips.{i}.faults: {', '.join(unknown)} is not a fault of "
                f"{clip.exercise} (known: {', '.join(sorted(known))})"
            )
        if not (path.parent / clip.file).is_file():
            raise DatasetError(f"{path}: clips.{i}.file: {clip.file} not found beside it")
    return truth


def _analyse_file(path: Path, exercise: str) -> AnalysisResult:
    from glutecoach.vision.pipeline import analyze_source

    return analyze_source(path, exercise)


def _outcome(clip: ClipTruth, run: Analyse, folder: Path) -> ClipOutcome:
    base = {
        "file": clip.file,
        "exercise": clip.exercise,
        "true_reps": clip.reps,
        "expected_refusal": clip.expect == "refused",
        "true_hold_s": clip.hold_seconds,
        "true_faults": tuple(sorted(clip.faults)),
    }
    try:
        result = run(folder / clip.file, clip.exercise)
    except VisionError as exc:
        return ClipOutcome(counted=0, refused=True, reason=str(exc), **base)
    if not result.view.ok:
        reason = result.view.wrong_exercise or result.view.advice
        return ClipOutcome(counted=0, refused=True, reason=reason, **base)
    holds = [r.hold_seconds for r in result.reps]
    found = sorted({f for r in result.reps for f in r.faults})
    return ClipOutcome(
        counted=len(result.reps),
        refused=False,
        measured_hold_s=round(sum(holds) / len(holds), 3) if holds else None,
        found_faults=tuple(found),
        not_judged=result.view.skipped_checks,
        **base,
    )


def _share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def summarise(truth_file: Path, outcomes: list[ClipOutcome]) -> LabelledEvaluation:
    """The summary figures over every clip's outcome."""
    errors = [abs(o.counted - o.true_reps) for o in outcomes if not o.expected_refusal]
    holds = [
        abs((o.measured_hold_s or 0.0) - o.true_hold_s)
        for o in outcomes
        if o.true_hold_s is not None and not o.refused
    ]
    tp = fp = fn = 0
    for o in outcomes:
        if o.refused:
            continue
        judged_truth = set(o.true_faults) - set(o.not_judged)
        tp += len(judged_truth & set(o.found_faults))
        fp += len(set(o.found_faults) - judged_truth)
        fn += len(judged_truth - set(o.found_faults))
    return LabelledEvaluation(
        truth_file=str(truth_file),
        clips=len(outcomes),
        exact_share=_share(sum(e == 0 for e in errors), len(errors)),
        mean_abs_error=round(sum(errors) / len(errors), 4) if errors else 0.0,
        within_one_share=_share(sum(e <= 1 for e in errors), len(errors)),
        hold_mae_s=round(sum(holds) / len(holds), 3) if holds else None,
        fault_precision=round(tp / (tp + fp), 4) if tp + fp else None,
        fault_recall=round(tp / (tp + fn), 4) if tp + fn else None,
        refusals=sum(o.refused for o in outcomes),
        unexpected_refusals=sum(o.refused and not o.expected_refusal for o in outcomes),
        missed_refusals=sum(o.expected_refusal and not o.refused for o in outcomes),
        outcomes=tuple(outcomes),
    )


def evaluate_labelled(
    folder: Path, truth_name: str = TRUTH_FILE, run: Analyse | None = None
) -> LabelledEvaluation:
    """Run the coach on every labelled clip in ``folder`` and compare it with the truth file."""
    truth_path = Path(folder) / truth_name
    truth = load_truth(truth_path)
    outcomes = [_outcome(clip, run or _analyse_file, truth_path.parent) for clip in truth.clips]
    return summarise(truth_path, outcomes)
