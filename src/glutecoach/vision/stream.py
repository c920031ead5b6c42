"""The live camera coach as a stream of landmarks: whatever carries the frames (a WebSocket from
the browser, a camera, a replayed recording), each frame's 33 MediaPipe landmarks go in and the
coach's state comes out: placement advice, rep count, hold timer, one spoken cue at a time.

The analysis is the CLI's: ``analyze_track`` on the recent landmarks (re-run as frames arrive),
``summarize`` for the set's FormSummary. Nothing here stores video; landmarks live in memory for
the set only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glutecoach.core.models import FormSummary
from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.analyzers.base import cut_segments, smoothed_features
from glutecoach.vision.errors import NoPersonError
from glutecoach.vision.form_checks import FormChecks, Profile, load_form_checks
from glutecoach.vision.joints import FloatArray
from glutecoach.vision.models import AnalysisResult, FormBaseline, RepObservation
from glutecoach.vision.pipeline import PoseTrack, analyze_track
from glutecoach.vision.recording import LandmarkRecording
from glutecoach.vision.skeletons import MEDIAPIPE_LANDMARKS, MEDIAPIPE_MAP, from_mediapipe
from glutecoach.vision.summary import summarize

WINDOW_SECONDS = 60.0  # the analyzer re-runs on this much recent movement (a set's reps)
PLACEMENT_SECONDS = 1.5  # the placement guide judges the last second and a half
ANALYSE_EVERY_SECONDS = 0.25  # reps and cues are refreshed this often (the timer every frame)
CUE_COOLDOWN_SECONDS = 8.0  # at most one spoken form cue in this long
IN_POSITION_REPS = 0.6  # the upper 40 % of the person's range: the hold position
IN_POSITION_HOLDS = 0.5  # a hold exercise's posture indicator: as the analyzers time holds
NOT_SEEN = 0.5  # a landmark less visible than this is "not seen" for the placement guide
EDGE = 0.02  # and one this far outside the picture is out of frame

# Body parts the placement guide names, with the MediaPipe landmarks that show them.
PARTS: dict[str, tuple[int, ...]] = {
    "feet": tuple(
        MEDIAPIPE_MAP[j] for j in ("left_ankle", "right_ankle", "left_heel", "right_heel")
    ),
    "knees": (MEDIAPIPE_MAP["left_knee"], MEDIAPIPE_MAP["right_knee"]),
    "hips": (MEDIAPIPE_MAP["left_hip"], MEDIAPIPE_MAP["right_hip"]),
    "shoulders": (MEDIAPIPE_MAP["left_shoulder"], MEDIAPIPE_MAP["right_shoulder"]),
    "head": (MEDIAPIPE_MAP["head"],),
}
VIEW_WORDS = {
    "side": "Turn sideways to the camera, so it sees you from the side.",
    "front": "Face the camera, so it sees you from the front.",
    "oblique": "Turn a little towards the camera (a three-quarter view).",
}


@dataclass(frozen=True)
class Placement:
    """Is the person in the picture, seen from a view this exercise can be judged from?"""

    person: bool
    ok: bool
    view: str
    message: str
    checking: bool = False  # too early to judge the view: nothing to say out loud yet

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "ok": self.ok,
            "view": self.view,
            "message": self.message,
            "checking": self.checking,
        }


@dataclass
class LiveState:
    """What the page shows after one frame."""

    t: float
    placement: Placement
    reps: int
    in_position: bool
    hold_s: float
    best_hold_s: float
    cue: str | None = None
    cue_fault: str | None = None
    skeleton: list[list[float]] = field(default_factory=list)
    form: FormSummary | None = None  # the reps counted so far, for the set log

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "state",
            "t": round(self.t, 3),
            "placement": self.placement.as_dict(),
            "reps": self.reps,
            "in_position": self.in_position,
            "hold_s": round(self.hold_s, 2),
            "best_hold_s": round(self.best_hold_s, 2),
            "cue": self.cue,
            "cue_fault": self.cue_fault,
            "skeleton": self.skeleton,
            "form": None if self.form is None else self.form.model_dump(mode="json"),
        }


@dataclass(frozen=True)
class SetMeasurement:
    """What the camera measured over the whole set, for the set log."""

    reps: int
    hold_seconds: float | None
    form: FormSummary | None
    advice: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "result",
            "reps": self.reps,
            "hold_seconds": self.hold_seconds,
            "form": None if self.form is None else self.form.model_dump(mode="json"),
            "advice": self.advice,
        }


def placement_of(
    latest: FloatArray | None,
    result: AnalysisResult | None,
    profile: Profile,
    recent: FloatArray | None = None,
) -> Placement:
    """The placement guide's verdict: nobody on the latest frame; else body parts missing from
    most of the ``recent`` frames (the latest alone when not given: one frame's guess of a
    limb out of view can land inside the picture); else the recent view check."""
    if latest is None or not np.isfinite(latest[:, :2]).any():
        return Placement(False, False, "unknown", "I can't see you: step into the picture.")
    frames = latest[None] if recent is None else recent
    missing = [name for name, idx in PARTS.items() if _in_frame_share(frames, idx) < 0.5]
    if missing:
        return Placement(True, False, "unknown", _out_of_frame_message(missing))
    if result is None:
        message = "Hold still a moment: checking the camera view."
        return Placement(True, False, "unknown", message, checking=True)
    view = result.view
    if view.view not in profile.views and view.view != "unknown":
        turn = VIEW_WORDS[profile.views[0]]
        return Placement(True, False, view.view, f"{turn} {profile.camera_advice}".strip())
    if not view.ok:
        return Placement(True, False, view.view, view.advice or profile.camera_advice)
    return Placement(True, True, view.view, "Good: the camera sees you well. Start when ready.")


def _in_frame_share(frames: FloatArray, idx: tuple[int, ...]) -> float:
    """Share of the frames with a person in which any of these landmarks is seen in the picture."""
    person = np.isfinite(frames[:, :, 0]).any(axis=1)
    rows = frames[person][:, list(idx)]
    if rows.shape[0] == 0:
        return 0.0
    with np.errstate(invalid="ignore"):
        inside = (np.abs(rows[:, :, :2] - 0.5) <= 0.5 + EDGE).all(axis=2)
    seen = np.nan_to_num(rows[:, :, 3], nan=0.0) >= NOT_SEEN
    return float((inside & seen).any(axis=1).mean())


def _out_of_frame_message(missing: list[str]) -> str:
    parts = " and ".join(missing[:2])
    verb = "is" if len(missing) == 1 and missing[0] == "head" else "are"
    return (
        f"Move the camera further away (or step back): your {parts} {verb} out of frame. "
        "The whole body should be in the picture."
    )


class LiveStream:
    """One person's set, fed one frame's landmarks at a time (times in seconds from the start)."""

    def __init__(
        self,
        exercise_id: str,
        side: str | None = None,
        *,
        checks: FormChecks | None = None,
        cue_cooldown_s: float = CUE_COOLDOWN_SECONDS,
        width: int = 640,
        height: int = 480,
        baseline: Mapping[str, float] | None = None,
    ) -> None:
        self.checks = checks or load_form_checks()
        # the person's clean-rep baseline from their last camera set of this exercise
        self.carried = FormBaseline(metrics=dict(baseline), reps_used=0) if baseline else None
        self.profile_name, self.profile = self.checks.profile_for(exercise_id)
        self.analyzer = ANALYZERS[self.profile.analyzer]
        self.exercise_id, self.side = exercise_id, side
        self.cues = {c.fault: c.cue for c in self.profile.checks}
        self.cooldown = cue_cooldown_s
        self.width, self.height = width, height
        self.times: list[float] = []
        self.rows: list[FloatArray] = []
        self.reps: list[RepObservation] = []  # announced, whole reps, in the set's time
        self.result: AnalysisResult | None = None
        self.last_analysis = -1e9
        self.last_cue = -1e9
        self.hold_s = 0.0
        self.best_hold_s = 0.0
        self.in_position = False
        self._form_cache: tuple[int, FormSummary] | None = None

    # --- feeding frames --------------------------------------------------------------------
    def push(self, t: float, landmarks: FloatArray | None) -> LiveState:
        """One frame's landmarks ((33, 4) normalised, or None: nobody seen) at time ``t``."""
        if landmarks is not None and landmarks.shape != (MEDIAPIPE_LANDMARKS, 4):
            raise ValueError(f"expected ({MEDIAPIPE_LANDMARKS}, 4) landmarks per frame")
        if self.times and t <= self.times[-1]:
            raise ValueError("frame times must increase")
        dt = t - self.times[-1] if self.times else 0.0
        row = np.full((MEDIAPIPE_LANDMARKS, 4), np.nan) if landmarks is None else landmarks
        self.times.append(t)
        self.rows.append(np.asarray(row, dtype=np.float64))
        cue: tuple[str, str] | None = None
        if t - self.last_analysis >= ANALYSE_EVERY_SECONDS and len(self.rows) >= 3:
            self.last_analysis = t
            cue = self._analyse(t)
        recent = np.stack(self.rows[_first_within(self.times, t - PLACEMENT_SECONDS) :])
        placement = placement_of(landmarks, self.result, self.profile, recent)
        self._time_hold(dt, placement)
        return LiveState(
            t=t,
            placement=placement,
            reps=len(self.reps),
            in_position=self.in_position,
            hold_s=self.hold_s,
            best_hold_s=self.best_hold_s,
            cue=cue[1] if cue else None,
            cue_fault=cue[0] if cue else None,
            skeleton=_skeleton(landmarks),
            form=self._form_so_far(),
        )

    def setup(self) -> dict[str, Any]:
        """Where the camera goes for this exercise (before the first frame)."""
        return {
            "type": "ready",
            "exercise_id": self.exercise_id,
            "views": list(self.profile.views),
            "camera_advice": self.profile.camera_advice,
            "hold_exercise": self.profile.rep.kind == "holds",
        }

    def _form_so_far(self) -> FormSummary | None:
        if not self.reps:
            return None
        if self._form_cache is None or self._form_cache[0] != len(self.reps):
            reps = [r.model_copy(update={"index": i}) for i, r in enumerate(self.reps, start=1)]
            self._form_cache = (len(self.reps), summarize(reps))
        return self._form_cache[1]

    def finish(self) -> SetMeasurement:
        """The whole set analysed once more: reps, hold and the FormSummary for the set log."""
        try:
            final = self._analysis(0)
        except NoPersonError:
            return SetMeasurement(0, None, None, "Nobody was seen during this set.")
        if not final.view.ok:
            return SetMeasurement(len(self.reps), None, None, final.view.advice)
        self._announce(final, 0.0)
        reps = [r.model_copy(update={"index": i}) for i, r in enumerate(self.reps, start=1)]
        holds = [r.hold_seconds for r in reps if r.hold_seconds > 0]
        hold: float | None = round(self.best_hold_s, 1) if self.best_hold_s > 0 else None
        if self.profile.rep.kind == "reps" and holds:
            hold = round(float(np.mean(holds)), 1)
        form = summarize(reps, final.baseline) if reps else None
        return SetMeasurement(len(reps), hold, form)

    # --- analysis --------------------------------------------------------------------------
    def _fps(self, times: list[float]) -> float:
        if len(times) < 2 or times[-1] <= times[0]:
            return 15.0
        return (len(times) - 1) / (times[-1] - times[0])

    def _analysis(self, first: int) -> AnalysisResult:
        times = self.times[first:]
        rec = LandmarkRecording(
            np.stack(self.rows[first:]), self._fps(times), self.width, self.height
        )
        track = PoseTrack("camera", rec)
        return analyze_track(track, self.exercise_id, self.side, self.checks, self.carried)

    def _analyse(self, now: float) -> tuple[str, str] | None:
        first = _first_within(self.times, now - WINDOW_SECONDS)
        recent = _first_within(self.times, now - PLACEMENT_SECONDS)
        try:
            self.result = self._analysis(first)
            view_now = self._analysis(recent).view if len(self.times) - recent >= 3 else None
        except NoPersonError:
            self.result = None
            self.in_position = False
            return None
        window = self.result
        if view_now is not None:
            self.result = self.result.model_copy(update={"view": view_now})
        self.in_position = self._at_the_top(window, first)
        fresh = self._announce(self.result, self.times[first])
        return self._cue_for(fresh, now)

    def _at_the_top(self, window: AnalysisResult, first: int) -> bool:
        """Is the latest frame in the hold position (the top of the person's own range)? Read
        from the window's analysis (its last phase value); computed here only when the window
        as a whole was not scored (the view only became right in the last moments)."""
        if self.result is None or not self.result.view.ok:
            return False
        level = IN_POSITION_HOLDS if self.profile.rep.kind == "holds" else IN_POSITION_REPS
        now = window.phase_now if window.phase_now is not None else self._phase_now(first)
        return now is not None and now >= level

    def _phase_now(self, first: int) -> float | None:
        rec = np.stack(self.rows[first:])
        series = from_mediapipe(rec, self.width, self.height, self._fps(self.times[first:]))
        with np.errstate(invalid="ignore", divide="ignore"):
            feats = smoothed_features(series, self.profile, self.analyzer, self.side)
            unit = cut_segments(feats["phase"], self.profile.rep, series.fps).unit
        return float(unit[-1]) if unit.size and np.isfinite(unit[-1]) else None

    def _announce(self, result: AnalysisResult, offset: float) -> list[RepObservation]:
        """Whole reps not yet announced (reps never overlap: one starting before the last
        announced end is not new)."""
        last_end = self.reps[-1].end_s if self.reps else -1.0
        fresh = []
        for rep in result.reps:
            if rep.clipped is not None:
                continue
            shifted = rep.model_copy(
                update={"start_s": rep.start_s + offset, "end_s": rep.end_s + offset}
            )
            if shifted.start_s < last_end - 1e-3:
                continue
            self.reps.append(shifted)
            fresh.append(shifted)
            last_end = shifted.end_s
        return fresh

    def _cue_for(self, fresh: list[RepObservation], now: float) -> tuple[str, str] | None:
        """The most confident fault of the newest reps, if the last cue is long enough ago."""
        if now - self.last_cue < self.cooldown:
            return None
        faults = [(r.fault_confidence.get(f, 1.0), f) for r in fresh for f in r.faults]
        if not faults:
            return None
        _, fault = max(faults)
        self.last_cue = now
        return fault, self.cues.get(fault, fault.replace("_", " "))

    def _time_hold(self, dt: float, placement: Placement) -> None:
        if not (placement.ok and self.in_position):
            self.in_position = self.in_position and placement.ok
            self.hold_s = 0.0
            return
        self.hold_s += dt
        self.best_hold_s = max(self.best_hold_s, self.hold_s)


def _first_within(times: list[float], since: float) -> int:
    return int(np.searchsorted(np.asarray(times), since, side="left"))


def _skeleton(landmarks: FloatArray | None) -> list[list[float]]:
    """x, y, visibility per landmark (rounded) for the page's overlay; [] when nobody is seen."""
    if landmarks is None:
        return []
    clean = np.nan_to_num(landmarks[:, [0, 1, 3]], nan=-1.0)
    return [[round(float(v), 3) for v in row] for row in clean]
