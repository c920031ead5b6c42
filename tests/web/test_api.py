"""The JSON API in-process: every route, and bad input (4xx naming the field, nothing written)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.builders import answers
from tests.web.conftest import Web
from tests.web.test_pages import count

from glutecoach.catalog.loader import load_catalog
from glutecoach.store.tables import CheckInRow, ScreeningRow, SetRow


@pytest.fixture
def api(web: Web) -> Web:
    body = answers().model_dump(mode="json")
    response = web.api("POST", "/api/screening", body)
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "start"
    return web


def open_session(api: Web) -> int:
    response = api.api("POST", "/api/sessions")
    assert response.status_code == 200
    return int(response.json()["id"])


def a_set(**kw: Any) -> dict[str, Any]:
    return {
        "exercise_id": "glute_bridge",
        "set_index": 1,
        "reps": 10,
        "rpe": 6,
        "felt_in": ["glutes"],
        "pain": 1,
        **kw,
    }


def test_health_and_openapi(web: Web) -> None:
    assert web.get("/api/health").json() == {"ok": True}
    doc = web.get("/openapi.json").json()
    paths = set(doc["paths"])
    assert {"/api/today", "/api/sessions/{session_id}/sets", "/api/progress"} <= paths
    assert not any(not p.startswith("/api") for p in paths)


def test_before_screening(web: Web) -> None:
    assert web.get("/api/screening").status_code == 404
    for path in ("/api/plan", "/api/today", "/api/progress"):
        response = web.get(path)
        assert response.status_code == 409
        assert "screening" in response.json()["detail"]
    questions = web.get("/api/screening/questions").json()
    assert {q["group"] for q in questions} == {"emergency", "soon"}


def test_screening_and_plan(api: Web) -> None:
    assert api.get("/api/screening").json()["outcome"] == "start"
    plan = api.get("/api/plan").json()
    assert plan["phase"] == 1 and len(plan["sessions"]) == 7
    today = api.get("/api/today").json()
    assert today["session_id"] is None and today["prescriptions"]


def test_bad_screening_names_the_field(web: Web) -> None:
    body = answers().model_dump(mode="json")
    body["sitting_hours_per_day"] = 30
    response = web.api("POST", "/api/screening", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "sitting_hours_per_day"]
    body = answers().model_dump(mode="json")
    body["red_flags"] = {"made_up": True}
    response = web.api("POST", "/api/screening", body)
    assert response.status_code == 400
    assert "red_flags" in response.json()["detail"]
    assert count(web, ScreeningRow) == 0


def test_session_log_finish(api: Web) -> None:
    session_id = open_session(api)
    assert open_session(api) == session_id  # resumes the open one
    saved = api.api("POST", f"/api/sessions/{session_id}/sets", a_set())
    assert saved.status_code == 201
    assert saved.json()["stop_exercise"] is False
    painful = api.api("POST", f"/api/sessions/{session_id}/sets", a_set(set_index=2, pain=7))
    assert painful.json()["stop_exercise"] is True
    assert len(api.get(f"/api/sessions/{session_id}/sets").json()) == 2
    decision = api.api("POST", f"/api/sessions/{session_id}/finish", {"notes": "ok"})
    assert decision.status_code == 200
    assert decision.json()["kind"] in {"hold", "regress", "advance", "stop_and_refer"}
    assert decision.json()["reasons"]
    again = api.api("POST", f"/api/sessions/{session_id}/finish")
    assert again.status_code == 409
    late = api.api("POST", f"/api/sessions/{session_id}/sets", a_set(set_index=3))
    assert late.status_code == 409
    assert api.get("/api/today").json()["finished"] is True
    assert len(api.get("/api/decisions").json()) >= 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (a_set(reps=-1), "reps"),
        (a_set(pain=11), "pain"),
        (a_set(rpe="hard"), "rpe"),
        (a_set(felt_in=["elbow"]), "felt_in"),
        (a_set(side="middle"), "side"),
        (a_set(set_index=0), "set_index"),
        (a_set(extra=1), "extra"),
        ({"set_index": 1}, "exercise_id"),
    ],
)
def test_bad_set_names_the_field_and_writes_nothing(
    api: Web, body: dict[str, Any], field: str
) -> None:
    session_id = open_session(api)
    response = api.api("POST", f"/api/sessions/{session_id}/sets", body)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert count(api, SetRow) == 0


def test_set_for_unknown_exercise_or_session(api: Web) -> None:
    session_id = open_session(api)
    unknown = api.api("POST", f"/api/sessions/{session_id}/sets", a_set(exercise_id="yoga"))
    assert unknown.status_code == 400
    assert "exercise_id" in unknown.json()["detail"]
    assert api.api("POST", "/api/sessions/999/sets", a_set()).status_code == 404
    assert api.get("/api/sessions/999/sets").status_code == 404
    assert api.api("POST", "/api/sessions/999/finish").status_code == 404
    assert count(api, SetRow) == 0


def test_malformed_json_body(api: Web) -> None:
    session_id = open_session(api)
    response = api.client.post(
        f"/api/sessions/{session_id}/sets",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert count(api, SetRow) == 0


def test_api_writes_need_json_and_same_origin(api: Web) -> None:
    session_id = open_session(api)
    form = api.client.post(f"/api/sessions/{session_id}/sets", data={"exercise_id": "x"})
    assert form.status_code == 415
    bodyless = api.client.post("/api/sessions")
    assert bodyless.status_code == 415
    cross = api.client.post(
        f"/api/sessions/{session_id}/sets",
        json=a_set(),
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    same = api.client.post(
        f"/api/sessions/{session_id}/sets", json=a_set(), headers={"Origin": "http://127.0.0.1"}
    )
    assert same.status_code == 201


def test_checkin_and_spike(api: Web) -> None:
    calm = api.api("POST", "/api/checkins", {"pain": {"low_back": 2}, "stiffness": 1})
    assert calm.status_code == 200
    spike = api.api("POST", "/api/checkins", {"pain": {"low_back": 9}})
    assert spike.status_code == 409
    assert "red_flags" in spike.json()["detail"]
    assert count(api, CheckInRow) == 1
    answered = api.api("POST", "/api/checkins", {"pain": {"low_back": 9}, "red_flags": {}})
    assert answered.status_code == 200
    bad = api.api("POST", "/api/checkins", {"pain": {"elbow": 2}})
    assert bad.status_code == 422
    flag = api.api("POST", "/api/checkins", {"pain": {}, "red_flags": {"nope": True}})
    assert flag.status_code == 400 and "red_flags" in flag.json()["detail"]
    assert count(api, CheckInRow) == 2


def test_clearance(api: Web) -> None:
    assert api.api("POST", "/api/clearance", {"cleared_by_clinician": False}).status_code == 400
    response = api.api("POST", "/api/clearance", {"cleared_by_clinician": True, "note": "GP"})
    assert response.status_code == 200


def test_progress_and_desk(api: Web) -> None:
    summary = api.get("/api/progress").json()
    assert summary["phase"] == 1 and summary["sessions_done"] == 0
    assert api.get("/api/progress/desk").json() == []


def test_catalog(web: Web) -> None:
    exercises = web.get("/api/catalog/exercises").json()
    assert len(exercises) >= 15
    assert web.get("/api/catalog/exercises/clamshell").json()["cues"]
    assert web.get("/api/catalog/exercises/nope").status_code == 404


def test_settings(web: Web) -> None:
    assert web.get("/api/settings").json()["units"] == "kg"
    assert web.api("PUT", "/api/settings/units", {"value": "lb"}).json() == {"units": "lb"}
    bad = web.api("PUT", "/api/settings/units", {"value": "stone"})
    assert bad.status_code == 400 and "units" in bad.json()["detail"]
    unknown = web.api("PUT", "/api/settings/colour", {"value": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.json()["detail"]
    assert web.api("PUT", "/api/settings/session_days", {"value": "mon,thu"}).json() == {
        "session_days": [0, 3]
    }
    assert web.get("/api/settings").json()["units"] == "lb"


def test_no_session_while_paused(web: Web) -> None:
    body = answers(red_flags={"cancer_history": True}).model_dump(mode="json")
    assert web.api("POST", "/api/screening", body).json()["outcome"] == "refer_soon"
    response = web.api("POST", "/api/sessions")
    assert response.status_code == 400
    assert "paused" in response.json()["detail"]
    page = web.post_form("/today/start", {})
    assert page.status_code == 400


def test_desk_metrics_over_the_api(api: Web) -> None:
    import datetime as dt

    from glutecoach.core.sedentary import BoutEnded, Cause
    from glutecoach.store import desk_repo
    from glutecoach.store import repository as repo

    store = api.client.app.state.web.store()  # type: ignore[attr-defined]
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    with store.transaction() as db:
        pid = repo.person_id(db) or 0
        bout = BoutEnded(start, start + dt.timedelta(minutes=40), 2400.0, Cause.IDLE, 0)
        desk_repo.add_bout(db, pid, bout)
    days = api.get("/api/progress/desk").json()
    assert len(days) == 28
    assert sum(d["bouts"] for d in days) == 1


def test_checkin_with_self_tests(api: Web) -> None:
    body = {"pain": {"low_back": 1}, "self_tests": {"single_leg_stance_pelvic_drop": False}}
    assert api.api("POST", "/api/checkins", body).status_code == 200
    bad = {"pain": {}, "self_tests": {"single_leg_bridge_reps_left": -1}}
    assert api.api("POST", "/api/checkins", bad).status_code == 422


def test_weekly_safety_questions_over_the_api(api: Web) -> None:
    import datetime as dt

    api.clock["today"] = dt.date(2026, 1, 12)
    assert api.get("/api/today").json()["red_flags_due"] is True
    refused = api.api("POST", "/api/sessions")
    assert refused.status_code == 400 and "red_flags" in refused.json()["detail"]
    flags = {q["id"]: False for q in api.get("/api/screening/questions").json()}
    assert api.api("POST", "/api/checkins", {"red_flags": flags}).status_code == 200
    assert api.get("/api/today").json()["red_flags_due"] is False
    assert api.api("POST", "/api/sessions").status_code == 200


@pytest.mark.parametrize("huge", [2**31, 2**63])
def test_a_session_id_beyond_the_32_bit_column_is_a_client_error_not_a_crash(
    screened: Web, huge: int
) -> None:
    response = screened.api("POST", f"/api/sessions/{huge}/finish")
    assert response.status_code == 422
    assert "session_id" in response.text


def test_home_after_a_partial_session_is_not_a_first_start(api: Web) -> None:
    """One set of a whole session counts as training done, not as a finished session."""
    home = api.get("/").text
    assert "No sessions yet" in home and "Start your first session" in home
    session_id = open_session(api)
    assert api.api("POST", f"/api/sessions/{session_id}/sets", a_set()).status_code == 201
    assert api.api("POST", f"/api/sessions/{session_id}/finish").status_code == 200
    home = api.get("/").text
    assert "No sessions yet" not in home
    assert "Sessions done in full: <strong>0</strong>" in home
    assert "Planned sets done" in home


def test_a_safety_only_check_in_is_no_zero_pain_baseline(api: Web) -> None:
    """The usual pain after a check-in that only answered the safety questions is not a spike
    (it rated no pain: the baseline stays the last check-in that did); a real rise still is."""
    flag_ids = [f.id for f in load_catalog().rules.red_flags.flags]
    assert api.api("POST", "/api/checkins", {"pain": {"low_back": 3}}).status_code == 200
    safety = {"pain": {}, "red_flags": dict.fromkeys(flag_ids, False)}
    assert api.api("POST", "/api/checkins", safety).status_code == 200
    usual = api.api("POST", "/api/checkins", {"pain": {"low_back": 3}})
    assert usual.status_code == 200, usual.text
    rise = api.api("POST", "/api/checkins", {"pain": {"low_back": 6}})
    assert rise.status_code == 409 and "red_flags" in rise.json()["detail"]
