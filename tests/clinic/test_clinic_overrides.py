"""A clinician's overrides through the clinic API on PostgreSQL: every kind, refusals with a
clear 400, and the override shown in the patient's plan and in the decisions list."""

from __future__ import annotations

from typing import Any

import pytest
from tests.clinic.conftest import TODAY, Party, make_party
from tests.web.test_api import a_set

pytestmark = pytest.mark.postgres


def _latest_day(party: Party) -> str:
    return party.patient.get("/api/decisions").json()[-1]["day"]


def _override(party: Party, kind: str, note: str = "seen in clinic", **fields: Any) -> Any:
    body = {"day": _latest_day(party), "verdict": "override", "override_kind": kind}
    return party.clinician.post(
        f"/api/clinic/patients/{party.person_id}/verdicts", json={**body, "note": note, **fields}
    )


def _finish(party: Party, pain: int) -> Any:
    logged = party.patient.post(f"/api/sessions/{party.session_id}/sets", json=a_set(pain=pain))
    assert logged.status_code == 201, logged.text
    finished = party.patient.post(f"/api/sessions/{party.session_id}/finish", json={})
    assert finished.status_code == 200, finished.text
    return finished.json()


def _bridge(plan: dict[str, Any]) -> dict[str, Any]:
    for session in plan["sessions"]:
        for item in session["prescriptions"]:
            if item["exercise_id"].endswith("glute_bridge") and item["role"] == "main":
                return item
    raise AssertionError("no bridge in the plan")


def test_every_override_kind_through_the_api(clinic_app: Any, pg_url: str) -> None:
    party = make_party(clinic_app, pg_url, "o")
    assert _finish(party, pain=1)["kind"] in {"advance", "hold"}
    before = _bridge(party.patient.get("/api/plan").json())
    # one step on for the bridge, with the note shown to the patient
    up = _override(party, "progress", slot="bridge", note="ready for more")
    assert up.status_code == 201, up.text
    plan = party.patient.get("/api/plan").json()
    assert plan["notes"][0].startswith(f"Your physio (clin-o@example.org) set this on {TODAY}")
    assert "ready for more" in plan["notes"][0]
    after = _bridge(plan)
    assert (after["sets"], after["reps"]) != (before["sets"], before["reps"])
    # a dose within the catalog's range; one outside is a 400 naming the field
    dosed = _override(party, "dose", slot="bridge", sets=2, reps=8, note="easier week")
    assert dosed.status_code == 201, dosed.text
    assert (_bridge(party.patient.get("/api/plan").json())["reps"]) == 8
    too_many = _override(party, "dose", slot="bridge", reps=90)
    assert too_many.status_code == 400 and "reps: Glute bridge" in too_many.json()["detail"]
    unknown = _override(party, "swap", slot="bridge", exercise_id="goblet_squat")
    assert unknown.status_code == 400 and "not a variant" in unknown.json()["detail"]
    # the decisions list carries the override with its note and date
    decisions = party.clinician.get(f"/api/clinic/patients/{party.person_id}").json()["decisions"]
    assert decisions[-1]["override"]["kind"] == "dose"
    assert decisions[-1]["override"]["note"] == "easier week"
    assert decisions[-1]["override"]["day"] == TODAY.isoformat()
    page = party.clinician.get(f"/clinic/patients/{party.person_id}").text
    assert "easier week" in page
    # end: back to the engine; the note disappears from the plan
    ended = _override(party, "end", note="back to the program")
    assert ended.status_code == 201, ended.text
    assert not any("Your physio" in n for n in party.patient.get("/api/plan").json()["notes"])
    again = _override(party, "end")
    assert again.status_code == 400 and "no override is in force" in again.json()["detail"]


def test_pain_wins_over_an_override(clinic_app: Any, pg_url: str) -> None:
    party = make_party(clinic_app, pg_url, "p")
    assert _finish(party, pain=7)["kind"] == "regress"
    refused = _override(party, "progress", note="push through")
    assert refused.status_code == 400
    assert "not while the pain model says stop" in refused.json()["detail"]
    held = _override(party, "hold", note="keep it here")
    assert held.status_code == 201, held.text
    rows = party.clinician.get("/api/clinic/patients").json()
    assert "pain flare" in rows[0]["findings"][0], "the engine's step back still shows"
