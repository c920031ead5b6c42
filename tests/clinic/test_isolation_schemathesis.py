"""Schemathesis with both sessions: every API operation of the clinic app, with generated
bodies and parameters, sent by each of the four accounts (two clinicians, two patients) with
every id in the path set to the other party's. Never a 5xx, never a 2xx on the other party's
ids, never the other party's name in an answer, and the other party's record unchanged."""

from __future__ import annotations

import os
import warnings
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from tests.clinic.conftest import Party
from tests.clinic.test_isolation import snapshot

from glutecoach.clinic.gate import CLINIC_COOKIE

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
pytestmark = pytest.mark.postgres
EXAMPLES = int(os.environ.get("GLUTECOACH_CLINIC_EXAMPLES", "6"))
SIGNS_OUT = {"POST /api/clinic/logout"}


def headers_of(client: Any) -> dict[str, str]:
    return {"Host": "127.0.0.1", "Cookie": f"{CLINIC_COOKIE}={client.cookies[CLINIC_COOKIE]}"}


def fuzz(operation: Any, headers: dict[str, str], other: Party, found: dict[str, Any]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def one(case: schemathesis.Case) -> None:
        names_other = False
        for key in list(case.path_parameters or {}):
            if key in ("person_id", "session_id"):
                case.path_parameters[key] = getattr(other, key)
                names_other = True
        response = case.call(headers=headers)
        found["statuses"][response.status_code] += 1
        found["by_actor"][headers["Cookie"], response.status_code < 400] += 1
        label = f"{case.method} {case.formatted_path} -> {response.status_code}"
        if response.status_code >= 500:
            found["errors"].append(label)
        if names_other and response.status_code < 400:
            found["leaks"].append(label)
        if other.name in response.text:
            found["leaks"].append(f"{label} shows {other.name}")

    one()


def test_schemathesis_with_both_sessions(
    clinic_app: Any, two_parties: tuple[Party, Party], pg_url: str
) -> None:
    a, b = two_parties
    found: dict[str, Any] = {
        "statuses": Counter(),
        "errors": [],
        "leaks": [],
        "by_actor": Counter(),
    }
    operations = 0
    # Loaded once (clinicians may not read the home app's /openapi.json); every call below
    # carries its own account's cookie.
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", clinic_app, headers=headers_of(a.patient)
    )
    for own, other in ((a, b), (b, a)):
        before = snapshot(pg_url, other.person_id)
        for actor in (own.patient, own.clinician):
            headers = headers_of(actor)
            for result in schema.get_all_operations():
                operation = result.ok()
                if operation.label in SIGNS_OUT:
                    continue
                operations += 1
                fuzz(operation, headers, other, found)
        assert snapshot(pg_url, other.person_id) == before, "the other party's record changed"
    print(
        f"schemathesis, both sessions: {operations} operation runs x {EXAMPLES} examples,",
        dict(found["statuses"]),
    )
    assert operations >= 4 * 25
    for actor in (a.patient, a.clinician, b.patient, b.clinician):
        assert found["by_actor"][headers_of(actor)["Cookie"], True] > 0, "each account got in"
    assert not found["errors"], found["errors"][:20]
    assert not found["leaks"], found["leaks"][:20]
