"""Web fixtures: an in-process app with a fixed clock, and a real server for the browser."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")

from fastapi.testclient import TestClient  # noqa: E402
from tests.realparts import missing_real_part, real_parts_required  # noqa: E402

from glutecoach.web.app import create_app  # noqa: E402
from glutecoach.web.deps import get_today  # noqa: E402

T = TypeVar("T")
MONDAY = dt.date(2026, 1, 5)
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS_VAR = "GLUTECOACH_TEST_ARTIFACTS"  # where screenshots go, to be looked at
LOCAL = "http://127.0.0.1"  # the app answers only to this computer's names (DNS rebinding)


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run`` in a thread of its own: Playwright's sync API may already run an event
    loop in this thread (after the browser tests)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(make())
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def local_client(app: Any, **kw: Any) -> TestClient:
    """A TestClient that addresses the app as a browser on this computer would."""
    return TestClient(app, base_url=LOCAL, **kw)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "filterwarnings", "ignore:Using `httpx` with `starlette.testclient` is deprecated"
    )


class Web:
    """A TestClient that knows the page's CSRF token and 'today'."""

    def __init__(self, client: TestClient, clock: dict[str, dt.date]) -> None:
        self.client = client
        self.clock = clock

    def token(self, path: str = "/catalog") -> str:
        page = self.client.get(path)
        found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert found, page.text[:500]
        return found.group(1)

    def post_form(self, path: str, data: dict[str, Any], **kw: Any) -> Any:
        body = {"csrf_token": self.token(), **data}
        return self.client.post(path, data=body, follow_redirects=kw.pop("follow", False), **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def api(self, method: str, path: str, body: Any = None) -> Any:
        return self.client.request(method, path, json=body if body is not None else {})


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'web.db'}"


@pytest.fixture
def web(store_path: str) -> Iterator[Web]:
    clock = {"today": MONDAY}
    app = create_app(store_path)
    app.dependency_overrides[get_today] = lambda: clock["today"]
    with local_client(app) as client:
        yield Web(client, clock)
    app.state.web.close()


SCREENING_FORM = {
    "pain_low_back": "3",
    "side_low_back": "both",
    "age": "38",
    "sitting_hours_per_day": "9",
    "longest_sitting_minutes": "120",
    "activity_level": "light",
    "equipment": ["band", "dumbbells", "step"],
    "slb_left": "14",
    "slb_right": "15",
    "stance_drop": "no",
    "stance_pain": "no",
}


@pytest.fixture
def screened(web: Web) -> Web:
    response = web.post_form("/screening", SCREENING_FORM)
    assert response.status_code == 200, response.text
    return web


# --- real browser --------------------------------------------------------------------------


def require_chromium(found: str | None, required: bool) -> str:
    """Chromium's path; without it, browser tests fail under `make test`/CI, else skip."""
    if found:
        return found
    missing_real_part("Debian's chromium is not installed (apt-get install chromium)", required)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    executable = require_chromium(found, real_parts_required())
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "timeout": 120_000,  # a loaded 2-core CI machine can be slow to start Chromium
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_accepting(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90  # generous: a loaded 2-core CI machine
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not accept on port {port} within 90 s:\n{log.read_text()}")


@contextlib.contextmanager
def glutecoach_serving(arguments: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """``glutecoach ARGUMENTS --port P`` on a free port, its output in ``log``; yields its URL,
    stops it afterwards, and fails the test if the log holds a traceback."""
    port = _free_port()
    command = [sys.executable, "-c", "from glutecoach.cli import main; main()"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, *arguments, "--port", str(port)], env=env, stdout=out, stderr=out
        )
    try:
        _wait_until_accepting(port, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log.read_text(), log.read_text()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The real `glutecoach serve` on a free port, with its own data folder and a fixed today."""
    env = {
        **os.environ,
        "GLUTECOACH_HOME": str(tmp_path / "live-home"),
        "GLUTECOACH_TODAY": MONDAY.isoformat(),
    }
    env.pop("GLUTECOACH_DATABASE_URL", None)
    with glutecoach_serving(["serve"], env, tmp_path / "server.log") as url:
        yield url


def artifacts_folder(basetemp: Path) -> Path:
    """``$GLUTECOACH_TEST_ARTIFACTS/web`` when set, else ``artifacts/web`` under pytest's
    temporary folder (the run's, shared by pytest-xdist's workers): never inside the checkout."""
    chosen = os.environ.get(ARTIFACTS_VAR)
    if chosen:
        return Path(chosen) / "web"
    if os.environ.get("PYTEST_XDIST_WORKER"):
        basetemp = basetemp.parent  # a worker's basetemp is a folder of the run's
    return basetemp / "artifacts" / "web"


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = artifacts_folder(tmp_path_factory.getbasetemp())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say where the screenshots went, so they can be looked at."""
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or hasattr(config, "workerinput"):
        return
    folder = artifacts_folder(factory.getbasetemp())
    if folder.is_dir():
        terminalreporter.write_line(f"screenshots: {folder}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Any]:
    """The real `glutecoach serve` in its own data folder (tests/web/browser_support.Server);
    its log must hold no traceback when the test ends."""
    from tests.web.browser_support import Server

    srv = Server(tmp_path / "home")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
    assert "Traceback" not in srv.log.read_text(), srv.log.read_text()
