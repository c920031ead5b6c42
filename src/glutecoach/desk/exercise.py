"""A click on a reminder's body: show the suggested exercise.

In the web app's page when the web app runs (catalog exercises), else in a small window of its
own (``python -m glutecoach.desk.howto``, Tk, a separate short-lived process so the coach stays
small), else as a notification with the how-to text.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from glutecoach.desk.micro import MicroExercise

WEB_URL_ENV = "GLUTECOACH_WEB_URL"
DEFAULT_WEB_URL = "http://127.0.0.1:8000"


def web_running(base: str, timeout: float = 0.3) -> bool:
    parts = urlsplit(base)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def exercise_url(base: str, exercise: MicroExercise) -> str | None:
    """The web app's page for a catalog exercise (desk-only items have none)."""
    if exercise.desk_only:
        return None
    return f"{base.rstrip('/')}/catalog/{exercise.id}"


class ExerciseOpener:
    def __init__(
        self,
        inform: Callable[[str, str], Awaitable[None]],
        *,
        web_url: str | None = None,
        window: bool = True,
    ) -> None:
        self.inform = inform
        self.web_url = web_url or os.environ.get(WEB_URL_ENV) or DEFAULT_WEB_URL
        self.window = window
        self.opened: list[str] = []  # what was opened, for the log and tests

    async def open(self, exercise: MicroExercise) -> None:
        url = exercise_url(self.web_url, exercise)
        if url is not None and await asyncio.to_thread(web_running, self.web_url):
            import webbrowser

            await asyncio.to_thread(webbrowser.open, url)
            self.opened.append(url)
            return
        if self.window and os.environ.get("DISPLAY") and _tk_available():
            subprocess.Popen(
                [sys.executable, "-m", "glutecoach.desk.howto", exercise.id],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.opened.append(f"window:{exercise.id}")
            return
        await self.inform(exercise.name, f"{exercise.dose}. {exercise.how}")
        self.opened.append(f"text:{exercise.id}")


def _tk_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("tkinter") is not None
