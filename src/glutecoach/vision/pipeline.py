"""decode -> pose -> named joints -> view check -> analyzer -> (annotated video)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.analyzers.base import SeriesAnalysis, analyze_series_full
from glutecoach.vision.annotate import VideoWriter, draw, overlay_at
from glutecoach.vision.backends import MediaPipePoseBackend, PoseBackend, ReplayPoseBackend
from glutecoach.vision.capture import FrameSource, RecordingSource, TimeLimited, open_source
from glutecoach.vision.errors import NoPersonError, ViewProblem
from glutecoach.vision.form_checks import FormChecks, Profile, load_form_checks
from glutecoach.vision.joints import FloatArray, Image, PoseSeries
from glutecoach.vision.models import AnalysisResult, Calibration, FormBaseline, ViewCheck
from glutecoach.vision.people import BackendFactory, PeopleTracker, choose_person, seen_only
from glutecoach.vision.posture import posture_mismatch
from glutecoach.vision.recording import LandmarkRecording, save_recording
from glutecoach.vision.skeletons import MEDIAPIPE_LANDMARKS, from_mediapipe
from glutecoach.vision.view import check_view

Progress = Callable[[int], None]
TRUNCATION_SLACK = 3  # frames: containers often over- or under-state their length by one or two

__all__ = ["ViewProblem", "analyze_source", "analyze_track", "track_pose"]


@dataclass(frozen=True)
class PoseTrack:
    """Landmarks for every decoded frame of one source (NaN rows: no person)."""

    name: str
    recording: LandmarkRecording
    promised_frames: int = 0  # what the container announced (0: unknown, e.g. a camera)

    @property
    def person_frames(self) -> int:
        return int((~np.isnan(self.recording.landmarks[:, :, 0]).all(axis=1)).sum())


def bgr_to_rgb(frame: Image) -> Image:
    """OpenCV decodes BGR; the model wants RGB (cvtColor is ~50x faster than a numpy flip)."""
    try:
        import cv2
    except ImportError:  # pragma: no cover - replaying recordings without OpenCV
        return np.ascontiguousarray(frame[:, :, ::-1])
    return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), dtype=np.uint8)


def track_pose(
    source: FrameSource,
    backend: PoseBackend,
    progress: Progress | None = None,
    people: BackendFactory | None = None,
) -> PoseTrack:
    """Landmarks for every frame; with ``people``, a second person's too once one is seen."""
    rows: list[FloatArray] = []
    second: list[FloatArray] = []
    empty = np.full((MEDIAPIPE_LANDMARKS, 4), np.nan)
    tracker = PeopleTracker(backend, people)
    try:
        for frame in source.frames():
            first, other = tracker.process(bgr_to_rgb(frame))
            rows.append(empty if first is None else first)
            second.append(empty if other is None else other)
            if progress is not None:
                progress(1)
    finally:
        tracker.close_extra()
    landmarks_all = np.stack(rows) if rows else np.empty((0, MEDIAPIPE_LANDMARKS, 4))
    others = (np.stack(second),) if tracker.second is not None else ()
    rec = LandmarkRecording(landmarks_all, source.fps, source.width, source.height, others)
    return PoseTrack(source.name, rec, getattr(source, "promised_frames", source.frame_count))


def truncation_warning(track: PoseTrack) -> str:
    """A warning when far fewer frames decoded than the container promised ('' otherwise)."""
    decoded, promised = len(track.recording.landmarks), track.promised_frames
    if promised <= 0 or decoded >= promised - max(TRUNCATION_SLACK, 0.02 * promised):
        return ""
    fps = track.recording.fps
    return (
        f"only {decoded} of the {promised} frames this file announces could be decoded "
        f"({decoded / fps:.1f} of {promised / fps:.1f} s): the video looks truncated or damaged, "
        f"so anything after {decoded / fps:.1f} s is missing from these results. Copy or export "
        "the video again and re-run."
    )


def analyze_track(
    track: PoseTrack,
    exercise_id: str,
    side: str | None = None,
    checks: FormChecks | None = None,
    baseline: FormBaseline | None = None,
) -> AnalysisResult:
    """View check, then reps. NoPersonError if nobody was seen in any frame.

    ``baseline``: the person's clean-rep baseline from an earlier set of this exercise (used
    until this set shows its own first clean reps; see vision/baseline.py)."""
    checks = checks or load_form_checks()
    profile_name, profile = checks.profile_for(exercise_id)
    if track.person_frames == 0:
        raise NoPersonError(f"{track.name}: no person found in the video")
    rec = track.recording
    person, series, note = _the_person_exercising(track, profile, exercise_id, side)
    analyzer = ANALYZERS[profile.analyzer]
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = analyzer.features(series, side)  # once: the posture check and the reps share it
    view = _with_posture(check_view(series, profile), series, profile, exercise_id, raw["phase"])
    analysis = (
        analyze_series_full(series, profile, analyzer, side, view.skipped_checks, baseline, raw)
        if view.ok
        else SeriesAnalysis([], [], None)
    )
    calibration = (
        Calibration(
            rest=round(analysis.calibration.rest, 4),
            top=round(analysis.calibration.top, 4),
            reps_used=analysis.calibration.reps_used,
            unit=ANALYZERS[profile.analyzer].phase_unit,
        )
        if analysis.calibration is not None
        else None
    )
    return AnalysisResult(
        exercise=exercise_id,
        profile=profile_name,
        source=track.name,
        fps=rec.fps,
        frames=len(rec.landmarks),
        view=view,
        reps=tuple(analysis.reps),
        partial_reps=tuple(analysis.partial),
        calibration=calibration,
        baseline=analysis.baseline,
        phase_now=analysis.phase_now,
        person_frames=int(np.isfinite(series.positions[:, :, 0]).any(axis=1).sum()),
        person=person,
        warnings=tuple(
            w
            for w in (
                note,
                truncation_warning(track),
                _no_movement(view, analysis, profile, exercise_id),
            )
            if w
        ),
    )


def _the_person_exercising(
    track: PoseTrack, profile: Profile, exercise_id: str, side: str | None
) -> tuple[int, PoseSeries, str]:
    """The person to analyse (0: the first tracked), and a note when there was more than one."""
    rec = track.recording
    people = [
        from_mediapipe(landmarks, rec.width, rec.height, rec.fps, source=track.name)
        for landmarks in (rec.landmarks, *rec.others)
    ]
    if len(people) == 1:
        return 0, people[0], ""
    analyzer = ANALYZERS[profile.analyzer]
    with np.errstate(invalid="ignore", divide="ignore"):
        phases = [analyzer.features(seen_only(person), side)["phase"] for person in people]
    choice = choose_person(people, phases, profile, exercise_id.replace("_", " "))
    return choice.index, people[choice.index], choice.note


def _no_movement(
    view: ViewCheck, analysis: SeriesAnalysis, profile: Profile, exercise_id: str
) -> str:
    """A word when a scored clip of a rep exercise shows no rep at all (not even a partial one)."""
    if not view.ok or profile.rep.kind != "reps" or analysis.reps or analysis.partial:
        return ""
    name = exercise_id.replace("_", " ")
    return (
        f"No {name} reps were seen: nothing moved the way a {name} does. If you were holding a "
        "position (a plank, a wall sit), that is another exercise; otherwise check that the "
        "whole movement is in the picture."
    )


def _with_posture(
    view: ViewCheck, series: PoseSeries, profile: Profile, exercise_id: str, phase: FloatArray
) -> ViewCheck:
    """Not scored when the body does not look like the exercise at all (wrong exercise). From a
    view the exercise is not filmed from, the camera advice comes first (the posture is read
    less well there), followed by what the body looks like."""
    name = exercise_id.replace("_", " ")
    mismatch = posture_mismatch(series, profile, phase, name, view.view)
    if not mismatch:
        return view
    advice = f"{view.advice} {mismatch}" if not view.ok and view.advice else mismatch
    return view.model_copy(update={"ok": False, "wrong_exercise": mismatch, "advice": advice})


def write_annotated(
    source: FrameSource, track: PoseTrack, result: AnalysisResult, out: Path
) -> None:
    """Second decoding pass: skeleton, counter and fault labels as they happen."""
    writer = VideoWriter(str(out), source.fps, source.width, source.height)
    message = "" if result.view.ok else result.view.advice
    rec = track.recording
    chosen = (rec.landmarks, *rec.others)[result.person]  # the person analysed
    try:
        for t, frame in enumerate(source.frames()):
            landmarks = chosen[t] if t < chosen.shape[0] else None
            if landmarks is not None and np.isnan(landmarks[:, 0]).all():
                landmarks = None
            overlay = overlay_at(t / source.fps, result.reps)
            if message:
                overlay = type(overlay)(overlay.reps_done, overlay.faults, message)
            writer.write(draw(frame, landmarks, overlay))
    finally:
        writer.close()


def backend_for(source: FrameSource) -> PoseBackend:
    if isinstance(source, RecordingSource):
        return ReplayPoseBackend(source.recording.landmarks)
    return MediaPipePoseBackend()


def mediapipe_people(static_image_mode: bool) -> PoseBackend:
    return MediaPipePoseBackend(static_image_mode=static_image_mode)


def analyze_source(
    source: int | str | Path,
    exercise_id: str,
    side: str | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
    save_landmarks: Path | None = None,
    backend: PoseBackend | None = None,
    max_seconds: float | None = None,
    people: BackendFactory | None = None,
    baseline: FormBaseline | None = None,
) -> AnalysisResult:
    """The whole pipeline for one video file, camera index or landmark recording.

    ``max_seconds`` stops after that much footage (a live camera otherwise never ends).
    ``people`` makes pose backends that look for (and follow) a second person; by default
    MediaPipe for videos and cameras, nobody extra for recordings or an explicit ``backend``.
    ``baseline``: the person's clean-rep baseline carried from an earlier set (see analyze_track).
    """
    checks = load_form_checks()
    checks.profile_for(exercise_id)  # unknown exercise: fail before decoding anything
    frames = open_source(source)
    try:
        pose = backend or backend_for(frames)
        window = TimeLimited(frames, max_seconds) if max_seconds else frames
        finder = people
        if finder is None and backend is None and not isinstance(frames, RecordingSource):
            finder = mediapipe_people
        try:
            track = track_pose(window, pose, progress, finder)
        finally:
            pose.close()
        if isinstance(frames, RecordingSource) and frames.recording.others:
            recorded = replace(track.recording, others=frames.recording.others)
            track = replace(track, recording=recorded)
    finally:
        frames.close()
    if save_landmarks is not None:
        save_recording(save_landmarks, track.recording)
    result = analyze_track(track, exercise_id, side, checks, baseline)
    if out is not None:
        again = open_source(source)
        try:
            write_annotated(again, track, result, out)
        finally:
            again.close()
    return result
