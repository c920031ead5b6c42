"""Recording a set for review in clinic mode, end to end: `glutecoach clinic serve` over a real
PostgreSQL with a real redis-server and one Celery worker, a patient signed in through Chromium
with a fake camera. The clinic's server runs no camera coach, so the camera only records: the
patient ticks "Record this set for review", does the set and taps Set done; the clip goes to
the clinic upload (the clinician's review queue), the worker analyses it with the real pose
model, and the patient's own review page plays the annotated video."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect
from tests.builders import answers
from tests.clinic.workers import free_port, kill_group, redis_server, start_worker
from tests.conftest import _require_postgres
from tests.web.browser_support import CAPTURE, answer, start_session
from tests.web.conftest import _wait_until_accepting
from tests.web.fake_camera import launch_with_fake_camera

from glutecoach.clinic import accounts
from glutecoach.form_reviews import CLIPS_ENV
from glutecoach.store.db import open_store

pytestmark = [pytest.mark.browser, pytest.mark.vision, pytest.mark.postgres]
expect.set_options(timeout=30_000)
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def camera_browser(
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Browser]:
    folder = tmp_path_factory.mktemp("clinic-camera")
    browser = launch_with_fake_camera(browser_type, browser_type_launch_args, folder)
    yield browser
    browser.close()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    _require_postgres()
    connection = request.getfixturevalue("postgresql_db")
    proc = request.getfixturevalue("postgresql_proc")
    return f"postgresql+psycopg://{proc.user}@{proc.host}:{proc.port}/{connection.info.dbname}"


def accounts_made(pg_url: str) -> int:
    """A clinician and their patient (signed up); the patient's person id."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    store = open_store(pg_url)
    try:
        with store.transaction() as db:
            clinician = accounts.create_clinician(db, "clin@example.org", PASSWORD, now)
            patient, token = accounts.invite_patient(
                db, clinician.id, "pat@example.org", "Clinic Patient", now
            )
            accounts.accept_invite(db, token, PASSWORD, now)
    finally:
        store.close()
    assert patient.person_id is not None
    return patient.person_id


@pytest.fixture
def clinic(pg_url: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The clinic server, its queue and one worker; yields their URL, env and person id."""
    person_id = accounts_made(pg_url)
    with redis_server(tmp_path) as broker:
        env = {
            **os.environ,
            "GLUTECOACH_DATABASE_URL": pg_url,
            "GLUTECOACH_BROKER_URL": broker,
            CLIPS_ENV: str(tmp_path / "clips"),
            "GLUTECOACH_HOME": str(tmp_path / "home"),
            "GLOG_minloglevel": "2",
        }
        port = free_port()
        log = tmp_path / "clinic.log"
        command = [sys.executable, "-c", "from glutecoach.cli import main; main()"]
        with log.open("ab") as out:
            server = subprocess.Popen(
                [*command, "clinic", "serve", "--port", str(port)],
                env=env,
                stdout=out,
                stderr=out,
            )
        worker = start_worker("w1", env, tmp_path / "w1.log")
        try:
            _wait_until_accepting(port, server, log)
            yield {"url": f"http://127.0.0.1:{port}", "person_id": person_id, "log": log}
        finally:
            kill_group(worker)
            server.terminate()
            server.wait(10)
    assert "Traceback" not in log.read_text(), log.read_text()


def signed_in(browser: Browser, base: str, email: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CAPTURE)
    page = context.new_page()
    reply = page.request.post(
        f"{base}/api/clinic/login", data={"email": email, "password": PASSWORD}
    )
    assert reply.ok, reply.text()
    return page


def test_a_patient_records_a_set_for_the_clinicians_review_queue(
    camera_browser: Browser, clinic: dict[str, Any], artifacts: Path
) -> None:
    base = clinic["url"]
    patient = signed_in(camera_browser, base, "pat@example.org")
    screened = patient.request.post(f"{base}/api/screening", data=answers().model_dump(mode="json"))
    assert screened.ok, screened.text()
    start_session(patient, base)
    patient.get_by_role("button", name="Use camera").click()
    panel = patient.locator("#live")
    expect(panel).to_have_attribute("data-camera", "on")
    expect(patient.locator("#l-place")).to_contain_text("record this set for your clinician")
    box = patient.get_by_label("Record this set for review (sent to your clinician)")
    expect(panel).to_have_attribute("data-recording", "no")
    box.check()
    expect(patient.locator("#l-rec")).to_be_visible()
    patient.wait_for_timeout(3000)
    kind = patient.locator("#g-kind").input_value()
    patient.locator("#g-hold" if kind == "hold" else "#g-reps").fill("8")
    answer(patient)
    patient.locator("#g-done").click()
    expect(patient.locator("#g-status")).to_have_text("Set saved.")
    expect(panel).to_have_attribute("data-review", "sent")
    expect(patient.locator("#l-review")).to_contain_text("sent to your clinician's review queue")
    patient.locator("#live").screenshot(path=str(artifacts / "clinic-record-sent.png"))
    href = patient.locator("#l-review-link").get_attribute("href") or ""
    review_id = int(href.rsplit("/", 1)[1])

    clinician = signed_in(camera_browser, base, "clin@example.org")
    deadline = time.monotonic() + 180
    while True:
        queue = clinician.request.get(f"{base}/api/clinic/reviews").json()
        (mine,) = [r for r in queue if r["id"] == review_id]
        if mine["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert mine["person_id"] == clinic["person_id"]
    assert mine["status"] == "done", mine
    assert mine["result"]["frames"] >= 10 and mine["result"]["video"]
    patient.goto(f"{base}{href}")
    patient.wait_for_function("() => document.getElementById('r-video').readyState >= 2")
    patient.screenshot(path=str(artifacts / "clinic-review-patient.png"), full_page=True)
    clinician.goto(f"{base}/clinic/reviews/{review_id}")
    clinician.wait_for_function("() => document.getElementById('r-video').readyState >= 2")
    audit = clinician.request.get(f"{base}/api/clinic/audit").json()
    actions = [a["action"] for a in audit if a["person_id"] == clinic["person_id"]]
    assert {"view review", "view review video"} <= set(actions)
