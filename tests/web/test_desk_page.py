"""The sitting-break coach in the web app: what it is doing, today's sitting, pause/resume."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from tests.web.conftest import Web

from glutecoach.desk import control
from glutecoach.desk.status import STATUS_FILE
from glutecoach.paths import user_dir


def _write_status(**fields: object) -> None:
    data = {"pid": os.getpid(), "running": True, "bout_seconds": 1500.0}
    data.update(fields)
    (user_dir() / STATUS_FILE).write_text(json.dumps(data))


def test_says_when_the_coach_is_not_running_and_how_to_start_it(screened: Web) -> None:
    page = screened.get("/desk")
    assert page.status_code == 200
    assert "The desk coach is not running" in page.text
    assert "glutecoach desk install" in page.text
    assert 'href="/desk"' in screened.get("/").text  # reachable from every page


def test_shows_the_running_coach_seated_time_next_reminder_call_and_quiet_hours(
    screened: Web,
) -> None:
    _write_status(
        next_reminder_in_s=600, in_call="camera in use", quiet_now=True, quiet_hours="22:00-07:00"
    )
    text = screened.get("/desk").text
    assert "The desk coach is running" in text
    assert "25 min" in text and "10 min" in text
    assert "camera in use" in text and "22:00-07:00" in text


def test_a_dead_coach_is_not_shown_as_running(screened: Web) -> None:
    _write_status(pid=2**22 + 12345)  # no such process
    assert "The desk coach is not running" in screened.get("/desk").text


def test_pause_for_an_hour_then_resume(screened: Web, isolated_home: Path) -> None:
    before = dt.datetime.now(dt.UTC)
    answer = screened.post_form("/desk/pause", {"how": "hour"})
    assert answer.status_code == 303
    until = control.paused_until(isolated_home)
    assert until is not None
    assert dt.timedelta(minutes=59) < until - before < dt.timedelta(minutes=61)
    assert "Paused until" in screened.get("/desk").text
    assert screened.post_form("/desk/resume", {}).status_code == 303
    assert control.paused_until(isolated_home) is None
    assert "Pause for an hour" in screened.get("/desk").text


def test_pause_until_tomorrow_and_a_bad_choice(screened: Web, isolated_home: Path) -> None:
    screened.post_form("/desk/pause", {"how": "tomorrow"})
    until = control.paused_until(isolated_home)
    assert until is not None and until.astimezone().date() > dt.date.today()
    control.resume(isolated_home)
    bad = screened.post_form("/desk/pause", {"how": "forever"})
    assert bad.status_code == 400 and "how" in bad.text
    assert control.paused_until(isolated_home) is None


def test_pause_needs_the_form_token(screened: Web, isolated_home: Path) -> None:
    forged = screened.client.post("/desk/pause", data={"how": "hour", "csrf_token": "x.y"})
    assert forged.status_code in (400, 403)
    assert control.paused_until(isolated_home) is None


def test_today_sitting_and_breaks_confirmed_apart_from_probable(screened: Web) -> None:
    from glutecoach.core.sedentary import BoutEnded, Cause
    from glutecoach.store import desk_repo
    from glutecoach.store import repository as repo

    today = screened.clock["today"]
    store = screened.client.app.state.web.store()  # type: ignore[attr-defined]
    start = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
    with store.transaction() as db:
        pid = repo.person_id(db)
        assert pid is not None
        desk_repo.add_bout(
            db, pid, BoutEnded(start, start + dt.timedelta(minutes=50), 3000.0, Cause.IDLE, 1)
        )
    text = screened.get("/desk").text
    assert "50 min in 1 bouts" in text
    assert "confirmed" in text and "probable" in text
