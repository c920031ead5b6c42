"""``vision live`` shares the capture interface with files: tests drive it with a recording."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from glutecoach.vision.cli import vision_group
from glutecoach.vision.errors import UnknownExerciseError
from glutecoach.vision.live import LiveEvent, run_live

from . import synth
from .conftest import record


def test_live_announces_each_rep_as_it_finishes(squat_recording: Path) -> None:
    events: list[LiveEvent] = []
    result = run_live(squat_recording, "bodyweight_squat", events.append)
    reps = [e for e in events if e.kind == "rep"]
    assert [e.rep.index for e in reps if e.rep] == [1, 2, 3, 4]
    assert len(result.reps) == 4
    for event in reps:  # announced soon after the rep ended, not at the end of the file
        assert event.rep is not None and event.time_s - event.rep.end_s < 1.0


def test_live_gives_cues_for_faults(tmp_path: Path) -> None:
    path = record(synth.squat(synth.profile(2, rep_s=3.0), lean_deg=65), tmp_path / "lean.npz")
    events: list[LiveEvent] = []
    run_live(path, "bodyweight_squat", events.append)
    texts = [e.text for e in events if e.kind == "rep"]
    assert len(texts) == 2 and all("Keep your chest up" in t for t in texts)


def test_live_advises_on_camera_placement(tmp_path: Path) -> None:
    path = record(synth.squat(synth.profile(3, rep_s=3.0), view="front"), tmp_path / "front.npz")
    events: list[LiveEvent] = []
    result = run_live(path, "single_leg_deadlift", events.append)
    assert not result.view.ok
    assert any(e.kind == "advice" and "side view" in e.text for e in events)


def test_live_cli_with_a_file_source(squat_recording: Path) -> None:
    result = CliRunner().invoke(
        vision_group,
        ["live", "--exercise", "bodyweight_squat", "--source", str(squat_recording), "--json"],
    )
    assert result.exit_code == 0, result.stderr
    assert "rep 4 (both)" in result.stderr
    assert '"reps_observed": 4' in result.stdout


def test_live_stops_after_max_seconds(squat_recording: Path) -> None:
    events: list[LiveEvent] = []
    result = run_live(squat_recording, "bodyweight_squat", events.append, max_seconds=5.0)
    assert result.frames == 150 and len(result.reps) < 4


def test_live_unknown_exercise(squat_recording: Path) -> None:
    with pytest.raises(UnknownExerciseError):
        run_live(squat_recording, "nope", lambda e: None)


def test_a_sliding_window_announces_every_rep_exactly_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from glutecoach.vision import live

    monkeypatch.setattr(live, "WINDOW_SECONDS", 8.0)  # shorter than the recording: it slides
    path = record(synth.squat(synth.profile(8, rep_s=3.0), noise=0.3), tmp_path / "long.npz")
    events: list[LiveEvent] = []
    result = run_live(path, "bodyweight_squat", events.append)
    announced = [e.rep for e in events if e.kind == "rep" and e.rep]
    assert [r.index for r in announced] == list(range(1, 9))
    assert len(result.reps) == 8
    for said, final in zip(announced, result.reps, strict=True):
        assert said.start_s == pytest.approx(final.start_s, abs=0.1)
