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

UPDATE_SECONDS = 0.5  # re-run the (vectorised) analyzer this often ...
WINDOW_SECONDS = 120.0  # ... on this much recent video (long enough for any hold)
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


class _Coach:
    """Re-analyses the last WINDOW_SECONDS every UPDATE_SECONDS; announces each rep once."""

    def __init__(
        self, exercise_id: str, side: str | None, fps: float, on_event: Callable[[LiveEvent], None]
    ) -> None:
        self.checks = load_form_checks()
        _, profile = self.checks.profile_for(exercise_id)
        self.cues = {c.fault: c.cue for c in profile.checks}
        self.exercise_id, self.side, self.fps, self.on_event = exercise_id, side, fps, on_event
        self.count = 0
        self.announced_until = -1.0
        self.last_advice = -ADVICE_EVERY_SECONDS

    def update(self, source: Any, rows: list[FloatArray], now: float) -> Overlay:
        window = rows[-round(WINDOW_SECONDS * self.fps) :]
        offset = (len(rows) - len(window)) / self.fps
        track = _track(source, window)
        if track.person_frames == 0:
            return Overlay(self.count, (), "Step into the picture")
        result = analyze_track(track, self.exercise_id, self.side, self.checks)
        if not result.view.ok and now - self.last_advice >= ADVICE_EVERY_SECONDS:
            self.on_event(LiveEvent("advice", now, result.view.advice))
            self.last_advice = now
        # a rep cut by the window's edges is announced once it is whole (or by the final pass)
        reps = [_shifted(rep, offset) for rep in result.reps if rep.clipped is None]
        self.announce(reps, now)
        faults = overlay_at(now, reps).faults
        return Overlay(self.count, faults, "" if result.view.ok else result.view.advice)

    def announce(self, reps: list[RepObservation], now: float | None = None) -> None:
        """Reps never overlap, so a rep starting before the last announced end is not new."""
        for rep in reps:
            if rep.start_s < self.announced_until - 0.5 / self.fps:
                continue
            self.count += 1
            rep = rep.model_copy(update={"index": self.count})
            when = rep.end_s if now is None else now
            self.on_event(LiveEvent("rep", when, _cue_text(rep, self.cues), rep))
            self.announced_until = rep.end_s


def _shifted(rep: RepObservation, offset: float) -> RepObservation:
    if offset == 0:
        return rep
    update = {"start_s": round(rep.start_s + offset, 3), "end_s": round(rep.end_s + offset, 3)}
    return rep.model_copy(update=update)


def run_live(
    source: int | str | Path,
    exercise_id: str,
    on_event: Callable[[LiveEvent], None],
    side: str | None = None,
    out: Path | None = None,
    show: bool = False,
    max_seconds: float | None = None,
) -> AnalysisResult:
    """Coach from a camera index or file; events as reps finish; the final analysis returned.

    Ctrl-C (or q in the window) stops the session; the whole recording is then analysed once
    more and that final result is returned.
    """
    frames = open_source(source)
    coach = _Coach(exercise_id, side, frames.fps, on_event)
    backend = backend_for(frames)
    writer = VideoWriter(str(out), frames.fps, frames.width, frames.height) if out else None
    rows: list[FloatArray] = []
    empty = np.full((MEDIAPIPE_LANDMARKS, 4), np.nan)
    every = max(1, round(UPDATE_SECONDS * frames.fps))
    overlay = Overlay(0)
    try:
        for t, frame in enumerate(frames.frames()):
            now = t / frames.fps
            if max_seconds is not None and now >= max_seconds:
                break
            landmarks = backend.process(bgr_to_rgb(frame))
            rows.append(empty if landmarks is None else landmarks)
            if (t + 1) % every == 0 and now >= WARMUP_SECONDS:
                overlay = coach.update(frames, rows, now)
            drawn = draw(frame, landmarks, overlay)
            if writer is not None:
                writer.write(drawn)
            if show and not _show(drawn):
                break
    except KeyboardInterrupt:
        pass
    finally:
        backend.close()
        frames.close()
        if writer is not None:
            writer.close()
    if not rows:
        raise NoPersonError(f"{frames.name}: no frames read")
    track = _track(frames, rows)
    if track.person_frames == 0:
        raise NoPersonError(f"{frames.name}: no person found")
    final = analyze_track(track, exercise_id, side, coach.checks)
    coach.announce(list(final.reps))
    return final


def _track(frames: Any, rows: list[FloatArray]) -> PoseTrack:
    rec = LandmarkRecording(np.stack(rows), frames.fps, frames.width, frames.height)
    return PoseTrack(frames.name, rec)
