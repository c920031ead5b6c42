"""Two people in view: the coach follows the one exercising and says so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from glutecoach.vision import uiprmd
from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.analyzers.base import analyze_series
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import PoseSeries, concatenate
from glutecoach.vision.people import PeopleTracker, choose_person
from glutecoach.vision.pipeline import analyze_source, track_pose
from glutecoach.vision.recording import LandmarkRecording, save_recording
from glutecoach.vision.skeletons import to_mediapipe

from . import synth

_, SQUAT = load_form_checks().profile_for("bodyweight_squat")


def _shifted(series: PoseSeries, dx: float) -> PoseSeries:
    positions = series.positions.copy()
    positions[:, :, 0] += dx
    return PoseSeries(positions, series.confidence, series.fps, series.depth_reliable)


def _phase(series: PoseSeries) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return ANALYZERS["squat"].features(series, None)["phase"]


def _uiprmd_pair(root: Path) -> tuple[PoseSeries, PoseSeries]:
    """Subject 1's ten deep squats, and subject 2 standing still beside them (its first frame,
    held) 1.2 m to the side: a second skeleton in the same room."""
    squats = [
        r
        for r in uiprmd.list_repetitions(root)
        if r.movement == "m01" and r.correct and r.subject in ("s01", "s02")
    ]
    squats.sort(key=lambda r: (r.subject, r.episode))
    mover = concatenate([r.load() for r in squats if r.subject == "s01"])
    other = next(r for r in squats if r.subject == "s02").load()
    still = PoseSeries(
        np.repeat(other.positions[:1], mover.frames, axis=0) + np.array([120.0, 0.0, 0.0]),
        np.repeat(other.confidence[:1], mover.frames, axis=0),
        mover.fps,
        True,
    )
    return mover, still


@pytest.mark.parametrize("mover_first", [True, False])
def test_the_person_squatting_is_chosen_over_one_standing_by(
    uiprmd_root: Path, mover_first: bool
) -> None:
    mover, still = _uiprmd_pair(uiprmd_root)
    people = [mover, still] if mover_first else [still, mover]
    choice = choose_person(people, [_phase(p) for p in people], SQUAT, "bodyweight squat")
    assert people[choice.index] is mover
    assert choice.note.startswith("2 people are in view")
    assert len(analyze_series(people[choice.index], SQUAT, ANALYZERS["squat"])) == 10
    assert analyze_series(still, SQUAT, ANALYZERS["squat"]) == []  # what following them gave


def test_one_person_needs_no_note() -> None:
    alone = synth.squat(synth.profile(2))
    assert choose_person([alone], [_phase(alone)], SQUAT, "squat").note == ""


def _two_person_recording(path: Path, exerciser_is_primary: bool) -> Path:
    effort = synth.profile(4, rep_s=3.0)
    moving = synth.squat(effort, noise=0.3)
    standing = _shifted(synth.squat(np.zeros(effort.size), noise=0.3, seed=2), 200.0)
    first, other = (moving, standing) if exerciser_is_primary else (standing, moving)
    w, h = synth.WIDTH, synth.HEIGHT
    rec = LandmarkRecording(
        to_mediapipe(first, w, h), synth.FPS, w, h, others=(to_mediapipe(other, w, h),)
    )
    save_recording(path, rec)
    return path


@pytest.mark.parametrize("exerciser_is_primary", [True, False])
def test_a_recording_with_two_people_is_analysed_on_the_one_exercising(
    tmp_path: Path, exerciser_is_primary: bool
) -> None:
    path = _two_person_recording(tmp_path / "two.npz", exerciser_is_primary)
    result = analyze_source(path, "bodyweight_squat", out=tmp_path / "annotated.mp4")
    assert len(result.reps) == 4
    assert result.person == (0 if exerciser_is_primary else 1)  # the skeleton drawn, too
    assert (tmp_path / "annotated.mp4").stat().st_size > 0
    assert any(
        w.startswith("2 people are in view: analysing the one on the") for w in result.warnings
    )
    assert "the one on the left" in result.warnings[0]  # the one standing is 200 px right


class _Fixed:
    """A pose backend returning the same landmarks for any frame (or nobody)."""

    def __init__(self, landmarks: np.ndarray | None) -> None:
        self.landmarks, self.calls, self.closed = landmarks, 0, False

    def process(self, rgb: np.ndarray) -> np.ndarray | None:
        self.calls += 1
        return self.landmarks

    def close(self) -> None:
        self.closed = True


class _Frames:
    name, fps, width, height, frame_count = "frames", 30.0, 64, 48, 45

    def frames(self):  # type: ignore[no-untyped-def]
        for _ in range(self.frame_count):
            yield np.full((48, 64, 3), 90, np.uint8)

    def close(self) -> None:
        return None


def _person(x: float) -> np.ndarray:
    row = np.full((33, 4), 0.5)
    row[:, 0] = x + np.linspace(-0.05, 0.05, 33)
    row[:, 1] = np.linspace(0.2, 0.8, 33)
    row[:, 3] = 0.9
    return row


def test_a_second_person_found_by_the_probe_is_tracked_on_every_frame() -> None:
    made: list[_Fixed] = []

    def factory(static: bool) -> _Fixed:
        made.append(_Fixed(_person(0.8)))
        return made[-1]

    track = track_pose(_Frames(), _Fixed(_person(0.2)), people=factory)  # type: ignore[arg-type]
    [other] = track.recording.others
    assert np.isfinite(other[:, 0, 0]).all() and other[0, 0, 0] == pytest.approx(0.75)
    assert len(made) == 2 and made[0].closed and made[1].calls == 45 and made[1].closed


def test_nobody_else_found_means_one_track_and_few_probes() -> None:
    made: list[_Fixed] = []

    def factory(static: bool) -> _Fixed:
        made.append(_Fixed(None))
        return made[-1]

    frames = _Frames()
    frames.frame_count = 130
    track = track_pose(frames, _Fixed(_person(0.2)), people=factory)  # type: ignore[arg-type]
    assert track.recording.others == ()
    [probe] = made  # one still-image model, reused
    assert probe.calls == 3 and probe.closed  # frames 0, 60 and 120: not a model a frame


def test_the_probe_sees_the_frame_with_the_first_person_blanked() -> None:
    seen: list[np.ndarray] = []

    class Probe(_Fixed):
        def process(self, rgb: np.ndarray) -> None:
            seen.append(rgb)
            return None

    frames = _Frames()
    tracker = PeopleTracker(_Fixed(_person(0.2)), lambda static: Probe(None))
    rgb = np.zeros((48, 64, 3), np.uint8)
    rgb[:, :32] = 255  # the first person's half is bright
    tracker.process(rgb)
    assert frames.width == 64 and seen and seen[0][24, 12].max() < 255  # blanked
    assert seen[0][24, 60].max() == 0  # the rest untouched
