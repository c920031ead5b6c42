"""More than one person in the picture: find them, and choose the one doing the exercise.

MediaPipe Pose follows one person. ``PeopleTracker`` probes every PROBE_EVERY frames with the
first person blanked out of the picture; once someone else is found there, a second tracker
follows them on every frame (the first person blanked). ``choose_person`` then picks the person
whose body moves the way the exercise does, and says that more than one person was in view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from glutecoach.vision.backends import PoseBackend
from glutecoach.vision.form_model import Profile
from glutecoach.vision.joints import FloatArray, Image, PoseSeries

PROBE_EVERY = 60  # frames between looks for a second person (2 s at 30 fps)
MASK_MARGIN = 0.15  # the blanked box around the first person, as a share of its size
SEEN = 0.5  # landmark visibility counted as part of the person's box
BackendFactory = Callable[[bool], PoseBackend]  # static_image_mode -> a fresh backend


def person_box(landmarks: FloatArray, width: int, height: int) -> tuple[int, int, int, int]:
    """Pixel box (x0, y0, x1, y1) around a person's landmarks, with a margin."""
    seen = landmarks[landmarks[:, 3] >= SEEN] if (landmarks[:, 3] >= SEEN).any() else landmarks
    x0, y0 = np.nanmin(seen[:, :2], axis=0)
    x1, y1 = np.nanmax(seen[:, :2], axis=0)
    mx, my = MASK_MARGIN * (x1 - x0), MASK_MARGIN * (y1 - y0)
    return (
        int(max(0, (x0 - mx) * width)),
        int(max(0, (y0 - my) * height)),
        int(min(width, (x1 + mx) * width)),
        int(min(height, (y1 + my) * height)),
    )


def blank_out(rgb: Image, landmarks: FloatArray) -> Image:
    """The frame with one person's box filled with the frame's mean colour."""
    height, width = rgb.shape[:2]
    x0, y0, x1, y1 = person_box(landmarks, width, height)
    masked = rgb.copy()
    masked[y0:y1, x0:x1] = rgb.reshape(-1, 3).mean(axis=0).astype(np.uint8)
    return masked


class PeopleTracker:
    """The main pose backend, plus a second person's track once one has been seen."""

    def __init__(self, primary: PoseBackend, factory: BackendFactory | None) -> None:
        self.primary, self.factory = primary, factory
        self.second: PoseBackend | None = None
        self._probe: PoseBackend | None = None  # one still-image model, reused for every look
        self._frame = 0

    def process(self, rgb: Image) -> tuple[FloatArray | None, FloatArray | None]:
        first = self.primary.process(rgb)
        frame, self._frame = self._frame, self._frame + 1
        if first is None or self.factory is None:
            return first, None
        if self.second is None and frame % PROBE_EVERY == 0 and self._someone_else(rgb, first):
            self.second = self.factory(False)
        if self.second is None:
            return first, None
        return first, self.second.process(blank_out(rgb, first))

    def _someone_else(self, rgb: Image, first: FloatArray) -> bool:
        assert self.factory is not None
        if self._probe is None:
            self._probe = self.factory(True)
        found = self._probe.process(blank_out(rgb, first)) is not None
        if found:  # from now on the second tracker follows them; no more looks needed
            self._probe.close()
            self._probe = None
        return found

    def close_extra(self) -> None:
        """Close the extra models (the caller owns the primary backend)."""
        for backend in (self.second, self._probe):
            if backend is not None:
                backend.close()


def seen_only(series: PoseSeries) -> PoseSeries:
    """The series with joints the model only guessed (low confidence) set to unknown."""
    positions = np.where((series.confidence >= SEEN)[:, :, None], series.positions, np.nan)
    return PoseSeries(positions, series.confidence, series.fps, series.depth_reliable)


@dataclass(frozen=True)
class Choice:
    index: int
    note: str


def movement_score(series: PoseSeries, phase: FloatArray, profile: Profile) -> float:
    """How much this person does the exercise: the phase's spread in units of the profile's
    smallest rep range; failing that (joints out of view), trunk movement per torso length."""
    finite = phase[np.isfinite(phase)]
    if finite.size > 0.5 * phase.size:
        low, high = np.percentile(finite, [5, 95])
        if high - low > 0:
            return float((high - low) / profile.rep.min_range)
    hips, shoulders = series.mid("hip"), series.mid("shoulder")
    torso = np.nanmedian(np.linalg.norm(shoulders - hips, axis=1))
    centre = 0.5 * (hips + shoulders)[:, :2]
    if not np.isfinite(torso) or torso <= 0 or not np.isfinite(centre).any():
        return 0.0
    return float(np.nansum(np.nanstd(centre, axis=0)) / torso)


def _where(series: Sequence[PoseSeries], chosen: int) -> str:
    xs = [float(np.nanmedian(s.mid("hip")[:, 0])) for s in series]
    if not all(np.isfinite(xs)):
        return ""
    return " on the left" if xs[chosen] == min(xs) else " on the right"


def choose_person(
    people: Sequence[PoseSeries], phases: Sequence[FloatArray], profile: Profile, exercise: str
) -> Choice:
    """The person moving most like the exercise; a note when more than one was in view."""
    present = [i for i, s in enumerate(people) if np.isfinite(s.positions[:, :, 0]).any()]
    if len(present) <= 1:
        return Choice(present[0] if present else 0, "")
    scores = {i: movement_score(people[i], phases[i], profile) for i in present}
    chosen = max(present, key=lambda i: scores[i])
    where = _where([people[i] for i in present], present.index(chosen))
    return Choice(
        chosen,
        f"{len(present)} people are in view: analysing the one{where}, who moves the most like "
        f"a {exercise}. For the best results, frame only the person exercising.",
    )
