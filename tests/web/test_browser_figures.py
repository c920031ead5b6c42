"""The moving exercise figures can be paused (WCAG 2.2.2), the choice is remembered on the
device, and a system asking for reduced motion gets still figures until the person presses Play.
Checked in Debian's Chromium on the figures' own SVG animation clock."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.web.browser_support import Server, screen

pytestmark = pytest.mark.browser
PAUSED = "() => Array.from(document.querySelectorAll('svg.figure')).map(s => s.animationsPaused())"


def figure_states(page: Page) -> list[bool]:
    states: list[bool] = page.evaluate(PAUSED)
    assert states, "the page shows no exercise figure"
    return states


def test_pause_button_stops_every_figure_and_is_remembered(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context()
    page = context.new_page()
    screen(page, server.url)
    page.goto(f"{server.url}/catalog/clamshell")
    toggle = page.get_by_role("button", name="Pause movement")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert not any(figure_states(page))
    toggle.click()
    expect(page.get_by_role("button", name="Play movement")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert all(figure_states(page))
    page.goto(f"{server.url}/today")  # another page, many figures: still paused
    assert all(figure_states(page))
    page.get_by_role("button", name="Play movement").first.click()
    assert not any(figure_states(page))
    context.close()


def test_reduced_motion_starts_still_and_play_moves(browser: Browser, server: Server) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    screen(page, server.url)
    page.goto(f"{server.url}/catalog/glute_bridge")
    expect(page.get_by_role("button", name="Play movement")).to_be_visible()
    assert all(figure_states(page))
    page.get_by_role("button", name="Play movement").click()
    assert not any(figure_states(page))
    context.close()
