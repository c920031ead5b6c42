"""A patient's clinic record in their export (PostgreSQL): overrides, clinicians' notes,
form-review results (never the clip) and who viewed the record, in JSON, CSV and FHIR; the
JSON import brings back what belongs to the person."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from tests.clinic.conftest import NOW, PASSWORD, TODAY, Party, make_party
from tests.web.test_api import a_set

from glutecoach.clinic import accounts, reviews
from glutecoach.store.clinic_tables import ClinicReviewRow
from glutecoach.store.db import open_store

pytestmark = pytest.mark.postgres

RESULT = {
    "reps": 9,
    "holds_s": [2.0, 2.5],
    "faults": ["knee_valgus"],
    "view_ok": True,
    "advice": "side view is good",
    "summary": {
        "exercise_id": "glute_bridge",
        "reps_observed": 9,
        "good_form_reps": 7,
        "good_form_share": 0.78,
        "faults": {"knee_valgus": 2},
    },
    "frames": 180,
    "annotated_video": "/srv/clips/secret-name.mp4",
}


def _clinic_history(app: Any, pg_url: str, tmp_path: Path) -> Party:
    party = make_party(app, pg_url, "x")
    logged = party.patient.post(f"/api/sessions/{party.session_id}/sets", json=a_set(pain=1))
    assert logged.status_code == 201, logged.text
    assert party.patient.post(f"/api/sessions/{party.session_id}/finish", json={}).status_code
    record = party.clinician.get(f"/api/clinic/patients/{party.person_id}").json()
    url = f"/api/clinic/patients/{party.person_id}/verdicts"
    day = record["decisions"][-1]["day"]
    accepted = party.clinician.post(
        url, json={"day": day, "verdict": "accept", "note": "good first week"}
    )
    assert accepted.status_code == 201, accepted.text
    dosed = party.clinician.post(
        url,
        json={
            "day": day,
            "verdict": "override",
            "override_kind": "dose",
            "slot": "bridge",
            "reps": 8,
            "note": "keep 8 reps for the knee",
        },
    )
    assert dosed.status_code == 201, dosed.text
    clip = tmp_path / "secret-clip.mp4"
    clip.write_bytes(b"not a real video")
    store = open_store(pg_url)
    try:
        with store.transaction() as db:
            review = reviews.create_review(db, party.person_id, "glute_bridge", clip, NOW)
            assert reviews.claim(db, review, "w1") is not None
            assert reviews.finish(db, review, result=RESULT, error=None, now=NOW)
            reviews.create_review(db, party.person_id, "clamshell", clip, NOW)  # still queued
    finally:
        store.close()
    return party


def _cli(run: Any, monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> Any:
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", url)
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def test_csv_and_fhir_carry_the_clinic_record(
    clinic_app: Any, pg_url: str, tmp_path: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    party = _clinic_history(clinic_app, pg_url, tmp_path)
    person = ("--person", party.name, "--today", TODAY.isoformat())
    zipped = tmp_path / "record.zip"
    _cli(run, monkeypatch, pg_url, *person, "export", "--format", "csv", "-o", str(zipped))
    with zipfile.ZipFile(zipped) as archive:
        tables = {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }
        raw = b"".join(archive.read(n) for n in archive.namelist())
    overrides = tables["overrides.csv"]
    assert [(o["kind"], o["by"], o["note"]) for o in overrides] == [
        ("dose", "clin-x@example.org", "keep 8 reps for the knee")
    ]
    notes = tables["clinician_notes.csv"]
    assert [(n["verdict"], n["note"]) for n in notes] == [
        ("accept", "good first week"),
        ("override", "keep 8 reps for the knee"),
    ]
    done = [r for r in tables["form_reviews.csv"] if r["status"] == "done"]
    assert len(done) == 1 and done[0]["reps"] == "9" and done[0]["faults"] == "knee_valgus"
    assert done[0]["holds_s"] == "2 2.5" and done[0]["good_form_share"] == "0.78"
    views = tables["record_views.csv"]
    assert {v["clinician"] for v in views} == {"clin-x@example.org"}
    assert any(v["what"] == "view record" for v in views)
    assert b"secret" not in raw, "no clip name or video path in the export"

    fhir = _cli(run, monkeypatch, pg_url, *person, "export", "--format", "fhir").output
    bundle = Bundle.model_validate_json(fhir)
    by_type: dict[str, list[Any]] = {}
    for entry in bundle.entry or []:
        by_type.setdefault(entry.resource.get_resource_type(), []).append(entry.resource)
    plan = by_type["CarePlan"][0]
    assert any("keep 8 reps" in n.text and n.authorString for n in plan.note)
    assert any("good first week" in n.text for n in plan.note)
    (provenance,) = by_type["Provenance"]
    assert provenance.target[0].reference == f"urn:uuid:{plan.id}"
    assert provenance.agent[0].who.display == "clin-x@example.org"
    reviews_seen = [o for o in by_type["Observation"] if "Form review" in (o.code.text or "")]
    assert len(reviews_seen) == 1
    assert reviews_seen[0].component[0].valueInteger == 9
    assert len(by_type["AuditEvent"]) == len(views)
    assert "secret" not in fhir


def _clinic_part(document: dict[str, Any], name: str) -> dict[str, Any]:
    (person,) = [p for p in document["people"] if p["name"] == name]
    return person["extensions"]["clinic"]


def test_json_export_and_import_round_trip_the_persons_clinic_data(
    clinic_app: Any, pg_url: str, tmp_path: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    party = _clinic_history(clinic_app, pg_url, tmp_path)
    backup = tmp_path / "backup.json"
    _cli(run, monkeypatch, pg_url, "export", "-o", str(backup))
    document = json.loads(backup.read_text())
    assert "secret" not in backup.read_text()
    exported = _clinic_part(document, party.name)
    assert [n["note"] for n in exported["notes"]] == ["good first week", "keep 8 reps for the knee"]
    assert [r["status"] for r in exported["reviews"]] == ["done", "queued"]
    assert exported["views"] and "clip_path" not in exported["reviews"][0]
    (person,) = [p for p in document["people"] if p["name"] == party.name]
    assert person["decisions"][-1]["override"]["note"] == "keep 8 reps for the knee"
    # into a new database where the clinician has an account (the same clinic, moved)
    target = tmp_path / "moved.db"
    moved = open_store(f"sqlite:///{target}")
    try:
        with moved.transaction() as db:
            accounts.create_clinician(db, "clin-x@example.org", PASSWORD, NOW)
    finally:
        moved.close()
    _cli(run, monkeypatch, f"sqlite:///{target}", "import", str(backup))
    again = tmp_path / "again.json"
    _cli(run, monkeypatch, f"sqlite:///{target}", "export", "-o", str(again))
    back = _clinic_part(json.loads(again.read_text()), party.name)
    assert back["notes"] == exported["notes"] and back["views"] == exported["views"]
    assert back["reviews"][0] == exported["reviews"][0]
    assert back["reviews"][1]["status"] == "failed", "no clip came along: upload it again"
    moved = open_store(f"sqlite:///{target}")
    try:
        with moved.transaction() as db:
            clips = [r.clip_path for r in db.query(ClinicReviewRow)]
    finally:
        moved.close()
    assert clips == ["", ""]
    # into a home database without that clinician: the person's own part comes back
    home = tmp_path / "home.db"
    _cli(run, monkeypatch, f"sqlite:///{home}", "import", str(backup))
    solo = tmp_path / "solo.json"
    _cli(run, monkeypatch, f"sqlite:///{home}", "export", "-o", str(solo))
    alone = _clinic_part(json.loads(solo.read_text()), party.name)
    assert len(alone["reviews"]) == 2 and alone["notes"] == [] and alone["views"] == []


def test_a_damaged_clinic_part_is_refused_and_nothing_is_written(
    clinic_app: Any, pg_url: str, tmp_path: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    party = _clinic_history(clinic_app, pg_url, tmp_path)
    backup = tmp_path / "backup.json"
    _cli(run, monkeypatch, pg_url, "export", "-o", str(backup))
    document = json.loads(backup.read_text())
    _clinic_part(document, party.name)["reviews"][0]["created_at"] = "yesterday"
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(document))
    target = tmp_path / "target.db"
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", f"sqlite:///{target}")
    refused = run("import", str(damaged))
    assert refused.exit_code == 2, refused.output
    assert "clinic.reviews[0].created_at" in refused.output
    assert "Traceback" not in refused.output
    empty = tmp_path / "empty.json"
    assert run("export", "-o", str(empty)).exit_code == 0
    assert json.loads(empty.read_text())["people"] == [], "nothing was imported"
