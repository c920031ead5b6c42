"""Clinic fixtures: a real PostgreSQL database, the clinic app with a fixed clock, and a clinic
of two clinicians, each with one patient who has screened and trained."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")

from fastapi.testclient import TestClient  # noqa: E402
from tests.builders import answers  # noqa: E402
from tests.conftest import _require_postgres  # noqa: E402

from glutecoach.clinic import accounts  # noqa: E402
from glutecoach.clinic.app import create_clinic_app  # noqa: E402
from glutecoach.store.db import open_store  # noqa: E402

TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 9, 0)
LOCAL = "http://127.0.0.1"
PASSWORD = "correct horse battery"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "filterwarnings", "ignore:Using `httpx` with `starlette.testclient` is deprecated"
    )


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    _require_postgres()
    connection = request.getfixturevalue("postgresql_db")
    proc = request.getfixturevalue("postgresql_proc")
    return f"postgresql+psycopg://{proc.user}@{proc.host}:{proc.port}/{connection.info.dbname}"


@pytest.fixture
def clinic_app(pg_url: str) -> Any:
    app = create_clinic_app(pg_url, clock=lambda: TODAY, now=lambda: NOW)
    yield app
    app.state.web.close()


def client(app: Any) -> TestClient:
    return TestClient(app, base_url=LOCAL)


def sign_in(app: Any, email: str, password: str = PASSWORD) -> TestClient:
    c = client(app)
    reply = c.post("/api/clinic/login", json={"email": email, "password": password})
    assert reply.status_code == 200, reply.text
    return c


@dataclass
class Party:
    """A clinician and their patient (signed-in clients, the patient's ids and a marker)."""

    clinician: TestClient
    patient: TestClient
    person_id: int
    session_id: int
    name: str


def make_party(app: Any, pg_url: str, tag: str) -> Party:
    store = open_store(pg_url)
    try:
        with store.transaction() as db:
            accounts.create_clinician(db, f"clin-{tag}@example.org", PASSWORD, NOW)
    finally:
        store.close()
    clinician = sign_in(app, f"clin-{tag}@example.org")
    name = f"Marker-{tag}-patient"
    made = clinician.post(
        "/api/clinic/patients", json={"email": f"pat-{tag}@example.org", "name": name}
    )
    assert made.status_code == 201, made.text
    token = made.json()["invite_link"].split("#", 1)[1]
    patient = client(app)
    accepted = patient.post(
        "/api/clinic/invites/accept", json={"token": token, "password": PASSWORD}
    )
    assert accepted.status_code == 200, accepted.text
    screened = patient.post("/api/screening", json=answers().model_dump(mode="json"))
    assert screened.status_code == 200, screened.text
    opened = patient.post("/api/sessions", json={})
    assert opened.status_code == 200, opened.text
    return Party(clinician, patient, made.json()["person_id"], opened.json()["id"], name)


@pytest.fixture
def two_parties(clinic_app: Any, pg_url: str) -> Iterator[tuple[Party, Party]]:
    yield make_party(clinic_app, pg_url, "a"), make_party(clinic_app, pg_url, "b")
