"""``vision evaluate`` on a folder of labelled clips (landmark recordings here: no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from glutecoach.vision.errors import DatasetError
from glutecoach.vision.labelled import evaluate_labelled

from . import synth
from .conftest import record
from .test_cli import invoke

SQUATS = synth.profile(4, rep_s=3.0)


def _folder(tmp_path: Path, squat_reps_label: int = 4) -> Path:
    record(synth.squat(SQUATS, noise=0.3), tmp_path / "squat.npz")
    record(synth.squat(SQUATS, lean_deg=65, noise=0.3), tmp_path / "lean.npz")
    held = synth.bridge(synth.profile(3, rep_s=3.0, hold_s=3.0), noise=0.3)
    record(held, tmp_path / "bridge.npz")
    record(synth.bridge(SQUATS, view="front"), tmp_path / "bridge_front.npz")
    record(synth.squat(SQUATS), tmp_path / "standing.npz")
    clips = [
        {"file": "squat.npz", "exercise": "bodyweight_squat", "reps": squat_reps_label},
        {
            "file": "lean.npz",
            "exercise": "bodyweight_squat",
            "view": "side",
            "reps": 4,
            "faults": ["excessive_forward_lean"],
        },
        {"file": "bridge.npz", "exercise": "glute_bridge", "reps": 3, "hold_seconds": 3.0},
        {"file": "bridge_front.npz", "exercise": "glute_bridge", "reps": 4, "expect": "refused"},
        {"file": "standing.npz", "exercise": "glute_bridge", "reps": 0, "expect": "refused"},
    ]
    (tmp_path / "truth.yaml").write_text(yaml.safe_dump({"clips": clips}), encoding="utf-8")
    return tmp_path


def test_labelled_clips_are_scored_against_their_truth(tmp_path: Path) -> None:
    report = evaluate_labelled(_folder(tmp_path))
    assert report.clips == 5
    by_file = {o.file: o for o in report.outcomes}
    assert by_file["squat.npz"].counted == 4 and not by_file["squat.npz"].refused
    assert by_file["lean.npz"].found_faults == ("excessive_forward_lean",)
    assert by_file["bridge.npz"].measured_hold_s == pytest.approx(3.0, abs=0.5)
    assert (
        by_file["standing.npz"].refused and "does not look like" in by_file["standing.npz"].reason
    )
    # counts are scored over the three clips expected to be scored
    assert report.exact_share == 1.0 and report.mean_abs_error == 0.0
    assert report.within_one_share == 1.0
    assert report.fault_precision == 1.0 and report.fault_recall == 1.0
    assert report.refusals == 2 and report.unexpected_refusals == 0 and report.missed_refusals == 0
    assert report.hold_mae_s is not None and report.hold_mae_s < 0.5


def test_a_wrong_label_moves_the_figures(tmp_path: Path) -> None:
    report = evaluate_labelled(_folder(tmp_path, squat_reps_label=6))
    assert report.exact_share == pytest.approx(2 / 3, abs=1e-4)
    assert report.mean_abs_error == pytest.approx(2 / 3, abs=1e-4)
    assert report.within_one_share == pytest.approx(2 / 3, abs=1e-4)


def test_an_unexpected_refusal_counts_as_no_reps(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    truth = yaml.safe_load((folder / "truth.yaml").read_text(encoding="utf-8"))
    truth["clips"][3]["expect"] = "scored"  # the front-view bridge: refused all the same
    (folder / "truth.yaml").write_text(yaml.safe_dump(truth), encoding="utf-8")
    report = evaluate_labelled(folder)
    assert report.unexpected_refusals == 1
    assert report.exact_share == pytest.approx(3 / 4, abs=1e-4) and report.mean_abs_error == 1.0


def test_the_cli_prints_the_summary_and_json(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    code, out, _ = invoke("evaluate", str(folder))
    assert code == 0
    assert "Exact count 100%" in out and "within one 100%" in out and "precision 100%" in out
    code, out, _ = invoke("evaluate", str(folder), "--json")
    data = json.loads(out)
    assert code == 0 and data["clips"] == 5 and data["refusals"] == 2


@pytest.mark.parametrize(
    ("clips", "message"),
    [
        ([{"file": "x.npz", "exercise": "moonwalk", "reps": 1}], "unknown exercise id"),
        ([{"file": "x.npz", "exercise": "glute_bridge", "reps": -1}], "clips.0.reps"),
        (
            [{"file": "x.npz", "exercise": "glute_bridge", "reps": 1, "faults": ["wobble"]}],
            "clips.0.faults: wobble is not a fault of glute_bridge",
        ),
        ([{"file": "missing.npz", "exercise": "glute_bridge", "reps": 1}], "not found beside"),
    ],
)
def test_a_bad_truth_file_is_a_clear_error(tmp_path: Path, clips: list, message: str) -> None:
    record(synth.squat(SQUATS), tmp_path / "x.npz")
    (tmp_path / "truth.yaml").write_text(yaml.safe_dump({"clips": clips}), encoding="utf-8")
    with pytest.raises(Exception, match=message) as info:
        evaluate_labelled(tmp_path)
    assert isinstance(info.value, DatasetError) or "unknown exercise" in str(info.value)
    code, _, err = invoke("evaluate", str(tmp_path))
    assert code == 2 and "Traceback" not in err
