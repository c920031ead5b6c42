"""Clinic mode end to end on PostgreSQL: the CLI (SQLite refused), invites, the dashboard's
order, a clinician's override that the engine then follows, pages, handout, uploads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from tests.clinic.conftest import PASSWORD, TODAY, Party, client, make_party, sign_in
from tests.web.test_api import a_set

from glutecoach.cli import cli
from glutecoach.clinic import reviews
from glutecoach.store.clinic_tables import ClinicReviewRow
from glutecoach.store.db import open_store

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    "args",
    [
        ["clinic", "serve"],
        ["clinic", "add-clinician", "kim@example.org"],
        [
            "clinic",
            "invite",
            "--clinician",
            "k@example.org",
            "--email",
            "p@example.org",
            "--name",
            "P",
        ],
        ["clinic", "worker"],
        ["clinic", "requeue"],
    ],
)
def test_every_clinic_command_refuses_sqlite(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "one-person.db"
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", f"sqlite:///{db}")
    result = CliRunner().invoke(cli, args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 2, result.output
    assert "clinic mode needs PostgreSQL" in result.output
    assert "Traceback" not in result.output
    assert not db.exists(), "nothing is written to the refused database"


def test_cli_adds_a_clinician_and_invites_a_patient_once(
    clinic_app: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", pg_url)
    runner = CliRunner()
    added = runner.invoke(
        cli, ["clinic", "add-clinician", "Kim@Example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(
        cli, ["clinic", "add-clinician", "kim@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert again.exit_code == 2 and "already exists" in again.output
    bad = runner.invoke(
        cli, ["clinic", "add-clinician", "not-an-address"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert bad.exit_code == 2 and "not an e-mail address" in bad.output
    invited = runner.invoke(
        cli,
        [
            "clinic",
            "invite",
            "--clinician",
            "kim@example.org",
            "--email",
            "pat@example.org",
            "--name",
            "Pat",
        ],
    )
    assert invited.exit_code == 0, invited.output
    token = invited.output.strip().splitlines()[-1].split("#", 1)[1]
    patient = client(clinic_app)
    first = patient.post("/api/clinic/invites/accept", json={"token": token, "password": PASSWORD})
    assert first.status_code == 200 and first.json()["role"] == "patient"
    reuse = client(clinic_app).post(
        "/api/clinic/invites/accept", json={"token": token, "password": "another password"}
    )
    assert reuse.status_code == 400 and "not valid any more" in reuse.json()["detail"]
    assert (
        client(clinic_app)
        .post("/api/clinic/login", json={"email": "pat@example.org", "password": "wrong password!"})
        .status_code
        == 401
    )
    sign_in(clinic_app, "pat@example.org")
    lead = sign_in(clinic_app, "kim@example.org")
    assert [p["name"] for p in lead.get("/api/clinic/patients").json()] == ["Pat"]


def second_patient(party: Party, app: Any, name: str) -> Any:
    made = party.clinician.post(
        "/api/clinic/patients", json={"email": f"{name.lower()}@example.org", "name": name}
    )
    assert made.status_code == 201, made.text
    token = made.json()["invite_link"].split("#", 1)[1]
    patient = client(app)
    assert (
        patient.post(
            "/api/clinic/invites/accept", json={"token": token, "password": PASSWORD}
        ).status_code
        == 200
    )
    return patient


def test_dashboard_puts_red_flags_and_flares_first_and_an_override_is_followed(
    clinic_app: Any, pg_url: str
) -> None:
    party = make_party(clinic_app, pg_url, "d")
    flagged = second_patient(party, clinic_app, "Flagged")
    from tests.builders import answers

    assert flagged.post("/api/screening", json=answers().model_dump(mode="json")).status_code == 200
    checkin = {"pain": {"low_back": 2}, "stiffness": 1, "red_flags": {"saddle_numbness": True}}
    assert flagged.post("/api/checkins", json=checkin).status_code == 200
    # The first party's patient: a painful set -> the engine steps back (a flare).
    logged = party.patient.post(f"/api/sessions/{party.session_id}/sets", json=a_set(pain=7))
    assert logged.status_code == 201, logged.text
    finished = party.patient.post(f"/api/sessions/{party.session_id}/finish", json={})
    assert finished.status_code == 200, finished.text
    assert finished.json()["kind"] == "regress"
    rows = party.clinician.get("/api/clinic/patients").json()
    assert [r["name"] for r in rows] == ["Flagged", party.name]
    assert "red flag" in rows[0]["findings"][0]
    assert "pain flare" in rows[1]["findings"][0]
    assert rows[1]["latest"]["reasons"], "decisions come with their reasons"
    # Override (hold at the current level): the plan stays, with the physio's note in it.
    plan_after_flare = party.patient.get("/api/plan").json()
    verdict = {"day": TODAY.isoformat(), "verdict": "override", "note": "flare from gardening"}
    url = f"/api/clinic/patients/{party.person_id}/verdicts"
    assert party.clinician.post(url, json=verdict).status_code == 201
    plan = party.patient.get("/api/plan").json()
    assert plan["sessions"] == plan_after_flare["sessions"]
    assert plan["notes"][0].startswith("Your physio (clin-d@example.org) set this on")
    assert "flare from gardening" in plan["notes"][0]
    decisions = party.patient.get("/api/decisions").json()
    assert decisions[-1]["reasons"][0]["rule"] == "clinician_override"
    assert "gardening" in decisions[-1]["reasons"][0]["text"]
    record = party.clinician.get(f"/api/clinic/patients/{party.person_id}").json()
    assert record["verdicts"][-1]["verdict"] == "override"
    # A red flag is never overridden, and a verdict without a note is refused.
    flagged_id = rows[0]["person_id"]
    refused = party.clinician.post(
        f"/api/clinic/patients/{flagged_id}/verdicts", json={**verdict, "day": TODAY.isoformat()}
    )
    assert refused.status_code == 400 and "red flag is not overridden" in refused.text
    no_note = party.clinician.post(url, json={**verdict, "note": ""})
    assert no_note.status_code == 400 and "note" in no_note.text


def test_pages_handout_and_equipment(clinic_app: Any, two_parties: tuple[Party, Party]) -> None:
    a, b = two_parties
    assert "Sign in" in client(clinic_app).get("/clinic/login").text
    assert "Choose a password" in client(clinic_app).get("/clinic/invite").text
    board = a.clinician.get("/clinic")
    assert board.status_code == 200 and a.name in board.text and b.name not in board.text
    page = a.clinician.get(f"/clinic/patients/{a.person_id}")
    assert page.status_code == 200 and "verdict" in page.text.lower()
    assert f'data-clinic-setting="/api/clinic/patients/{a.person_id}/settings/"' in page.text
    # each reason's citations fold away (as on the patient's pages): a record stays readable
    assert page.text.count('<details class="sources">') >= 1
    assert "; UCSF" not in page.text and "<small>(" not in page.text
    assert a.clinician.get(f"/clinic/patients/{b.person_id}").status_code == 404
    pdf = a.clinician.get(f"/clinic/patients/{a.person_id}/handout.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    changed = a.clinician.put(
        f"/api/clinic/patients/{a.person_id}/settings/equipment", json={"value": ["none"]}
    )
    assert changed.status_code == 200, changed.text
    assert a.patient.get("/api/settings").json()["equipment"] == ["none"]
    actions = [r["action"] for r in a.clinician.get("/api/clinic/audit").json()]
    assert {"handout", "view record", "set equipment"} <= set(actions)
    assert a.clinician.get("/clinic/audit").status_code == 200
    assert a.patient.get("/clinic").status_code == 403
    assert a.clinician.get("/api/plan").status_code == 403


def test_an_upload_is_kept_when_the_queue_is_down(
    clinic_app: Any,
    two_parties: tuple[Party, Party],
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = two_parties
    monkeypatch.setenv(reviews.CLIPS_ENV, str(tmp_path / "clips"))
    from tests.clinic.workers import free_port

    from glutecoach.clinic.worker import BROKER_ENV

    monkeypatch.setenv(BROKER_ENV, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    reply = a.patient.post(
        "/clinic/reviews?exercise=glute_bridge",
        content=b"\x00\x00\x00\x18ftypmp42clip",
        headers={"Content-Type": "video/mp4"},
    )
    assert reply.status_code == 503, reply.text
    assert "saved" in reply.json()["detail"]
    store = open_store(pg_url)
    try:
        with store.transaction() as db:
            kept = list(db.scalars(select(ClinicReviewRow)))
    finally:
        store.close()
    assert [(r.person_id, r.status) for r in kept] == [(a.person_id, "queued")]
    assert oct(Path(kept[0].clip_path).stat().st_mode & 0o777) == "0o600"
    assert [r["id"] for r in a.clinician.get("/api/clinic/reviews").json()] == [kept[0].id]
    assert b.clinician.get("/api/clinic/reviews").json() == []
    assert b.patient.get("/api/clinic/reviews").json() == []
    mine = a.patient.get("/clinic/upload")
    assert mine.status_code == 200 and "glute bridge: queued" in mine.text
    assert "None yet." in b.patient.get("/clinic/upload").text
    assert a.clinician.get("/clinic/upload").status_code == 403
    unknown = a.patient.post(
        "/clinic/reviews?exercise=nope", content=b"x", headers={"Content-Type": "video/mp4"}
    )
    assert unknown.status_code == 400 and "exercise" in unknown.text
    assert (
        a.clinician.post(
            "/clinic/reviews?exercise=glute_bridge",
            content=b"x",
            headers={"Content-Type": "video/mp4"},
        ).status_code
        == 403
    )


def test_guessing_passwords_or_invites_is_slowed(clinic_app: Any, pg_url: str) -> None:
    party = make_party(clinic_app, pg_url, "g")
    guesser = client(clinic_app)
    for n in range(10):
        wrong = {"email": "clin-g@example.org", "password": f"guess number {n}"}
        assert guesser.post("/api/clinic/login", json=wrong).status_code == 401
    right = {"email": "clin-g@example.org", "password": PASSWORD}
    refused = guesser.post("/api/clinic/login", json=right)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    invite = guesser.post(
        "/api/clinic/invites/accept", json={"token": "x" * 43, "password": PASSWORD}
    )
    assert invite.status_code == 429
    assert party.clinician.get("/api/clinic/me").status_code == 200, "signed-in users unaffected"


def test_a_login_with_an_address_postgresql_cannot_hold_is_a_plain_401(
    clinic_app: Any, pg_url: str
) -> None:
    """A NUL byte (or other non-address) in the e-mail field matched no account without a
    500 from PostgreSQL ('A string literal cannot contain NUL'); found by schemathesis."""
    make_party(clinic_app, pg_url, "n")
    for email in ("clin-n@example.org\x00", "\x00", "not an address", "a@b\x01.org"):
        answer = client(clinic_app).post(
            "/api/clinic/login", json={"email": email, "password": PASSWORD}
        )
        assert answer.status_code == 401, (email, answer.status_code)
    right = {"email": " Clin-N@example.org ", "password": PASSWORD}
    assert client(clinic_app).post("/api/clinic/login", json=right).status_code == 200
