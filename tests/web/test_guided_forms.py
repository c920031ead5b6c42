"""The guided session without JavaScript: a set is a plain form post, answered honestly."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Web
from tests.web.test_pages import count

from glutecoach.store.tables import SetRow


def open_session(web: Web) -> tuple[int, dict[str, Any]]:
    assert web.post_form("/today/start", {}).status_code == 303
    view = web.api("GET", "/api/today").json()
    return int(view["session_id"]), view["prescriptions"][0]


def set_form(session_id: int, first: dict[str, Any], **extra: str) -> dict[str, str]:
    form = {
        "session_id": str(session_id),
        "exercise_id": first["exercise_id"],
        "side": first["side"],
        "set_index": "1",
        "kind": "reps" if first["reps"] else "hold",
        "reps": str(first["reps"] or ""),
        "load": "0",
        "rpe": "5",
        "pain": "1",
        "felt": "glutes",
    }
    return {**form, **extra}


def test_the_page_shows_the_first_set_as_a_form_without_javascript(screened: Web) -> None:
    _session_id, first = open_session(screened)
    page = screened.get("/today").text
    assert 'action="/today/set"' in page and "Loading…" not in page
    assert f'name="exercise_id" value="{first["exercise_id"]}"' in page
    # nothing is assumed on the first set: no effort, pain or "felt in" chosen for the person
    assert "selected" not in page.split('id="g-rpe"')[1].split("</select>")[0]
    assert "selected" not in page.split('id="g-pain"')[1].split("</select>")[0]
    assert "checked" not in page.split("Felt it in")[1].split("</fieldset>")[0]


def test_a_set_posted_as_a_form_is_saved_once_and_the_next_prefilled(screened: Web) -> None:
    session_id, first = open_session(screened)
    form = set_form(session_id, first, rpe="7", pain="2")
    posted = screened.post_form("/today/set", form)
    assert posted.status_code == 303 and posted.headers["location"] == "/today#guide"
    assert screened.post_form("/today/set", form).status_code == 303  # the back button, twice
    assert count(screened, SetRow) == 1
    logged = screened.api("GET", f"/api/sessions/{session_id}/sets").json()
    assert logged[0]["rpe"] == 7 and logged[0]["pain"] == 2 and logged[0]["felt_in"] == ["glutes"]
    page = screened.get("/today").text
    assert 'name="set_index" value="2"' in page
    rpe = page.split('id="g-rpe"')[1].split("</select>")[0]
    assert '<option value="7" selected>' in rpe  # from the previous set, and said so:
    assert "filled in from your last set" in page and 'id="g-prefilled" class="prefilled">' in page


def test_missing_answers_are_refused_in_plain_words_and_nothing_saved(screened: Web) -> None:
    session_id, first = open_session(screened)
    for field, message in (
        ("rpe", "how hard was it"),
        ("pain", "any pain during the set"),
        ("reps", "how many reps did you do"),
    ):
        response = screened.post_form("/today/set", set_form(session_id, first, **{field: ""}))
        assert response.status_code == 400, field
        assert message in response.text and "Traceback" not in response.text
    bad = screened.post_form("/today/set", set_form(session_id, first, pain="12"))
    assert bad.status_code == 400 and "pain must be between 0 and 10" in bad.text
    assert count(screened, SetRow) == 0


def test_a_hold_is_never_invented(screened: Web) -> None:
    session_id, first = open_session(screened)
    hold = set_form(session_id, first, kind="hold", hold_seconds="", reps="")
    assert screened.post_form("/today/set", hold).status_code == 400
    zero = set_form(session_id, first, kind="hold", hold_seconds="0", reps="")
    refused = screened.post_form("/today/set", zero)
    assert refused.status_code == 400 and "not a set" in refused.text
    assert count(screened, SetRow) == 0
    held = set_form(session_id, first, kind="hold", hold_seconds="12", reps="")
    assert screened.post_form("/today/set", held).status_code == 303
    logged = screened.api("GET", f"/api/sessions/{session_id}/sets").json()
    assert logged[0]["hold_seconds"] == 12


def test_pain_above_the_zone_stops_and_waits_for_a_choice(screened: Web) -> None:
    session_id, first = open_session(screened)
    posted = screened.post_form("/today/set", set_form(session_id, first, pain="8"))
    assert posted.headers["location"] == "/today?stopped=1#pain-stop"
    page = screened.get("/today?stopped=1").text
    assert 'id="pain-stop"' in page and 'role="alert"' in page
    assert 'action="/today/set"' not in page  # no next set until the person chooses
    assert "go on to" in page


def test_screening_mistakes_are_named_next_to_their_fields(web: Web) -> None:
    from tests.web.conftest import SCREENING_FORM

    bad = {
        **SCREENING_FORM,
        "pain_low_back": "12",
        "age": "7",
        "psfs_activity_1": "stairs",
        "psfs_score_1": "4",
        "flag_saddle_anaesthesia": "",
    }
    response = web.post_form("/screening", bad)
    assert response.status_code == 400
    page = response.text
    assert "Value error" not in page and "Traceback" not in page
    assert (
        '<p class="field-error" id="e-pain_low_back">Low back pain: enter a number from 0 to 10.'
        in page
    )
    assert '<p class="field-error" id="e-age">Age: enter a number from 10 to 120.' in page
    assert (
        'id="pain_low_back" name="pain_low_back" type="number" min="0" max="10" value="12"' in page
    )
    assert 'value="stairs"' in page  # what was typed is kept
    only_one_activity = {**SCREENING_FORM, "psfs_activity_1": "stairs", "psfs_score_1": "4"}
    response = web.post_form("/screening", only_one_activity)
    assert response.status_code == 400
    assert 'id="e-psfs_activity_1">Name 3 to 5 activities' in response.text
    assert web.get("/api/screening").status_code == 404  # nothing saved


def test_home_says_what_to_do_next_at_each_point_of_the_day(screened: Web) -> None:
    assert "Start your first session" in screened.get("/").text
    session_id, first = open_session(screened)
    screened.post_form("/today/set", set_form(session_id, first))
    home = screened.get("/").text
    assert "Continue today's session" in home and "1 of " in home
    screened.post_form("/today/finish", {"session_id": str(session_id), "early": "yes"})
    home = screened.get("/").text
    assert "Today's session is done" in home and "Start today" not in home
    assert "Continue today" not in home and "Next session: <strong>" in home
