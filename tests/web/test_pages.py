"""Every HTML page in-process: happy paths, bad input (4xx naming the field, nothing written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.web.conftest import MONDAY, SCREENING_FORM, Web

from glutecoach.store.tables import CheckInRow, ScreeningRow, SessionRow, SetRow, SettingRow


def count(web: Web, table: Any) -> int:
    store = web.client.app.state.web.store()  # type: ignore[attr-defined]
    with store.transaction() as db:
        return int(db.scalar(select(func.count()).select_from(table)) or 0)


def test_first_visit_goes_to_the_screening(web: Web) -> None:
    response = web.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/screening"
    page = web.get("/screening")
    assert "Welcome: a short screening" in page.text
    assert "bladder or bowels" in page.text  # every red-flag question is on the form
    for path in ("/today", "/progress", "/checkin"):
        assert web.get(path, follow_redirects=False).headers["location"] == "/screening"


def test_every_input_has_a_label(web: Web) -> None:
    import re

    for path in ("/screening", "/settings"):
        html = web.get(path).text
        ids = set(re.findall(r'<input[^>]*\bid="([^"]+)"', html))
        ids |= set(re.findall(r'<select[^>]*\bid="([^"]+)"', html))
        labelled = set(re.findall(r'<label for="([^"]+)"', html))
        wrapped = set(re.findall(r'<label class="check"><input[^>]*\bid="([^"]+)"', html))
        assert ids - labelled - wrapped == set(), path


def test_screening_starts_the_plan(screened: Web) -> None:
    page = screened.get("/")
    assert page.status_code == 200
    assert "Phase 1" in page.text
    assert "What to do next" in page.text and "Start your first session" in page.text
    assert "as planned" not in page.text  # no "adherence 0 %" before the first session
    assert count(screened, ScreeningRow) == 1


def test_screening_with_a_red_flag_shows_the_stop_page(web: Web) -> None:
    form = {**SCREENING_FORM, "flag_saddle_numbness": "yes"}
    page = web.post_form("/screening", form)
    assert page.status_code == 200
    assert "Stop: get medical help today" in page.text
    assert "not a diagnosis" in page.text
    today = web.get("/today")
    assert "paused" in today.text
    assert 'id="start"' not in today.text


def test_screening_refer_soon_wording(web: Web) -> None:
    page = web.post_form("/screening", {**SCREENING_FORM, "flag_cancer_history": "yes"})
    assert "Please see a clinician before you start" in page.text
    assert "not a diagnosis" in page.text


def test_malformed_screening_names_the_field_and_writes_nothing(web: Web) -> None:
    for bad, field in (
        ({"sitting_hours_per_day": "lots"}, "sitting_hours_per_day"),
        ({"pain_hip": "11"}, "e-pain_hip"),
        ({"activity_level": "couch"}, "activity_level"),
        ({"equipment": ["rocket"]}, "equipment"),
        ({"psfs_activity_1": "running"}, "psfs"),
        ({"stance_drop": "maybe"}, "stance_drop"),
    ):
        page = web.post_form("/screening", {**SCREENING_FORM, **bad})
        assert page.status_code == 400, bad
        assert field in page.text, (bad, page.text)
    missing = web.post_form("/screening", {"activity_level": "light"})
    assert missing.status_code == 400
    assert "sitting_hours_per_day" in missing.text
    assert count(web, ScreeningRow) == 0


def test_form_without_csrf_token_is_refused(web: Web) -> None:
    web.get("/screening")
    response = web.client.post("/screening", data=SCREENING_FORM)
    assert response.status_code == 403
    forged = web.client.post("/screening", data={**SCREENING_FORM, "csrf_token": "x.y"})
    assert forged.status_code == 403
    assert count(web, ScreeningRow) == 0


def test_today_guided_session_round_trip(screened: Web) -> None:
    page = screened.get("/today")
    assert 'id="start"' in page.text
    assert "<svg" in page.text and 'class="cues"' in page.text
    assert screened.post_form("/today/start", {}).status_code == 303
    page = screened.get("/today")
    assert 'id="guide"' in page.text and 'id="g-done"' in page.text
    view = screened.api("GET", "/api/today").json()
    session_id = view["session_id"]
    first = view["prescriptions"][0]
    body = {
        "exercise_id": first["exercise_id"],
        "side": first["side"],
        "set_index": 1,
        "reps": first["reps"] or 0,
        "rpe": 6,
        "felt_in": ["glutes"],
        "pain": 1,
    }
    assert screened.api("POST", f"/api/sessions/{session_id}/sets", body).status_code == 201
    reloaded = screened.get("/today")
    assert "1 sets logged so far" in reloaded.text
    assert "&#34;done&#34;: true" in reloaded.text  # the logged set is marked done on reload
    asked = screened.post_form("/today/finish", {"session_id": str(session_id)})
    assert asked.status_code == 200
    assert "Finish early?" in asked.text and "You have done 1 of" in asked.text
    assert 'id="start"' not in screened.get("/today").text  # nothing was finished yet
    done = screened.post_form("/today/finish", {"session_id": str(session_id), "early": "yes"})
    assert done.status_code == 303 and done.headers["location"].startswith(f"/summary/{session_id}")
    summary = screened.get(done.headers["location"])
    assert "You did 1 set of" in summary.text and "Why: the coach" in summary.text
    assert "Today's session is done" in screened.get("/today").text
    # reloading the summary shows it again; finishing again leads to the same summary
    assert "You did 1 set of" in screened.get(done.headers["location"]).text
    again = screened.post_form("/today/finish", {"session_id": str(session_id)})
    assert again.status_code == 303 and again.headers["location"] == f"/summary/{session_id}"


def test_finish_with_a_bad_session_id(screened: Web) -> None:
    for raw, status in (("abc", 400), ("999", 400)):
        response = screened.post_form("/today/finish", {"session_id": raw})
        assert response.status_code == status
        assert "session_id" in response.text


def test_checkin_saves_and_decides(screened: Web) -> None:
    assert screened.get("/checkin").status_code == 200
    page = screened.post_form("/checkin", {"pain_low_back": "2", "stiffness": "1"})
    assert page.status_code == 200
    assert "Saved" in page.text
    assert count(screened, CheckInRow) == 1


def test_checkin_spike_asks_red_flags_again_before_saving(screened: Web) -> None:
    page = screened.post_form("/checkin", {"pain_low_back": "8", "stiffness": "3"})
    assert "safety questions again" in page.text
    assert 'value="8"' in page.text  # the answers are kept
    assert count(screened, CheckInRow) == 0
    final = screened.post_form(
        "/checkin",
        {
            "pain_low_back": "8",
            "stiffness": "3",
            "recheck": "1",
            "flag_both_legs_weak_or_numb": "yes",
        },
    )
    # Both legs weak or numb is an emergency flag: it must read as one, with the service to use.
    assert "Emergency: stop and get medical help today" in final.text
    assert "emergency department" in final.text
    assert count(screened, CheckInRow) == 1


def test_bad_checkin_is_refused(screened: Web) -> None:
    page = screened.post_form("/checkin", {"pain_hip": "eleven"})
    assert page.status_code == 400
    assert "pain.hip" in page.text
    assert count(screened, CheckInRow) == 0


def test_resume_after_clearance(web: Web) -> None:
    web.post_form("/screening", {**SCREENING_FORM, "flag_cancer_history": "yes"})
    assert web.post_form("/resume", {"note": "GP"}).status_code == 400
    page = web.post_form("/resume", {"cleared": "yes", "note": "GP said fine"})
    assert page.status_code == 200


def test_progress_page_has_offline_charts(screened: Web) -> None:
    page = screened.get("/progress")
    assert page.status_code == 200
    assert 'src="/vendor/plotly.min.js?v=' in page.text
    assert "cdn" not in page.text.lower()
    assert 'id="chart-pain"' in page.text and 'id="chart-data"' in page.text
    js = screened.get("/vendor/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000


def test_progress_shows_desk_chart_only_with_desk_data(screened: Web) -> None:
    from glutecoach.core.sedentary import BoutEnded, Cause
    from glutecoach.store import desk_repo
    from glutecoach.store import repository as repo

    assert 'id="chart-desk"' not in screened.get("/progress").text
    store = screened.client.app.state.web.store()  # type: ignore[attr-defined]
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    end = start + dt.timedelta(minutes=50)
    with store.transaction() as db:
        pid = repo.person_id(db)
        assert pid is not None
        desk_repo.add_bout(db, pid, BoutEnded(start, end, 3000.0, Cause.IDLE, 1))
    page = screened.get("/progress")
    assert 'id="chart-desk"' in page.text
    assert "Sitting (h)" in page.text


def test_plan_page(screened: Web) -> None:
    page = screened.get("/plan")
    assert page.status_code == 200
    assert "Monday 05 January" in page.text


def test_catalog_pages(web: Web) -> None:
    page = web.get("/catalog")
    assert page.status_code == 200
    assert page.text.count("<svg") >= 15
    one = web.get("/catalog/glute_bridge")
    assert "Tuck your tailbone" in one.text
    assert "Harder" in one.text and "Single" in one.text
    assert "Sources" in one.text
    assert web.get("/catalog/nope").status_code == 404


def test_settings_save_and_validate(web: Web) -> None:
    assert web.get("/settings").status_code == 200
    good = {
        "equipment": ["band"],
        "session_days": ["1", "3"],
        "units": "lb",
        "reminder_interval_minutes": "45",
    }
    page = web.post_form("/settings", good)
    assert page.status_code == 200 and "Saved." in page.text
    assert web.api("GET", "/api/settings").json()["units"] == "lb"
    before = count(web, SettingRow)
    for bad, field in (
        ({**good, "reminder_interval_minutes": "5"}, "reminder_interval_minutes"),
        ({**good, "units": "stone"}, "units"),
        ({**good, "session_days": []}, "session_days"),
        ({**good, "quiet_hours_start": "25:00"}, "quiet_hours_start"),
    ):
        page = web.post_form("/settings", bad)
        assert page.status_code == 400
        assert field in page.text
    assert count(web, SettingRow) == before
    assert web.api("GET", "/api/settings").json()["reminder_interval_minutes"] == 45


def test_units_show_in_lb(screened: Web) -> None:
    screened.api("PUT", "/api/settings/units", {"value": "lb"})
    screened.post_form("/today/start", {})
    assert "&#34;units&#34;: &#34;lb&#34;" in screened.get("/today").text


def test_the_coach_s_loads_show_in_lb(screened: Web, store_path: str) -> None:
    """A decision's reasons and changes, on the home page and the progress page, in pounds."""
    from glutecoach.core.models import Change, Decision, DecisionKind, Reason
    from glutecoach.store import repository as repo
    from glutecoach.store.db import open_store

    store = open_store(store_path)
    with store.transaction() as db:
        pid = repo.person_id(db) or 0
        state = repo.decisions(db, pid)[-1].state
        reason = Reason(rule="phase2.load", text="Top of the range at 10 kg: 12 kg next.")
        change = Change(slot="squat", what="load", before="goblet_squat 3x12 10 kg", after="12 kg")
        repo.add_decision(
            db,
            pid,
            Decision(
                day=screened.clock["today"],
                kind=DecisionKind.ADVANCE,
                state=state,
                reasons=(reason,),
                changes=(change,),
            ),
        )
    store.close()
    screened.api("PUT", "/api/settings/units", {"value": "lb"})
    for path in ("/", "/progress"):
        page = screened.get(path).text
        assert "Top of the range at 22.0 lb: 26.5 lb next." in page, path
        assert " kg" not in page.replace("kg/", ""), path
    screened.api("PUT", "/api/settings/units", {"value": "kg"})
    assert "Top of the range at 10 kg: 12 kg next." in screened.get("/").text


def test_clock_dependency_moves_today(screened: Web) -> None:
    screened.clock["today"] = dt.date(2026, 1, 6)  # a Tuesday: stretch day
    page = screened.get("/today")
    assert "Tuesday 06 January" in page.text
    assert "Daily hip flexor stretch" in page.text


def test_corrupt_database_shows_a_clear_page(tmp_path: Any) -> None:
    from fastapi.testclient import TestClient

    from glutecoach.web.app import create_app

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 10)
    client = TestClient(create_app(f"sqlite:///{bad}"), base_url="http://127.0.0.1")
    page = client.get("/")
    assert page.status_code == 503
    assert "cannot be opened" in page.text
    assert "not a glutecoach database" in page.text
    api = client.get("/api/plan")
    assert api.status_code == 503
    assert bad.read_bytes().startswith(b"this is not")


def test_nothing_logged_is_lost_between_app_instances(store_path: str) -> None:
    from fastapi.testclient import TestClient
    from tests.web.conftest import MONDAY

    from glutecoach.web.app import create_app

    app = create_app(store_path, clock=lambda: MONDAY)
    first = Web(TestClient(app, base_url="http://127.0.0.1"), {"today": MONDAY})
    first.post_form("/screening", SCREENING_FORM)
    session_id = first.api("POST", "/api/sessions").json()["id"]
    body = {"exercise_id": "glute_bridge", "set_index": 1, "reps": 10}
    first.api("POST", f"/api/sessions/{session_id}/sets", body)
    app.state.web.close()
    again = TestClient(create_app(store_path, clock=lambda: MONDAY), base_url="http://127.0.0.1")
    assert again.get("/api/today").json()["session_id"] == session_id
    assert len(again.get("/api/today").json()["logged"]) == 1
    assert count(Web(again, {}), SetRow) == 1
    assert count(Web(again, {}), SessionRow) == 1


def test_checkin_passes_self_tests_to_the_coach(
    screened: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    from glutecoach.services import Coach

    seen: list[Any] = []
    original = Coach.checkin

    def spy(self: Coach, checkin: Any, today: dt.date) -> Any:
        seen.append(checkin)
        return original(self, checkin, today)

    monkeypatch.setattr(Coach, "checkin", spy)
    form = {"pain_low_back": "1", "stance_drop": "no", "stance_pain": "no", "slb_left": "15"}
    assert screened.post_form("/checkin", form).status_code == 200
    tests = seen[-1].self_tests
    assert tests.single_leg_stance_pelvic_drop is False
    assert tests.single_leg_bridge_reps_left == 15
    screened.post_form("/checkin", {"pain_low_back": "1"})
    assert seen[-1].self_tests is None
    bad = screened.post_form("/checkin", {"slb_left": "-3"})
    assert bad.status_code == 400 and "self_tests.single_leg_bridge_reps_left" in bad.text


def test_checkin_self_tests_are_kept(screened: Web) -> None:
    form = {"pain_low_back": "1", "stance_drop": "no", "stance_pain": "no"}
    screened.post_form("/checkin", form)
    coach = screened.client.app.state.web  # type: ignore[attr-defined]
    from glutecoach.services import Coach

    history = Coach(coach.store(), coach.catalog()).history()
    assert history.checkins[-1].self_tests is not None


def test_pain_stop_survives_a_reload(screened: Web) -> None:
    screened.post_form("/today/start", {})
    view = screened.api("GET", "/api/today").json()
    first = view["prescriptions"][0]
    body = {"exercise_id": first["exercise_id"], "side": first["side"], "set_index": 1, "pain": 7}
    screened.api("POST", f"/api/sessions/{view['session_id']}/sets", body)
    page = screened.get("/today").text
    import html
    import json
    import re

    raw = re.search(r'data-guide="([^"]+)"', page)
    assert raw is not None
    steps = json.loads(html.unescape(raw.group(1)))["steps"]
    same = [
        s for s in steps if (s["exercise_id"], s["side"]) == (first["exercise_id"], first["side"])
    ]
    assert all(s["done"] for s in same)
    assert not all(s["done"] for s in steps)


def test_weekly_safety_questions_come_before_training(screened: Web) -> None:
    screened.clock["today"] = MONDAY + dt.timedelta(days=7)
    page = screened.get("/today")
    assert "the safety questions again before you train" in page.text
    assert 'id="start"' not in page.text
    assert screened.api("GET", "/api/today").json()["red_flags_due"] is True
    refused = screened.post_form("/today/start", {})
    assert refused.status_code == 400 and "red_flags" in refused.text
    assert count(screened, SessionRow) == 0
    answered = screened.post_form("/today/safety", {})
    assert answered.status_code == 303
    page = screened.get("/today")
    assert 'id="start"' in page.text
    assert screened.post_form("/today/start", {}).status_code == 303


def test_weekly_safety_question_answered_yes_stops(screened: Web) -> None:
    screened.clock["today"] = MONDAY + dt.timedelta(days=9)
    page = screened.post_form("/today/safety", {"flag_saddle_numbness": "yes"})
    assert page.status_code == 200
    assert "Emergency: stop and get medical help today" in page.text
    assert "emergency department" in page.text
    today = screened.get("/today").text
    assert "paused" in today and "emergency department" in today


def test_weekly_safety_link_re_asks_only_red_flags_and_never_changes_the_screening(
    screened: Web,
) -> None:
    home = screened.get("/")
    assert 'href="/safety"' in home.text
    settings_before = screened.api("GET", "/api/settings").json()
    screenings_before = count(screened, ScreeningRow)
    page = screened.get("/safety")
    assert page.status_code == 200
    assert 'name="flag_saddle_numbness"' in page.text
    assert 'name="equipment' not in page.text and 'name="sitting' not in page.text
    screened.clock["today"] = MONDAY + dt.timedelta(days=7)
    answered = screened.post_form("/safety", {})
    assert answered.status_code == 200
    assert count(screened, ScreeningRow) == screenings_before
    assert count(screened, CheckInRow) == 1
    assert screened.api("GET", "/api/settings").json() == settings_before
    emergency = screened.post_form("/safety", {"flag_both_legs_weak_or_numb": "yes"})
    assert "Emergency: stop and get medical help today" in emergency.text
    assert count(screened, ScreeningRow) == screenings_before


def test_web_screening_onset_keeps_long_standing_pain_out_of_the_age_rule(web: Web) -> None:
    older = {**SCREENING_FORM, "age": "63", "onset_low_back": "260"}
    page = web.post_form("/screening", older)
    assert page.status_code == 200
    assert "Your starting point" in page.text
    new = {**SCREENING_FORM, "age": "63", "onset_low_back": "2"}
    again = web.post_form("/screening", new)
    assert "Please see a clinician before you start" in again.text
    assert "low back pain is new" in again.text


def test_after_severe_pain_at_screening_the_check_in_asks_the_red_flags(web: Web) -> None:
    severe = {**SCREENING_FORM, "pain_hip": "9", "onset_hip": "30"}
    result = web.post_form("/screening", severe)
    assert "within 14 days" in result.text
    page = web.get("/checkin")
    assert 'name="flag_saddle_numbness"' in page.text
    assert "Your pain was severe at screening" in page.text


def test_form_posts_run_off_the_event_loop() -> None:
    """Every page that posts a form and calls the coach is a plain function (FastAPI runs it
    in its thread pool): database work and decisions never stall the event loop, which the
    live camera's socket shares. Only the login keeps a coroutine (it sleeps after a failure
    without holding a thread)."""
    import inspect

    from fastapi.routing import APIRoute

    from glutecoach.web.pages import router

    posts = [r for r in router.routes if isinstance(r, APIRoute) and "POST" in r.methods]
    assert len(posts) >= 8
    coroutines = [r.path for r in posts if inspect.iscoroutinefunction(r.endpoint)]
    assert coroutines == ["/login"], coroutines
