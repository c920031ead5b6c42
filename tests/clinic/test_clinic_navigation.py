"""Clinic navigation: a patient's home pages link to form review and their reviews and have a
sign-out; every clinician page has a sign-out; signing out ends the sign-in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.clinic.conftest import Party, client

pytestmark = pytest.mark.postgres
SIGN_OUT = '<form class="signout" method="post" action="/clinic/logout">'
PATIENT_PAGES = ("/", "/today", "/plan", "/progress", "/checkin", "/settings", "/clinic/upload")
CLINICIAN_PAGES = ("/clinic", "/clinic/reviews", "/clinic/audit")


def _links(html: str) -> set[str]:
    header = html.split("</header>", 1)[0]
    return set(re.findall(r'<a href="([^"]+)"', header))


def test_patients_and_clinicians_can_navigate_and_sign_out(
    clinic_app: Any, two_parties: tuple[Party, Party]
) -> None:
    a, _ = two_parties
    for path in PATIENT_PAGES:
        page = a.patient.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        assert SIGN_OUT in page.text, path
        links = _links(page.text)
        assert {"/clinic/upload", "/clinic/upload#clips", "/", "/plan"} <= links, (path, links)
    assert 'id="clips"' in a.patient.get("/clinic/upload").text
    for path in (*CLINICIAN_PAGES, f"/clinic/patients/{a.person_id}"):
        page = a.clinician.get(path)
        assert page.status_code == 200, path
        assert SIGN_OUT in page.text, path
        assert {"/clinic", "/clinic/reviews", "/clinic/audit"} <= _links(page.text)
    outsider = client(clinic_app)
    for path in ("/clinic/login", "/clinic/invite"):
        assert SIGN_OUT not in outsider.get(path).text, "nobody to sign out"
    # signing out (patient and clinician) ends the sign-in: back to the sign-in page
    for account in (a.patient, a.clinician):
        out = account.post("/clinic/logout", follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/clinic/login"
        again = account.get("/", follow_redirects=False)
        assert again.status_code == 303 and again.headers["location"] == "/clinic/login"
        assert account.get("/api/clinic/patients").status_code == 401


def test_a_sign_out_from_another_site_is_refused(two_parties: tuple[Party, Party]) -> None:
    a, _ = two_parties
    forged = a.patient.post(
        "/clinic/logout", headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    )
    assert forged.status_code == 403
    assert a.patient.get("/api/plan").status_code == 200, "still signed in"
