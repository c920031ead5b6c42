"""The ``vision`` click group, driven with recorded landmarks (no model needed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from glutecoach.vision.cli import vision_group

from . import synth
from .conftest import record


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(vision_group, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_analyze_json_lists_reps_and_summary(squat_recording: Path) -> None:
    code, out, _ = invoke(
        "analyze", str(squat_recording), "--exercise", "bodyweight_squat", "--json"
    )
    assert code == 0
    [entry] = json.loads(out)
    reps = entry["result"]["reps"]
    assert len(reps) == 4
    assert {
        "side",
        "start_s",
        "end_s",
        "range_of_motion",
        "hold_seconds",
        "faults",
        "quality",
    } <= set(reps[0])
    assert entry["summary"]["reps_observed"] == 4 and entry["summary"]["good_form_share"] == 1.0


def test_analyze_table_output(squat_recording: Path) -> None:
    code, out, _ = invoke("analyze", str(squat_recording), "--exercise", "goblet_squat")
    assert code == 0
    assert "Summary: 4 reps, 4 with good form" in out


def test_faults_show_by_name(tmp_path: Path) -> None:
    path = record(synth.squat(synth.profile(3, rep_s=3.0), lean_deg=65), tmp_path / "lean.npz")
    code, out, _ = invoke("analyze", str(path), "--exercise", "bodyweight_squat", "--json")
    assert code == 0
    assert json.loads(out)[0]["summary"]["faults"] == {"excessive_forward_lean": 3}


def test_unknown_exercise_exits_2_without_traceback(squat_recording: Path) -> None:
    code, _, err = invoke("analyze", str(squat_recording), "--exercise", "moonwalk")
    assert code == 2
    assert "Error: unknown exercise id 'moonwalk'" in err and "Traceback" not in err


def test_missing_and_corrupt_files_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("analyze", str(tmp_path / "nope.mp4"), "--exercise", "glute_bridge")
    assert code == 2 and "no such video file" in err
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip")
    code, _, err = invoke("analyze", str(broken), "--exercise", "glute_bridge")
    assert code == 2 and "not a glutecoach landmark recording" in err


def test_bad_view_exits_3_with_camera_advice(tmp_path: Path) -> None:
    path = record(synth.bridge(synth.profile(2, rep_s=3.0), view="front"), tmp_path / "front.npz")
    code, out, _ = invoke("analyze", str(path), "--exercise", "glute_bridge")
    assert code == 3
    assert "Not scored" in out and "side-on" in out


def test_evaluate_on_a_small_ui_prmd_style_directory(uiprmd_root: Path, tmp_path: Path) -> None:
    """Any directory laid out like UI-PRMD works: here two subjects' deep squats, linked."""
    for folder in ("Segmented_Movements", "Incorrect_Segmented_Movements"):
        for kind in ("Positions", "Angles"):
            src = uiprmd_root / folder / "Kinect" / kind
            dst = tmp_path / folder / "Kinect" / kind
            dst.mkdir(parents=True)
            for f in src.glob("m01_s0[12]_*"):
                (dst / f.name).symlink_to(f)
    code, out, _ = invoke("evaluate", str(tmp_path), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["repetitions"] == 40
    [m01] = report["movements"]
    assert m01["exact_sets_correct"] == 2 and m01["reps_expected"] == 40
    [clf] = report["classification"]
    assert clf["subjects"] == 2 and 0.0 <= clf["accuracy"] <= 1.0


def test_evaluate_on_a_directory_that_is_not_ui_prmd_exits_2(tmp_path: Path) -> None:
    code, _, err = invoke("evaluate", str(tmp_path))
    assert code == 2 and "no UI-PRMD repetitions" in err


def test_console_script_has_the_vision_group(squat_recording: Path) -> None:
    exe = shutil.which("glutecoach") or str(
        Path(__file__).resolve().parents[2] / ".venv/bin/glutecoach"
    )
    if not Path(exe).exists():
        pytest.skip("glutecoach console script not installed")
    done = subprocess.run(
        [
            exe,
            "vision",
            "analyze",
            str(squat_recording),
            "--exercise",
            "bodyweight_squat",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)[0]["result"]["reps"]) == 4
    bad = subprocess.run(
        [exe, "vision", "analyze", str(squat_recording), "--exercise", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
