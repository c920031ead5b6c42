"""Isolation: two clinicians, each with one patient. Every route of the clinic app is called by
each of the four accounts with the *other* party's ids; none may read or change the other
party's record. The route table is read from the app itself, so a route added later is covered
without editing this test."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy import text
from starlette.routing import Route
from tests.clinic.conftest import NOW, TODAY, Party, client
from tests.web.test_api import a_set

from glutecoach.store.db import open_store

PERSON_TABLES = ("screenings", "sessions", "checkins", "clearances", "decisions", "settings")
CLINIC_TABLES = ("clinic_verdicts", "clinic_reviews", "clinic_audit")
SKIP_METHODS = {"HEAD", "OPTIONS"}


def bodies(today: dt.date) -> dict[str, Any]:
    """A plausible, valid body for each writing route (so a write would really happen)."""
    return {
        "/api/sessions/{session_id}/sets": a_set(),
        "/api/sessions/{session_id}/finish": {"notes": "cross write"},
        "/api/clinic/patients/{person_id}/verdicts": {
            "day": today.isoformat(),
            "verdict": "override",
            "note": "cross write",
        },
        "/api/clinic/patients/{person_id}/settings/{name}": {"value": ["none"]},
        "/api/settings/{name}": {"value": ["none"]},
        "/api/checkins": {"morning": True, "pain": {}, "stiffness": 0, "red_flags": {}},
    }


def fill(path: str, other: Party) -> str:
    values = {
        "person_id": str(other.person_id),
        "session_id": str(other.session_id),
        "exercise_id": "glute_bridge",
        "name": "equipment",
    }
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "1"), path)


def snapshot(pg_url: str, person_id: int) -> dict[str, Any]:
    """Every row of one person's record (and of the clinic tables about them)."""
    store = open_store(pg_url)
    try:
        with store.engine.connect() as conn:
            found: dict[str, Any] = {}
            for table in PERSON_TABLES + CLINIC_TABLES:
                found[table] = sorted(
                    str(tuple(row))
                    for row in conn.execute(
                        text(f"SELECT * FROM {table} WHERE person_id = :p ORDER BY id"),
                        {"p": person_id},
                    )
                )
            found["sets"] = sorted(
                str(tuple(row))
                for row in conn.execute(
                    text(
                        "SELECT sets.* FROM sets JOIN sessions ON sessions.id = sets.session_id "
                        "WHERE sessions.person_id = :p"
                    ),
                    {"p": person_id},
                )
            )
            return found
    finally:
        store.close()


def routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route, including those of included routers (pages too)."""
    found: list[tuple[str, str]] = []

    def walk(table: list[Any], prefix: str) -> None:
        for route in table:
            included = getattr(route, "original_router", None)
            if included is not None:
                walk(included.routes, prefix + route.include_context.prefix)
            elif isinstance(route, APIRoute | Route) and route.methods:
                path = prefix + route.path
                found.extend((m, path) for m in sorted(route.methods - SKIP_METHODS))

    walk(app.routes, "")
    return sorted(set(found))


def test_every_route_with_the_other_partys_ids(
    clinic_app: Any, two_parties: tuple[Party, Party], pg_url: str
) -> None:
    a, b = two_parties
    # A little record on both sides, so there is something to leak.
    for party in (a, b):
        logged = party.patient.post(f"/api/sessions/{party.session_id}/sets", json=a_set())
        assert logged.status_code == 201, logged.text
    table = routes(clinic_app)
    assert len(table) >= 30, table
    tried = 0
    leaks: list[str] = []
    for actor_party, other in ((a, b), (b, a)):
        before = snapshot(pg_url, other.person_id)
        for actor in (actor_party.patient, actor_party.clinician):
            for method, path in table:
                if path in ("/api/clinic/logout", "/clinic/logout"):
                    continue  # would sign the actor out
                url = fill(path, other)
                body = bodies(TODAY).get(path, {})
                reply = actor.request(method, url, json=body if method != "GET" else None)
                tried += 1
                names_other = "{person_id}" in path or "{session_id}" in path
                if names_other and reply.status_code < 400:
                    leaks.append(f"{method} {url} -> {reply.status_code}")
                if other.name in reply.text:
                    leaks.append(f"{method} {url} shows {other.name}")
        assert snapshot(pg_url, other.person_id) == before, "the other party's record changed"
    assert not leaks, leaks
    print(f"isolation: {tried} cross-party requests over {len(table)} routes, 0 leaks")


def test_a_clinician_sees_their_own_patient_and_each_access_is_audited(
    clinic_app: Any, two_parties: tuple[Party, Party], pg_url: str
) -> None:
    a, b = two_parties
    seen = a.clinician.get(f"/api/clinic/patients/{a.person_id}")
    assert seen.status_code == 200, seen.text
    assert seen.json()["name"] == a.name
    refused = a.clinician.get(f"/api/clinic/patients/{b.person_id}")
    assert refused.status_code == 404
    audit = a.clinician.get("/api/clinic/audit").json()
    assert [(r["person_id"], r["action"]) for r in audit][:1] == [(a.person_id, "view record")]
    assert all(r["person_id"] == a.person_id for r in audit)
    store = open_store(pg_url)
    try:
        with store.engine.connect() as conn:
            about_b = conn.execute(
                text("SELECT count(*) FROM clinic_audit WHERE person_id = :p"),
                {"p": b.person_id},
            ).scalar_one()
    finally:
        store.close()
    assert about_b == 0, "a refused access is not an access"
    assert str(NOW.date()) in audit[0]["at"]


def test_patient_pages_and_api_are_their_own(
    clinic_app: Any, two_parties: tuple[Party, Party]
) -> None:
    a, b = two_parties
    assert a.patient.post(f"/api/sessions/{a.session_id}/sets", json=a_set()).status_code == 201
    for path in ("/", "/progress", "/api/progress", "/api/decisions", "/api/settings"):
        mine = a.patient.get(path)
        assert mine.status_code == 200, (path, mine.text[:300])
        assert b.name not in mine.text
    assert a.patient.get(f"/api/sessions/{a.session_id}/sets").json()
    assert a.patient.get(f"/api/sessions/{b.session_id}/sets").status_code == 404


def test_signed_out_requests_are_refused(clinic_app: Any, two_parties: tuple[Party, Party]) -> None:
    anonymous = client(clinic_app)
    assert anonymous.get("/api/progress").status_code == 401
    assert anonymous.get("/api/clinic/patients").status_code == 401
    page = anonymous.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/clinic/login"
    assert anonymous.get("/api/health").status_code == 200
