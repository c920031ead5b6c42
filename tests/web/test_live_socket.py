"""The camera coach's WebSocket (web/live.py) with the real stream and analyzers behind it."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.live_replay import bridge_set

from builders import MONDAY, answers
from glutecoach.core.models import FormSummary, SetLog
from glutecoach.services import Coach
from glutecoach.vision.live_session import LiveSession
from glutecoach.web.app import create_app
from glutecoach.web.security import generate_token


def _session(
    exercise_id: str, side: str | None, baseline: Mapping[str, float] | None = None
) -> LiveSession:
    return LiveSession(exercise_id, side, baseline=baseline)


TOKEN = generate_token()
WS_URL = "ws://127.0.0.1/live/ws"  # the Host the guard allows (TestClient's default is testserver)


@pytest.fixture
def client(store_path: str) -> Iterator[TestClient]:
    app = create_app(store_path, live_coach=_session)
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client
    app.state.web.close()


def test_a_recorded_set_through_the_socket_gives_reps_hold_one_cue_and_the_form(
    client: TestClient,
) -> None:
    times, rows = bridge_set()
    cues = []
    with client.websocket_connect(WS_URL) as ws:
        ws.send_json({"type": "start", "exercise_id": "glute_bridge", "side": "both"})
        ready = ws.receive_json()
        assert ready["type"] == "ready" and ready["views"] == ["side", "oblique"]
        assert "side" in ready["camera_advice"].lower()
        for t, row in zip(times, rows, strict=True):
            ws.send_json({"type": "landmarks", "t": t, "landmarks": _json_rows(row)})
            state = ws.receive_json()
            assert state["type"] == "state"
            if state["cue"]:
                cues.append(state["cue_fault"])
        assert state["reps"] == 3
        assert state["form"]["reps_observed"] == 3 and state["form"]["good_form_reps"] == 2
        assert client.get("/api/live/status").json()["sessions"] == 1
        ws.send_json({"type": "finish"})
        result = ws.receive_json()
    assert cues == ["incomplete_hip_extension"]
    assert result["type"] == "result" and result["reps"] == 3
    assert result["hold_seconds"] == pytest.approx(3.0, abs=0.4)
    assert result["form"]["good_form_reps"] == 2 and result["form"]["reps_observed"] == 3
    assert client.get("/api/live/status").json()["sessions"] == 0  # closed: nothing running


def _json_rows(row: object) -> list[list[float | None]]:
    import numpy as np

    array = np.asarray(row)
    return [[None if np.isnan(v) else float(v) for v in r] for r in array]


def test_bad_messages_get_a_reason_and_the_socket_stays_usable(client: TestClient) -> None:
    with client.websocket_connect(WS_URL) as ws:
        ws.send_text("not json")
        assert "JSON" in ws.receive_json()["message"]
        ws.send_json({"type": "start", "exercise_id": "glute_bridge", "side": None})
        assert ws.receive_json()["type"] == "ready"
        for bad, words in (
            ({"type": "landmarks", "t": "soon", "landmarks": None}, "t (seconds"),
            ({"type": "landmarks", "t": 0.1, "landmarks": [[0, 0, 0, 1]] * 5}, "33 rows"),
            ({"type": "dance"}, "unknown message type"),
        ):
            ws.send_json(bad)
            reply = ws.receive_json()
            assert reply["type"] == "error" and words in reply["message"]
        ws.send_bytes(struct.pack("<d", 0.5) + b"not a jpeg")
        reply = ws.receive_json()
        assert reply["type"] == "error" and "JPEG" in reply["message"]
        ws.send_json({"type": "landmarks", "t": 1.0, "landmarks": None})
        assert ws.receive_json()["placement"]["person"] is False


def test_an_exercise_the_camera_cannot_judge_is_said_plainly(client: TestClient) -> None:
    with client.websocket_connect(WS_URL) as ws:
        ws.send_json({"type": "start", "exercise_id": "dead_bug", "side": None})
        reply = ws.receive_json()
    assert reply["type"] == "unavailable" and "dead_bug" in reply["message"]


def test_without_the_camera_extra_the_page_is_told_what_it_needs(store_path: str) -> None:
    app = create_app(store_path)  # no live coach: what Python 3.13 gets
    with TestClient(app, base_url="http://127.0.0.1") as plain:
        status = plain.get("/api/live/status").json()
        assert status["available"] is False and "3.12" in status["message"]
        with plain.websocket_connect(WS_URL) as ws:
            reply = ws.receive_json()
    assert reply["type"] == "unavailable" and "glutecoach[vision]" in reply["message"]
    app.state.web.close()


def test_a_cross_site_page_cannot_open_the_camera_socket(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(WS_URL, headers={"origin": "http://evil.example"}) as ws,
    ):
        ws.receive_json()
    assert refused.value.code == 1008


def test_with_a_token_the_socket_needs_the_login_cookie(store_path: str) -> None:
    app = create_app(store_path, auth_token=TOKEN, live_coach=_session)
    with TestClient(app, base_url="http://127.0.0.1") as locked:
        with (
            pytest.raises(WebSocketDisconnect),
            locked.websocket_connect(WS_URL) as ws,
        ):
            ws.receive_json()
        page = locked.get("/login").text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert csrf is not None
        login = {"csrf_token": csrf.group(1), "token": TOKEN}
        assert locked.post("/login", data=login, follow_redirects=False).status_code == 303
        with locked.websocket_connect(WS_URL) as ws:
            ws.send_json({"type": "start", "exercise_id": "glute_bridge", "side": None})
            assert ws.receive_json()["type"] == "ready"
            ws.send_json({"type": "landmarks", "t": 0.0, "landmarks": None})
            assert ws.receive_json()["type"] == "state"
    app.state.web.close()


def test_the_camera_form_saved_with_a_set_reaches_the_phase_1_gate(screened: Any) -> None:
    """What the page sends at Set done (the socket's form summary) is what the gate weighs."""
    opened = screened.api("POST", "/api/sessions", {}).json()
    first = screened.api("GET", "/api/today").json()["prescriptions"][0]
    exercise, side = first["exercise_id"], first["side"]
    assert exercise in {"glute_bridge", "banded_glute_bridge"}, first
    form = {
        "reps_observed": 3,
        "good_form_reps": 1,
        "good_form_share": 0.3333,
        "faults": {"incomplete_hip_extension": 2},
        "source": "camera",
    }
    body = {
        "exercise_id": exercise,
        "side": side,
        "set_index": 1,
        "reps": 3,
        "rpe": 5,
        "felt_in": ["glutes"],
        "pain": 0,
        "form": form,
    }
    saved = screened.api("POST", f"/api/sessions/{opened['id']}/sets", body)
    assert saved.status_code == 201, saved.text
    decision = screened.api("POST", f"/api/sessions/{opened['id']}/finish").json()
    reasons = json.dumps(decision)
    assert "camera: 33% of reps with good form (at least 80%)" in reasons


def test_the_camera_judges_a_person_against_their_last_camera_sets_baseline(
    store_path: str,
) -> None:
    """The web coach receives the form baseline stored with the person's last camera set of
    the exercise (none before there is one)."""
    received: list[Mapping[str, float] | None] = []

    def remembering(
        exercise_id: str, side: str | None, baseline: Mapping[str, float] | None = None
    ) -> LiveSession:
        received.append(baseline)
        return LiveSession(exercise_id, side, baseline=baseline)

    app = create_app(store_path, live_coach=remembering)
    with TestClient(app, base_url="http://127.0.0.1") as web:

        def start() -> None:
            with web.websocket_connect(WS_URL) as ws:
                ws.send_json({"type": "start", "exercise_id": "glute_bridge", "side": None})
                assert ws.receive_json()["type"] == "ready"

        start()  # not even screened yet: no baseline, and the coach still starts
        coach = Coach(app.state.web.store(), app.state.web.catalog())
        coach.screen(answers(), MONDAY)
        start()
        form = FormSummary(
            reps_observed=5,
            good_form_reps=5,
            good_form_share=1.0,
            baseline={"peak_hip_angle_deg": 172.0},
        )
        session_id = coach.open_session(MONDAY)
        coach.log_set(
            session_id, SetLog(exercise_id="glute_bridge", set_index=1, reps=5, form=form)
        )
        start()
    app.state.web.close()
    assert received == [{}, {}, {"peak_hip_angle_deg": 172.0}]
