"""Shared fixtures: an isolated data folder per test, the catalog, and stores on SQLite and a
real PostgreSQL server started for the test session."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings as hypothesis_settings
from tests.checkout_guard import checkout_files, written_since
from tests.realparts import missing_real_part

from glutecoach.catalog.loader import load_catalog
from glutecoach.cli import cli
from glutecoach.core.catalog import Catalog
from glutecoach.store.db import Store, open_store

TESTS = Path(__file__).parent
REPO = TESTS.parent
PG_CTL_SHIM = TESTS / "pg_ctl_as_postgres.sh"
IN_CI = bool(os.environ.get("CI"))
CHECKOUT_BEFORE = pytest.StashKey[dict[str, int]]()

# CI runs the property tests with a fixed seed so a red build is reproducible; locally they
# explore new examples every run.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
if IN_CI:
    hypothesis_settings.load_profile("ci")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Note what the checkout holds before collection (so writes at import time count too)."""
    if not hasattr(session.config, "workerinput"):  # the controller, not an xdist worker
        session.config.stash[CHECKOUT_BEFORE] = checkout_files()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Fail the run when a test wrote into the checkout (screenshots, databases...): tests
    write under pytest's temporary folder or a folder given by an environment variable."""
    before = session.config.stash.get(CHECKOUT_BEFORE, None)
    if before is None:
        return
    written = written_since(before)
    if written:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write("\n")
            reporter.write_line(
                "FAILED: tests wrote into the checkout (write under tmp_path instead): "
                + ", ".join(written[:10]),
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


ENV_VARS = (
    "GLUTECOACH_HOME",
    "GLUTECOACH_DATABASE_URL",
    "GLUTECOACH_TODAY",
    "GLUTECOACH_PERSON",
    "GLUTECOACH_CATALOG_DIR",
    "GLUTECOACH_SIGNING_KEY_FILE",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder; nothing touches the real one."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("GLUTECOACH_HOME", str(home))
    from glutecoach.catalog import loader

    loader._load_cached.cache_clear()
    return home


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog()


def postgres_available() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


if postgres_available():
    from pytest_postgresql import factories

    postgresql_proc = factories.postgresql_proc(executable=str(PG_CTL_SHIM), port=None)
    postgresql_db = factories.postgresql("postgresql_proc")


def _require_postgres() -> None:
    if postgres_available():
        return
    missing_real_part("PostgreSQL server binaries not installed (apt-get install postgresql)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for each backend: SQLite in a temp folder, a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    _require_postgres()
    connection = request.getfixturevalue("postgresql_db")
    proc = request.getfixturevalue("postgresql_proc")
    return f"postgresql+psycopg://{proc.user}@{proc.host}:{proc.port}/{connection.info.dbname}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


class Runner:
    """Runs the real CLI in-process and returns click's result."""

    def __init__(self) -> None:
        self._runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self._runner.invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def run() -> Runner:
    return Runner()
