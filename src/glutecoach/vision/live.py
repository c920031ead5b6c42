"""Live coaching: the same pipeline, run incrementally on a camera (or a file, for tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glutecoach.vision.annotate import Overlay, VideoWriter, draw, overlay_at
from glutecoach.vision.capture import open_source
from glutecoach.vision.errors import NoPersonError
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.joints import FloatArray, Image
from glutecoach.vision.models import AnalysisResult, RepObservation
from glutecoach.vision.pipeline import PoseTrack, analyze_track, backend_for, bgr_to_rgb
from glutecoach.vision.recording import LandmarkRecording
from glutecoach.vision.skeletons import MEDIAPIPE_LANDMARKS

UPDATE_SECONDS = 0.25  # re-run the (vectorised) analyzer this often
WARMUP_SECONDS = 2.0  # before judging the camera view
ADVICE_EVERY_SECONDS = 10.0


@dataclass(frozen=True)
class LiveEvent:
    kind: str  # "rep" | "advice"
    time_s: float
    text: str
    rep: RepObservation | None = None


def _cue_text(rep: RepObservation, cues: dict[str, str]) -> str:
    head = f"rep {rep.index} ({rep.side}): quality {rep.quality:.2f}"
    if not rep.faults:
        return f"{head} - good"
    return f"{head} - " + " ".join(cues.get(f, f) for f in rep.faults)


def _show(frame: Image) -> bool:
    """Show a frame in a window; False when OpenCV has no GUI (headless build) or it was closed."""
    cv2: Any = __import__("cv2")
    try:
        cv2.imshow("glutecoach", frame)
        return bool((cv2.waitKey(1) & 0xFF) != ord("q"))
    except cv2.error:
        return False


def run_live(
    source: int | str | Path,
    exercise_id: str,
    on_event: Callable[[LiveEvent], None],
    side: str | None = None,
    out: Path | None = None,
    show: bool = False,
    max_seconds: float | None = None,
) -> AnalysisResult:
    """Coach from a camera index or file; events as reps finish; the final analysis returned."""
    checks = load_form_checks()
    _, profile = checks.profile_for(exercise_id)
    cues = {c.fault: c.cue for c in profile.checks}
    frames = open_source(source)
    backend = backend_for(frames)
    writer = VideoWriter(str(out), frames.fps, frames.width, frames.height) if out else None
    rows: list[FloatArray] = []
    empty = np.full((MEDIAPIPE_LANDMARKS, 4), np.nan)
    every = max(1, round(UPDATE_SECONDS * frames.fps))
    announced, last_advice = 0, -ADVICE_EVERY_SECONDS
    overlay = Overlay(0)
    reps: tuple[RepObservation, ...] = ()
    try:
        for t, frame in enumerate(frames.frames()):
            now = t / frames.fps
            if max_seconds is not None and now >= max_seconds:
                break
            landmarks = backend.process(bgr_to_rgb(frame))
            rows.append(empty if landmarks is None else landmarks)
            if (t + 1) % every == 0 and now >= WARMUP_SECONDS:
                track = _track(frames, rows)
                if track.person_frames == 0:
                    overlay = Overlay(0, (), "Step into the picture")
                else:
                    result = analyze_track(track, exercise_id, side, checks)
                    reps = result.reps
                    if not result.view.ok and now - last_advice >= ADVICE_EVERY_SECONDS:
                        on_event(LiveEvent("advice", now, result.view.advice))
                        last_advice = now
                    for rep in reps[announced:]:
                        on_event(LiveEvent("rep", now, _cue_text(rep, cues), rep))
                    announced = max(announced, len(reps))
                    message = "" if result.view.ok else result.view.advice
                    current = overlay_at(now, reps)
                    overlay = Overlay(current.reps_done, current.faults, message)
            drawn = draw(frame, landmarks, overlay)
            if writer is not None:
                writer.write(drawn)
            if show and not _show(drawn):
                show = False
    finally:
        backend.close()
        frames.close()
        if writer is not None:
            writer.close()
    track = _track(frames, rows)
    if track.person_frames == 0:
        raise NoPersonError(f"{frames.name}: no person found")
    final = analyze_track(track, exercise_id, side, checks)
    for rep in final.reps[announced:]:
        on_event(LiveEvent("rep", rep.end_s, _cue_text(rep, cues), rep))
    return final


def _track(frames: Any, rows: list[FloatArray]) -> PoseTrack:
    rec = LandmarkRecording(np.stack(rows), frames.fps, frames.width, frames.height)
    return PoseTrack(frames.name, rec)
