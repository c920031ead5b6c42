"""One browser's live camera session: JPEG frames (or landmarks) in, the coach's state out.

The web app receives this through a factory (``create_app(live=...)``), so the web adapter never
imports the vision adapter; ``glutecoach serve`` wires it in when the camera extra is installed.
The pose model is the CLI's (MediaPipe, model_complexity=1, shipped inside the wheel): nothing
is downloaded, and frames are decoded in memory and dropped (no video is stored).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from glutecoach.vision.backends import PoseBackend
from glutecoach.vision.errors import VisionError
from glutecoach.vision.form_checks import load_form_checks
from glutecoach.vision.skeletons import MEDIAPIPE_LANDMARKS
from glutecoach.vision.stream import CUE_COOLDOWN_SECONDS, LiveStream

MAX_FRAME_BYTES = 2_000_000  # a 640x480 JPEG is ~30-80 kB; refuse anything absurd
MAX_SIDE = 1280  # frames are analysed at most this wide (the page sends 640x480)

BackendFactory = Callable[[], PoseBackend]


class LiveInputError(ValueError):
    """A frame or landmark message that cannot be used (the message says what and why)."""


def camera_extra_problem() -> str:
    """'' when the pose model can run here, else what the camera coach needs."""
    try:
        import cv2  # noqa: F401
        import mediapipe  # noqa: F401
    except ImportError:
        return (
            "The camera coach needs the camera extra (mediapipe and OpenCV), which installs on "
            "Python 3.11 or 3.12 only: pip install 'glutecoach[vision]' in such an environment "
            "(`python scripts/pick_python.py` says which Python this machine offers). Everything "
            "else works without it: log your sets by hand."
        )
    return ""


def _mediapipe_backend() -> PoseBackend:
    from glutecoach.vision.backends import MediaPipePoseBackend

    return MediaPipePoseBackend()


class LiveSession:
    """The coach for one exercise and side, fed by one page."""

    def __init__(
        self,
        exercise_id: str,
        side: str | None = None,
        backend_factory: BackendFactory = _mediapipe_backend,
        cue_cooldown_s: float | None = None,
        baseline: Mapping[str, float] | None = None,
    ) -> None:
        checks = load_form_checks()
        try:
            checks.profile_for(exercise_id)
        except VisionError as exc:
            raise LiveInputError(str(exc)) from None
        cooldown = CUE_COOLDOWN_SECONDS if cue_cooldown_s is None else cue_cooldown_s
        chosen_side = None if side == "both" else side
        self.stream = LiveStream(
            exercise_id, chosen_side, checks=checks, cue_cooldown_s=cooldown, baseline=baseline
        )
        self._factory = backend_factory
        self._backend: PoseBackend | None = None

    def frame(self, t: float, jpeg: bytes) -> dict[str, Any]:
        """Run the pose model on one JPEG frame taken at ``t`` seconds into the set."""
        rgb = _decode(jpeg)
        if self._backend is None:
            self._backend = self._factory()
        self.stream.width, self.stream.height = rgb.shape[1], rgb.shape[0]
        return self._push(t, self._backend.process(rgb))

    def landmarks(self, t: float, rows: Any) -> dict[str, Any]:
        """Landmarks already found (33 x [x, y, z, visibility], normalised; null = nobody)."""
        if rows is None:
            return self._push(t, None)
        try:
            array = np.asarray(rows, dtype=np.float64)
        except (TypeError, ValueError):
            raise LiveInputError("landmarks: expected 33 rows of 4 numbers") from None
        if array.shape != (MEDIAPIPE_LANDMARKS, 4):
            raise LiveInputError(
                f"landmarks: expected {MEDIAPIPE_LANDMARKS} rows of 4 numbers, got shape "
                f"{list(array.shape)}"
            )
        return self._push(t, array)

    def setup(self) -> dict[str, Any]:
        """Where the camera goes for this exercise: the placement guide's first words."""
        return self.stream.setup()

    def finish(self) -> dict[str, Any]:
        return self.stream.finish().as_dict()

    def close(self) -> None:
        """Stop the pose model (camera off: nothing is left running)."""
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    def _push(self, t: float, landmarks: Any) -> dict[str, Any]:
        if not np.isfinite(t) or t < 0:
            raise LiveInputError("t: the frame time must be a number of seconds >= 0")
        try:
            return self.stream.push(float(t), landmarks).as_dict()
        except ValueError as exc:
            raise LiveInputError(str(exc)) from None


def _decode(jpeg: bytes) -> Any:
    if not jpeg or len(jpeg) > MAX_FRAME_BYTES:
        raise LiveInputError(f"frame: expected a JPEG image under {MAX_FRAME_BYTES} bytes")
    import cv2

    bgr = cv2.imdecode(np.frombuffer(jpeg, dtype=np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise LiveInputError("frame: not a readable JPEG image")
    if bgr.shape[1] > MAX_SIDE:
        scale = MAX_SIDE / bgr.shape[1]
        bgr = cv2.resize(bgr, (MAX_SIDE, round(bgr.shape[0] * scale)))
    return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)


def make_live_session(
    exercise_id: str, side: str | None, baseline: Mapping[str, float] | None = None
) -> LiveSession:
    """The factory ``glutecoach serve`` hands the web app (``baseline``: the person's form
    baseline from their last camera set of this exercise)."""
    return LiveSession(exercise_id, side, baseline=baseline)
