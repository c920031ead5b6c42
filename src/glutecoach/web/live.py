"""The camera coach inside the guided session: a WebSocket that carries the page's camera frames
(or landmarks) to the coach and its state back.

Protocol (one set per connection, ``/live/ws``):

- page -> server, text: ``{"type": "start", "exercise_id": ..., "side": ...}`` first; then
  ``{"type": "landmarks", "t": s, "landmarks": [[x, y, z, visibility] x 33] | null}`` (a
  recorded sequence, or a pose model running elsewhere), ``{"type": "finish"}`` at Set done.
- page -> server, binary: one camera frame: 8 bytes little-endian float64 ``t`` (seconds into
  the set), then a JPEG. The page sends the next frame only when the answer to the last one
  has arrived, so a slow machine analyses fewer frames instead of falling behind.
- server -> page: ``{"type": "ready", "camera_advice": ..., "views": [...]}`` after start
  (where the camera goes for this exercise), ``{"type": "state", ...}`` per frame (placement,
  reps, hold timer, at most one cue, skeleton, the form so far), ``{"type": "result", ...}``
  after finish, ``{"type": "error", "message": ...}`` for input it cannot use (the
  connection stays open), ``{"type": "unavailable", "message": ...}`` where the camera coach
  cannot run.

The pose model and analyzers are the vision adapter's, handed in as a factory
(``create_app(live=...)``): the web adapter does not import the vision adapter. Frames are
decoded in memory and dropped; nothing is stored. Closing the socket (camera off, page left)
closes the pose model.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from glutecoach.errors import GlutecoachError
from glutecoach.services import Coach
from glutecoach.web.deps import WebState
from glutecoach.web.security import AUTH_COOKIE, token_matches

MAX_SESSIONS = 2  # pose models running at once (each holds ~100 MB)
POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013


class LiveCoach(Protocol):
    def setup(self) -> dict[str, Any]: ...
    def frame(self, t: float, jpeg: bytes) -> dict[str, Any]: ...
    def landmarks(self, t: float, rows: Any) -> dict[str, Any]: ...
    def finish(self) -> dict[str, Any]: ...
    def close(self) -> None: ...


class LiveFactory(Protocol):
    """Makes the coach for one set; raises ValueError for an exercise it cannot analyse.

    ``baseline``: the person's form baseline from their last camera set of the exercise (the
    stored ``FormSummary.baseline``), so the camera judges them against their own clean reps.
    """

    def __call__(
        self, exercise_id: str, side: str | None, baseline: Mapping[str, float] | None = None
    ) -> LiveCoach: ...


class LiveStatus(BaseModel):
    available: bool
    message: str
    sessions: int


NEEDS_EXTRA = (
    "The camera coach needs the camera extra (mediapipe and OpenCV), which installs on Python "
    "3.11 or 3.12 only: install glutecoach with pip install 'glutecoach[vision]' in such an "
    "environment (python scripts/pick_python.py says which Python this machine has) and start "
    "it again. Everything else works without it: log your sets by hand."
)

router = APIRouter()


class Live:
    """The app's live-camera state: the factory (None: not installed) and open sessions."""

    def __init__(self, factory: LiveFactory | None, problem: str = "") -> None:
        self.factory = factory
        self.problem = problem or ("" if factory else NEEDS_EXTRA)
        self.sessions = 0

    def status(self) -> LiveStatus:
        return LiveStatus(available=not self.problem, message=self.problem, sessions=self.sessions)


def live_of(app: Any) -> Live:
    live: Live = app.state.live
    return live


@router.get("/api/live/status", response_model=LiveStatus, tags=["api"])
def live_status(request: Request) -> LiveStatus:
    """Can the camera coach run here, and how many camera sessions are open right now."""
    return live_of(request.app).status()


def _refusal(websocket: WebSocket) -> str:
    """Why this handshake is refused ('' when it is fine): login and same-origin, as the API."""
    headers = websocket.headers
    origin = headers.get("origin")
    if origin and urlsplit(origin).netloc != headers.get("host", ""):
        return "cross-site camera connection refused"
    state: WebState = websocket.app.state.web
    if state.auth_token:
        expected = state.signer.auth_cookie(state.auth_token)
        cookie = websocket.cookies.get(AUTH_COOKIE, "")
        if not token_matches(expected, cookie):
            return "log in first"
    return ""


@router.websocket("/live/ws")
async def live_socket(websocket: WebSocket) -> None:
    problem = _refusal(websocket)
    if problem:
        await websocket.close(code=POLICY_VIOLATION, reason=problem)
        return
    live = live_of(websocket.app)
    await websocket.accept()
    if live.factory is None or live.problem:
        await websocket.send_json({"type": "unavailable", "message": live.problem})
        await websocket.close()
        return
    if live.sessions >= MAX_SESSIONS:
        message = "The camera coach is already running in another tab: close it there first."
        await websocket.send_json({"type": "unavailable", "message": message})
        await websocket.close(code=TRY_AGAIN_LATER)
        return
    live.sessions += 1
    coach: LiveCoach | None = None
    try:
        coach = await _started(websocket, live.factory)
        if coach is not None:
            await websocket.send_json(coach.setup())
            await _serve(websocket, coach)
    except WebSocketDisconnect:
        pass
    finally:
        live.sessions -= 1
        if coach is not None:
            await run_in_threadpool(coach.close)


async def _started(websocket: WebSocket, factory: LiveFactory) -> LiveCoach | None:
    """Wait for the start message; None (after saying why) when it cannot be used."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        body, problem = _json(message)
        if body is not None and body.get("type") == "start":
            exercise = body.get("exercise_id")
            side = body.get("side")
            if not isinstance(exercise, str) or not (side is None or isinstance(side, str)):
                problem = "start: give exercise_id (text) and side (left, right, both or null)"
            else:
                try:
                    baseline = await run_in_threadpool(_carried_baseline, websocket, exercise)
                    return await run_in_threadpool(factory, exercise, side, baseline)
                except ValueError as exc:
                    await websocket.send_json({"type": "unavailable", "message": str(exc)})
                    await websocket.close()
                    return None
        await websocket.send_json(
            {"type": "error", "message": problem or 'send {"type": "start", ...} first'}
        )


def _carried_baseline(websocket: WebSocket, exercise_id: str) -> dict[str, float]:
    """The person's form baseline from their last camera set of this exercise ({} when there
    is none, or when their data cannot be read: the camera then judges by the fixed limits)."""
    state: WebState = websocket.app.state.web
    try:
        coach = Coach(state.store(), state.catalog(), state.person, cache=state.history_cache)
        return coach.camera_baseline(exercise_id)
    except GlutecoachError:  # not screened yet, a database that cannot be read
        return {}


async def _serve(websocket: WebSocket, coach: LiveCoach) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        try:
            reply = await run_in_threadpool(_handle, coach, message)
        except ValueError as exc:
            reply = {"type": "error", "message": str(exc)}
        await websocket.send_json(reply)


def _handle(coach: LiveCoach, message: Mapping[str, Any]) -> dict[str, Any]:
    data = message.get("bytes")
    if data is not None:
        if len(data) < 9:
            raise ValueError("frame: expected 8 bytes of time, then a JPEG image")
        (t,) = struct.unpack("<d", data[:8])
        return coach.frame(t, data[8:])
    body, problem = _json(message)
    if body is None:
        raise ValueError(problem)
    kind = body.get("type")
    if kind == "landmarks":
        t = body.get("t")
        if not isinstance(t, int | float) or isinstance(t, bool):
            raise ValueError("landmarks: t (seconds into the set) must be a number")
        return coach.landmarks(float(t), body.get("landmarks"))
    if kind == "finish":
        return coach.finish()
    raise ValueError(f"unknown message type {kind!r}: expected landmarks or finish")


def _json(message: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
    try:
        body = json.loads(message.get("text") or "")
    except json.JSONDecodeError:
        return None, "expected a JSON object or a binary frame"
    if not isinstance(body, dict):
        return None, "expected a JSON object"
    return body, ""
