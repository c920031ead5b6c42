"""Real data: UI-PRMD Kinect recordings, read from shared/data/ui-prmd (never copied)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from glutecoach.vision import uiprmd
from glutecoach.vision.analyzers import ANALYZERS, analyze_series
from glutecoach.vision.errors import DatasetError
from glutecoach.vision.evaluate import ankle_sd_cm, evaluate
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import concatenate


def _reps(root: Path, movement: str, correct: bool = True) -> list[uiprmd.Repetition]:
    return [
        r for r in uiprmd.list_repetitions(root) if r.movement == movement and r.correct == correct
    ]


def test_root_resolves_beside_the_repo_or_from_the_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(uiprmd.ENV_VAR, raising=False)
    assert uiprmd.default_root(Path("/x/repo")) == Path("/x/shared/data/ui-prmd")
    monkeypatch.setenv(uiprmd.ENV_VAR, "/elsewhere")
    assert uiprmd.default_root(Path("/x/repo")) == Path("/elsewhere")


def test_forward_kinematics_keeps_the_ankles_still(uiprmd_root: Path) -> None:
    """README check: Rz·Rx·Ry gives still ankles (~3.5 cm); Rz·Ry·Rx or a cumsum do not."""
    ours, wrong_order, cumsum = [], [], []
    for rep in _reps(uiprmd_root, "m01")[:20]:
        ours.append(ankle_sd_cm(rep.load()))
        relative = uiprmd._read_table(rep.positions_path)
        angles = uiprmd._read_table(rep.angles_path)
        wrong_order.append(_ankle_sd(_fk_zyx(relative, angles)))
        cumsum.append(_ankle_sd(_cumsum(relative)))
    assert np.median(ours) < 6.0
    assert np.median(wrong_order) > 3 * np.median(ours)
    assert np.median(cumsum) > 3 * np.median(ours)


def _ankle_sd(joints: np.ndarray) -> float:
    return float(np.mean([np.linalg.norm(joints[:, j].std(axis=0)) for j in (16, 20)]))


def _cumsum(relative: np.ndarray) -> np.ndarray:
    out = np.empty_like(relative)
    for j, parent in enumerate(uiprmd.PARENTS):
        out[:, j] = relative[:, j] if parent < 0 else out[:, parent] + relative[:, j]
    return out


def _fk_zyx(relative: np.ndarray, angles: np.ndarray) -> np.ndarray:
    ax, ay, az = np.moveaxis(np.radians(angles), -1, 0)
    c, s = np.cos, np.sin
    one, zero = np.ones_like(ax), np.zeros_like(ax)
    rx = np.stack([one, zero, zero, zero, c(ax), -s(ax), zero, s(ax), c(ax)], -1).reshape(
        *ax.shape, 3, 3
    )
    ry = np.stack([c(ay), zero, s(ay), zero, one, zero, -s(ay), zero, c(ay)], -1).reshape(
        *ax.shape, 3, 3
    )
    rz = np.stack([c(az), -s(az), zero, s(az), c(az), zero, zero, zero, one], -1).reshape(
        *ax.shape, 3, 3
    )
    local = rz @ ry @ rx
    glob, out = np.empty_like(local), np.empty_like(relative)
    glob[:, 0], out[:, 0] = local[:, 0], relative[:, 0]
    for j in range(1, 22):
        p = uiprmd.PARENTS[j]
        glob[:, j] = glob[:, p] @ local[:, j]
        out[:, j] = out[:, p] + np.einsum("fij,fj->fi", glob[:, p], relative[:, j])
    return out


def test_deep_squat_waist_goes_down_and_up_as_the_readme_says(uiprmd_root: Path) -> None:
    rep = next(r for r in _reps(uiprmd_root, "m01") if r.subject == "s01" and r.episode == "e01")
    hip_height = rep.load().mid("hip")[:, 1]
    assert hip_height[0] == pytest.approx(85.6, abs=3.0)
    assert hip_height.min() < 40.0 and hip_height[-1] > 75.0


@pytest.mark.parametrize("movement", ["m01", "m02", "m03", "m05", "m06"])
def test_each_subjects_correct_reps_back_to_back_count_exactly(
    uiprmd_root: Path, movement: str
) -> None:
    checks = load_form_checks()
    profile = checks.profiles[checks.uiprmd[movement].profile]
    reps = _reps(uiprmd_root, movement)
    by_subject: dict[str, list[uiprmd.Repetition]] = {}
    for rep in reps:
        by_subject.setdefault(rep.subject, []).append(rep)
    counted = {}
    for subject, group in by_subject.items():
        series = concatenate([r.load() for r in sorted(group, key=lambda r: r.episode)])
        counted[subject] = (
            len(analyze_series(series, profile, ANALYZERS[profile.analyzer])),
            len(group),
        )
    assert counted and all(found == expected for found, expected in counted.values()), counted


def test_evaluate_reports_counts_and_loso_classification(uiprmd_root: Path) -> None:
    report = evaluate(uiprmd_root)
    squat = next(c for c in report.classification if c.movement == "m01")
    assert squat.subjects >= 2 and squat.reps == len(_reps(uiprmd_root, "m01")) * 2
    assert squat.accuracy >= 0.75 and squat.f1 >= 0.75  # chance is 0.5
    # calibrated to each person's own first correct reps, scored on their other reps
    assert squat.calibrated_reps == squat.reps - 3 * squat.subjects
    assert squat.calibrated_accuracy >= 0.90 and squat.calibrated_accuracy > squat.accuracy
    incorrect_exact = sum(m.exact_sets_incorrect for m in report.movements)
    incorrect_sets = sum(m.sets_incorrect for m in report.movements)
    correct_exact = sum(m.exact_sets_correct for m in report.movements)
    assert correct_exact == sum(m.sets_correct for m in report.movements)
    assert incorrect_exact >= 0.8 * incorrect_sets
    assert report.ankle_sd_cm_median is not None and report.ankle_sd_cm_median < 6.0
    [rules] = [r for r in report.rule_checks if r.movement == "m01"]
    # the catalog's untrained thresholds flag incorrect squats far more often than correct ones
    assert rules.flagged_incorrect >= 2 * rules.flagged_correct
    assert rules.accuracy >= 0.65


def test_a_directory_without_ui_prmd_files_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no UI-PRMD repetitions"):
        uiprmd.list_repetitions(tmp_path)


def test_a_malformed_file_names_the_file(tmp_path: Path) -> None:
    positions = tmp_path / "Segmented_Movements" / "Kinect" / "Positions"
    angles = tmp_path / "Segmented_Movements" / "Kinect" / "Angles"
    positions.mkdir(parents=True)
    angles.mkdir(parents=True)
    (positions / "m01_s01_e01_positions.txt").write_text("1,2,3\n")
    (angles / "m01_s01_e01_angles.txt").write_text("1,2,3\n")
    rep = uiprmd.list_repetitions(tmp_path)[0]
    with pytest.raises(DatasetError, match=r"m01_s01_e01_positions\.txt: expected 66 columns"):
        rep.load()
