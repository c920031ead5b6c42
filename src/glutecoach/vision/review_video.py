"""Form review of one recorded set: the analysis, then an annotated video a browser plays.

The clinic's workers (``clinic/worker.py``) and the home server's review thread (handed in by
``glutecoach serve``) both call :func:`review_clip`. Two decoding passes: the pose model on
every frame (then reps, holds, faults, the view), and the drawing pass, which writes every
source frame again with the skeleton, the rep counter, the hold timer (running while the
person is in the hold position, as in the live session), the view used and each fault's label
while its rep lasts. The video is WebM (VP8), which Chromium, Firefox and Safari play.

Clips recorded by a browser (MediaRecorder) announce no frame rate and no length; their frame
times are read while decoding, so reps, holds and fault times are in real seconds (their
progress moves only in the drawing pass: the pose pass does not know how many frames come).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.analyzers.base import cut_segments, smoothed_features
from glutecoach.vision.annotate import Overlay, VideoWriter, draw, overlay_at
from glutecoach.vision.backends import native_stderr_silenced, quiet_native_logs
from glutecoach.vision.capture import DEFAULT_FPS, FrameSource, open_source
from glutecoach.vision.errors import VideoError
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import FloatArray, Image
from glutecoach.vision.models import AnalysisResult
from glutecoach.vision.people import BackendFactory
from glutecoach.vision.pipeline import PoseTrack, analyze_track, backend_for, track_pose
from glutecoach.vision.recording import is_recording
from glutecoach.vision.skeletons import from_mediapipe
from glutecoach.vision.stream import IN_POSITION_HOLDS, IN_POSITION_REPS
from glutecoach.vision.summary import summarize

VIDEO_SUFFIX = ".webm"
VIDEO_FOURCC = "VP80"
POSE_SHARE = 0.75  # progress: the pose pass is most of the work, the drawing pass the rest
Report = Callable[[float], None]


class TimedVideo:
    """A video file whose frame rate is measured from its frames' times while decoding.

    A browser's recording (MediaRecorder WebM) has no frame rate or length in its header;
    ``fps`` is the container's until the frames have been read, then the measured one.
    """

    def __init__(self, path: Path) -> None:
        quiet_native_logs()
        import cv2

        self._cv2: Any = cv2
        self.name = str(path)
        with native_stderr_silenced():
            self._capture = cv2.VideoCapture(str(path))
        if not self._capture.isOpened():
            raise VideoError(f"{path.name}: cannot open this video")
        announced = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = announced if 1.0 <= announced <= 240.0 else DEFAULT_FPS
        self.width = int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        self.height = int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        count = int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT))
        self.frame_count = count if 0 < count < 10_000_000 else 0
        self.times_ms: list[float] = []
        if self.width <= 0 or self.height <= 0:
            self.close()
            raise VideoError(f"{path.name}: cannot decode this video (no frame size)")

    def frames(self) -> Iterator[Image]:
        self.times_ms = []
        while True:
            ok, frame = self._capture.read()
            if not ok or frame is None:
                break
            self.times_ms.append(float(self._capture.get(self._cv2.CAP_PROP_POS_MSEC)))
            yield np.asarray(frame, dtype=np.uint8)
        if not self.times_ms:
            raise VideoError(f"{self.name}: cannot decode any frame of this video")
        self.fps = measured_fps(self.times_ms, self.fps)
        self.frame_count = len(self.times_ms)

    def close(self) -> None:
        self._capture.release()


def measured_fps(times_ms: list[float], fallback: float) -> float:
    """Frames per second from the frames' times (the fallback when they are not usable)."""
    span = (times_ms[-1] - times_ms[0]) / 1000 if len(times_ms) >= 2 else 0.0
    if span <= 0:
        return fallback
    fps = (len(times_ms) - 1) / span
    return fps if 1.0 <= fps <= 240.0 else fallback


def _open(clip: Path) -> FrameSource:
    return open_source(clip) if is_recording(clip) else TimedVideo(clip)


def in_position_mask(
    track: PoseTrack, result: AnalysisResult, side: str | None
) -> npt.NDArray[np.bool_]:
    """Per frame: is the analysed person in the hold position (the live session's rule)?"""
    frames = result.frames
    if not result.view.ok or frames == 0:
        return np.zeros(frames, dtype=bool)
    rec = track.recording
    landmarks = (rec.landmarks, *rec.others)[result.person]
    series = from_mediapipe(landmarks, rec.width, rec.height, rec.fps, source=track.name)
    profile = load_form_checks().profile_for(result.exercise)[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        feats = smoothed_features(series, profile, ANALYZERS[profile.analyzer], side)
        unit = cut_segments(feats["phase"], profile.rep, series.fps).unit
    level = IN_POSITION_HOLDS if profile.rep.kind == "holds" else IN_POSITION_REPS
    mask = np.zeros(frames, dtype=bool)
    n = min(frames, unit.size)
    with np.errstate(invalid="ignore"):
        mask[:n] = np.isfinite(unit[:n]) & (unit[:n] >= level)
    return mask


def hold_timers(mask: npt.NDArray[np.bool_], fps: float) -> list[float]:
    """The hold timer at each frame: seconds in position so far, 0 after leaving it."""
    timers, running = [], 0.0
    for inside in mask:
        running = running + 1.0 / fps if inside else 0.0
        timers.append(round(running, 1))
    return timers


def fault_events(result: AnalysisResult) -> list[dict[str, Any]]:
    """Each fault with the time its rep starts (where the video shows it), in time order."""
    events = []
    for rep in result.reps:
        for fault in rep.faults:
            confidence = rep.fault_confidence.get(fault)
            events.append(
                {
                    "t": round(rep.start_s, 2),
                    "rep": rep.index,
                    "fault": fault,
                    "possible": False,
                    "confidence": confidence,
                }
            )
        for fault in rep.uncertain_faults:
            confidence = rep.fault_confidence.get(fault)
            events.append(
                {
                    "t": round(rep.start_s, 2),
                    "rep": rep.index,
                    "fault": fault,
                    "possible": True,
                    "confidence": confidence,
                }
            )
    return sorted(events, key=lambda e: (e["t"], e["rep"], e["possible"], e["fault"]))


def render_video(
    clip: Path,
    track: PoseTrack,
    result: AnalysisResult,
    out: Path,
    side: str | None = None,
    report: Report | None = None,
) -> int:
    """The drawing pass: every frame of ``clip`` annotated into ``out`` (WebM VP8); returns
    the number of frames written."""
    timers = hold_timers(in_position_mask(track, result, side), track.recording.fps)
    holds = load_form_checks().profile_for(result.exercise)[1].rep.kind == "holds"
    message = "" if result.view.ok else result.view.advice
    view = result.view.view if result.view.view != "unknown" else ""
    rec = track.recording
    chosen: FloatArray = (rec.landmarks, *rec.others)[result.person]
    fps = rec.fps
    source = _open(clip)
    writer = VideoWriter(str(out), fps, source.width, source.height, VIDEO_FOURCC)
    written = 0
    try:
        for t, frame in enumerate(source.frames()):
            landmarks = chosen[t] if t < chosen.shape[0] else None
            if landmarks is not None and np.isnan(landmarks[:, 0]).all():
                landmarks = None
            base = overlay_at(t / fps, result.reps)
            hold = timers[t] if t < len(timers) else 0.0
            shown = hold if (holds or hold > 0) and result.view.ok else None
            overlay = Overlay(base.reps_done, base.faults, message, shown, view)
            writer.write(draw(frame, landmarks, overlay))
            written += 1
            if report is not None and written % 10 == 0 and result.frames:
                report(min(written / result.frames, 1.0))
    finally:
        writer.close()
        source.close()
    return written


def review_clip(
    clip: Path,
    exercise_id: str,
    video_out: Path | None,
    report: Report | None = None,
    side: str | None = None,
    people: BackendFactory | None = None,
) -> dict[str, Any]:
    """Analyse ``clip`` and (with ``video_out``) render its annotated video; the result as a
    JSON-ready dict: reps, holds, faults (and when they happen), the view, the form summary.

    ``report`` receives the share done (0-1) now and then. Raises VisionError (a clip that
    cannot be decoded, nobody in it, an exercise without a camera profile).
    """
    checks = load_form_checks()
    checks.profile_for(exercise_id)  # no camera profile: fail before decoding anything
    source = _open(clip)
    total = source.frame_count
    seen = 0

    def tick(frames: int) -> None:
        nonlocal seen
        seen += frames
        if report is not None and total and seen % 10 == 0:
            report(POSE_SHARE * min(seen / total, 1.0))

    try:
        pose = backend_for(source)
        finder = people
        if finder is None and not is_recording(clip):
            from glutecoach.vision.pipeline import mediapipe_people

            finder = mediapipe_people
        try:
            track = track_pose(source, pose, tick, finder)
        finally:
            pose.close()
    finally:
        source.close()
    result = analyze_track(track, exercise_id, side, checks)
    frames_written = 0
    if video_out is not None:
        drawing = None if report is None else (lambda s: report(POSE_SHARE + (1 - POSE_SHARE) * s))
        frames_written = render_video(clip, track, result, video_out, side, drawing)
    return review_result(result, frames_written)


def review_result(result: AnalysisResult, video_frames: int) -> dict[str, Any]:
    return {
        "reps": len(result.reps),
        "holds_s": [r.hold_seconds for r in result.reps if r.hold_seconds],
        "faults": sorted({f for r in result.reps for f in r.faults}),
        "events": fault_events(result),
        "rep_list": [
            {
                "index": r.index,
                "start_s": round(r.start_s, 2),
                "end_s": round(r.end_s, 2),
                "hold_s": round(r.hold_seconds, 1),
                "faults": list(r.faults),
            }
            for r in result.reps
        ],
        "view": result.view.view,
        "view_ok": result.view.ok,
        "advice": result.view.advice,
        "summary": summarize(result.reps).model_dump(mode="json"),
        "frames": result.frames,
        "fps": round(result.fps, 3),
        "video_frames": video_frames,
        "warnings": list(result.warnings),
    }
