"""Helpers for the real-browser tests: a restartable `glutecoach serve`, viewports, capture
of what the page says (speechSynthesis), of wake-lock requests and of Web Audio tones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from tests.web.conftest import MONDAY, _free_port, _wait_until_accepting

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
# Installed before any page script: records every utterance, wake-lock request and tone.
CAPTURE = """
window.__spoken = []; window.__wake = []; window.__tones = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = function (u) { window.__spoken.push(u.text); };
}
if (navigator.wakeLock) {
  var request = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = function (type) { window.__wake.push(type); return request(type); };
}
var start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (when) {
  window.__tones.push(this.frequency.value); return start.call(this, when);
};
"""


def speed_script(speed: int) -> str:
    return f"window.localStorage.setItem('glutecoach.timerSpeed', '{speed}');"


class Server:
    """`glutecoach serve` on a fixed port and data folder; can be stopped and started again."""

    def __init__(self, home: Path, today: str = str(MONDAY)) -> None:
        self.home = home
        self.today = today
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = home.parent / f"server-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "GLUTECOACH_HOME": str(self.home), "GLUTECOACH_TODAY": self.today}
        env.pop("GLUTECOACH_DATABASE_URL", None)
        command = [sys.executable, "-c", "from glutecoach.cli import main; main()"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*command, "serve", "--port", str(self.port)], env=env, stdout=out, stderr=out
            )
        _wait_until_accepting(self.port, self.proc, self.log)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def screen(page: Page, base: str) -> None:
    """A new user answers the screening (band at hand) and reaches the starting point."""
    page.goto(base)
    page.get_by_label("Low back pain").fill("3")
    page.get_by_label("band", exact=True).check()
    page.get_by_role("button", name="See my starting point").click()
    expect(page.get_by_role("heading", name="Your starting point")).to_be_visible()


def start_session(page: Page, base: str) -> list[dict[str, Any]]:
    page.goto(f"{base}/today")
    page.get_by_role("button", name="Start guided session").click()
    expect(page.locator("#guide")).to_be_visible()
    raw = page.locator("#guide").get_attribute("data-guide")
    assert raw is not None
    steps: list[dict[str, Any]] = json.loads(raw)["steps"]
    return steps


def answer(page: Page, rpe: str = "6", pain: str = "1") -> None:
    page.locator("#g-rpe").select_option(rpe)
    page.locator("#g-pain").select_option(pain)


def spoken(page: Page) -> list[str]:
    said: list[str] = page.evaluate("() => window.__spoken.slice()")
    return said
