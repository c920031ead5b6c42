"""The clinic's pages in Debian's Chromium at 390×844 and 1280×800, served by the real
`glutecoach clinic serve` on PostgreSQL: the patient's home pages (with form review, their
reviews and sign-out in the header) and the clinician's pages (sign-out everywhere), axe-core
with no violation, nothing wider than the screen, a screenshot of each in the artifacts
folder's clinic/ (``$GLUTECOACH_TEST_ARTIFACTS``/web, else under pytest's temporary folder).

Kept among the browser tests, which run last: a Playwright session keeps an event loop in
the main thread, so ``asyncio.run`` in tests after it (the desk's) would fail."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.clinic.conftest import (  # noqa: F401  (fixtures: the clinic on PostgreSQL)
    PASSWORD,
    Party,
    clinic_app,
    pg_url,
    two_parties,
)
from tests.web.browser_support import VIEWPORTS
from tests.web.conftest import glutecoach_serving
from tests.web.test_browser_pages import check

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def clinic_server(pg_url: str, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """`glutecoach clinic serve` on a free port over the test's PostgreSQL database."""
    env = {
        **os.environ,
        "GLUTECOACH_HOME": str(tmp_path / "srv"),
        "GLUTECOACH_DATABASE_URL": pg_url,
    }
    with glutecoach_serving(["clinic", "serve"], env, tmp_path / "clinic-server.log") as url:
        yield url


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/clinic/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _header(page: Page) -> Any:
    return page.locator("header.top")


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_clinic_pages_in_chromium(
    browser: Browser,
    size: str,
    two_parties: tuple[Party, Party],  # noqa: F811
    clinic_server: str,
    artifacts: Path,
) -> None:
    a, _ = two_parties
    shots = artifacts.parent / "clinic"
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[size])
    try:
        page = context.new_page()
        check(page_at(page, f"{clinic_server}/clinic/login"), "c01-sign-in", size, shots)
        _sign_in(page, clinic_server, "pat-a@example.org")
        expect(page.get_by_role("link", name="Send a clip")).to_be_visible()
        for name, path in (("c02-patient-home", "/"), ("c03-patient-plan", "/plan")):
            page.goto(f"{clinic_server}{path}")
            header = _header(page)
            expect(header.get_by_role("link", name="Send a clip")).to_be_visible()
            expect(header.get_by_role("link", name="My reviews")).to_be_visible()
            expect(header.get_by_role("button", name="Sign out")).to_be_visible()
            check(page, name, size, shots)
        _header(page).get_by_role("link", name="Send a clip").click()
        expect(page.get_by_role("heading", name="Form review")).to_be_visible()
        check(page, "c04-patient-upload", size, shots)
        _header(page).get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        page.goto(f"{clinic_server}/plan")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

        _sign_in(page, clinic_server, "clin-a@example.org")
        expect(page.get_by_role("link", name="Patients")).to_be_visible()
        for name, path in (
            ("c05-clinician-dashboard", "/clinic"),
            ("c06-clinician-record", f"/clinic/patients/{a.person_id}"),
            ("c07-clinician-reviews", "/clinic/reviews"),
            ("c08-clinician-audit", "/clinic/audit"),
        ):
            page.goto(f"{clinic_server}{path}")
            expect(_header(page).get_by_role("button", name="Sign out")).to_be_visible()
            check(page, name, size, shots)
        # an override from the record page: a dose for the bridge, with a note
        page.goto(f"{clinic_server}/clinic/patients/{a.person_id}")
        page.get_by_label("Verdict", exact=True).select_option("override")
        page.get_by_label("Kind of override").select_option("dose")
        page.get_by_label("Exercise (empty: the whole plan)").select_option("bridge")
        page.get_by_label("Reps", exact=True).fill("8")
        page.get_by_label("Note (kept on record").fill("8 reps while the knee settles")
        page.get_by_role("button", name="Record").click()
        expect(page.locator("#override-in-force")).to_contain_text("8 reps while the knee")
        check(page, "c09-clinician-override", size, shots)
        _header(page).get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        _sign_in(page, clinic_server, "pat-a@example.org")
        expect(page.get_by_role("link", name="Send a clip")).to_be_visible()
        page.goto(f"{clinic_server}/plan")
        expect(page.get_by_text("Your physio (clin-a@example.org) set this")).to_be_visible()
        check(page, "c10-patient-plan-override", size, shots)
    finally:
        context.close()


def page_at(page: Page, url: str) -> Page:
    page.goto(url)
    return page
