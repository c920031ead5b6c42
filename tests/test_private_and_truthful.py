"""The store's half of the security suite: files only their owner can read, logs without
personal data, durable writes, and failures told truthfully (busy, unreachable, corrupt)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from builders import answers
from glutecoach.catalog.loader import load_catalog
from glutecoach.cli import main
from glutecoach.core.models import SetLog
from glutecoach.errors import StoreBusy
from glutecoach.services import Coach
from glutecoach.store import db as store_db
from glutecoach.store.db import open_store

PLANTED_NOTE = "Planted-note-Zebra-7731"
PLANTED_NAME = "Planted Person Quokka"
PLANTED_PAIN = "pain=9"
DAY = "2026-01-06"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    captured = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), captured.out + captured.err


@pytest.fixture
def screened(isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers().model_dump(mode="json")))
    code, output = run_cli(
        ["--today", "2026-01-05", "screen", "--answers", str(answers_file)], capsys
    )
    assert code == 0, output
    return isolated_home


# --- files readable by their owner alone -----------------------------------------------------


def test_first_run_makes_folder_0700_and_database_files_0600(screened: Path) -> None:
    assert mode(screened) == 0o700
    assert mode(screened / "glutecoach.db") == 0o600
    store = open_store(f"sqlite:///{screened / 'glutecoach.db'}")
    try:
        with store.transaction() as db:  # a write while open: SQLite has its -wal and -shm
            db.execute(text("UPDATE people SET name = name"))
            side_files = [screened / "glutecoach.db-wal", screened / "glutecoach.db-shm"]
            assert all(p.exists() for p in side_files)
            assert {p.name: mode(p) for p in side_files} == {p.name: 0o600 for p in side_files}
    finally:
        store.close()


def test_export_output_is_0600(screened: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "backup.json"
    code, output = run_cli(["export", "-o", str(target)], capsys)
    assert code == 0, output
    assert mode(target) == 0o600
    assert json.loads(target.read_text())["format"] == "glutecoach-export"


def test_every_file_the_cli_creates_is_private(screened: Path, tmp_path: Path, capsys) -> None:
    """The console entry point runs with umask 077: charts and other outputs are 0600 too,
    and the caller's umask is restored afterwards."""
    import os

    chart = tmp_path / "progress.png"
    previous = os.umask(0o022)
    try:
        code, output = run_cli(["--today", DAY, "progress", "--plot", str(chart)], capsys)
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(previous)
    assert code == 0, output
    assert mode(chart) == 0o600


def test_looser_modes_are_repaired_on_start(screened: Path, capsys) -> None:
    (screened / "crash.log").write_text("old\n")
    for path, loose in (
        (screened, 0o755),
        (screened / "glutecoach.db", 0o644),
        (screened / "crash.log", 0o666),
    ):
        path.chmod(loose)
    code, output = run_cli(["--today", DAY, "plan"], capsys)
    assert code == 0, output
    assert mode(screened) == 0o700
    assert mode(screened / "glutecoach.db") == 0o600
    assert mode(screened / "crash.log") == 0o600


def test_repair_leaves_other_files_and_the_home_folder_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Pointing GLUTECOACH_HOME at one's home folder must not lock it or break scripts."""
    home = tmp_path / "person"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    script = home / "backup.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GLUTECOACH_HOME", str(home))
    code, output = run_cli(["catalog", "list"], capsys)
    assert code == 0, output
    code, output = run_cli(["--today", DAY, "settings"], capsys)
    assert code == 0, output
    assert mode(home) == 0o755
    assert mode(script) == 0o755
    assert mode(home / "glutecoach.db") == 0o600


def test_a_database_outside_the_data_folder_is_created_0600(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "my.db"
    open_store(f"sqlite:///{path}").close()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


# --- logs without personal data --------------------------------------------------------------


def _failing_clear(self: Coach, day: dt.date, note: str) -> None:
    """A bug deep in a write, whose message quotes what was being written."""
    raise RuntimeError(f"could not store note={note!r} for {self.person} with {PLANTED_PAIN}")


def test_crash_log_holds_no_arguments_values_or_messages(
    screened: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Coach, "clear", _failing_clear)
    argv = ["--person", PLANTED_NAME, "--today", DAY, "resume", "--cleared-by-clinician"]
    code, output = run_cli([*argv, "--note", PLANTED_NOTE], capsys)
    assert code == 1
    assert "internal error" in output
    log = screened / "crash.log"
    content = log.read_text()
    assert "command: resume" in content
    assert "RuntimeError" in content
    assert "_failing_clear" in content  # where it happened is kept
    for secret in (PLANTED_NOTE, PLANTED_NAME, PLANTED_PAIN, "--note"):
        assert secret not in content
        assert secret not in output
    assert mode(log) == 0o600


def test_database_errors_never_quote_sql_parameters(store_url: str) -> None:
    """A failed statement's message (which tracebacks and logs show) hides its values."""
    store = open_store(store_url)
    try:
        with pytest.raises(IntegrityError) as info, store.transaction() as db:
            db.execute(
                text(
                    "INSERT INTO sets (session_id, exercise_id, side, set_index, reps, load_kg,"
                    " felt_in, pain) VALUES (:s, :e, 'both', 1, :r, 0, '[]', 9)"
                ),
                {"s": 987654, "e": PLANTED_NOTE, "r": 9731},
            )
        message = str(info.value)
        assert PLANTED_NOTE not in message and "9731" not in message
        assert "hidden due to hide_parameters" in message
    finally:
        store.close()


# --- durability ------------------------------------------------------------------------------


def test_sqlite_runs_with_synchronous_full(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        with store.transaction() as db:
            assert db.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert db.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        store.close()


# --- busy, unreachable and corrupt, told truthfully ------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 400)
    return 400


@pytest.fixture
def write_lock_held(screened: Path) -> Iterator[None]:
    """Another program holds the SQLite write lock for the whole test."""
    holder = sqlite3.connect(screened / "glutecoach.db", isolation_level=None, timeout=5)
    holder.execute("BEGIN IMMEDIATE")
    yield
    holder.execute("ROLLBACK")
    holder.close()


def _sets_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        count = conn.execute("SELECT count(*) FROM sets").fetchone()[0]
    conn.close()
    return int(count)


def test_lock_held_past_the_timeout_says_not_saved_and_exits_75(
    screened: Path, short_busy_timeout: int, write_lock_held: None, capsys
) -> None:
    before = _sets_in(screened / "glutecoach.db")
    code, output = run_cli(["--today", DAY, "log", "glute_bridge", "--reps", "8"], capsys)
    assert code == 75, output
    assert "Waiting for the database" in output
    assert "NOT saved" in output and "try again" in output
    assert "corrupt" not in output and "internal error" not in output
    assert not (screened / "crash.log").exists()
    assert _sets_in(screened / "glutecoach.db") == before


def test_the_same_log_succeeds_once_the_lock_is_released(
    screened: Path, short_busy_timeout: int, capsys
) -> None:
    holder = sqlite3.connect(
        screened / "glutecoach.db", isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.1, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        code, output = run_cli(["--today", DAY, "log", "glute_bridge", "--reps", "8"], capsys)
    finally:
        release.join()
        holder.close()
    assert code == 0, output
    assert _sets_in(screened / "glutecoach.db") == 1


@pytest.fixture
def read_only_folder(screened: Path) -> Iterator[Path]:
    """The data folder made unwritable for real: immutable for root (who ignores modes),
    mode 0500 for anyone else."""
    import os
    import subprocess

    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(screened)], check=True)
        yield screened
        subprocess.run(["chattr", "-i", str(screened)], check=True)
    else:
        screened.chmod(0o500)
        yield screened
        screened.chmod(0o700)


def test_read_only_data_folder_is_unreachable_not_corrupt(read_only_folder: Path, capsys) -> None:
    before = (read_only_folder / "glutecoach.db").read_bytes()
    code, output = run_cli(["--today", DAY, "log", "glute_bridge", "--reps", "8"], capsys)
    assert code == 69, output
    assert "cannot be reached or written" in output and "data folder" in output
    assert "corrupt" not in output and "import a backup" not in output
    assert (read_only_folder / "glutecoach.db").read_bytes() == before


def test_read_only_database_is_unreachable_not_corrupt(
    screened: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    url = f"sqlite:///file:{screened / 'glutecoach.db'}?mode=ro&uri=true"
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", url)
    before = (screened / "glutecoach.db").read_bytes()
    code, output = run_cli(["--today", DAY, "log", "glute_bridge", "--reps", "8"], capsys)
    assert code == 69, output
    assert "cannot be reached or written" in output
    assert "corrupt" not in output and "import a backup" not in output
    assert (screened / "glutecoach.db").read_bytes() == before


def test_postgresql_down_is_unreachable_not_corrupt(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql+psycopg://someone:hunter2@127.0.0.1:{port}/glutecoach"
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", url)
    code, output = run_cli(["--today", DAY, "plan"], capsys)
    assert code == 69, output
    assert "cannot be reached" in output and "server is running" in output
    assert "data folder" not in output
    assert "corrupt" not in output and "hunter2" not in output


def test_a_file_that_is_not_sqlite_is_corrupt_and_untouched(isolated_home: Path, capsys) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    db = isolated_home / "glutecoach.db"
    db.write_bytes(b"garbage" * 100)
    code, output = run_cli(["--today", DAY, "plan"], capsys)
    assert code == 2
    assert "may be corrupt" in output
    assert db.read_bytes() == b"garbage" * 100


@pytest.mark.postgres
def test_postgresql_lock_past_the_timeout_is_busy(
    short_busy_timeout: int, request: pytest.FixtureRequest
) -> None:
    """PostgreSQL waits for a lock no longer than SQLite does, then says busy, not saved."""
    from conftest import _require_postgres

    _require_postgres()
    request.getfixturevalue("postgresql_db")
    proc = request.getfixturevalue("postgresql_proc")
    dbname = request.getfixturevalue("postgresql_db").info.dbname
    url = f"postgresql+psycopg://{proc.user}@{proc.host}:{proc.port}/{dbname}"
    store = open_store(url)
    holder = open_store(url)
    try:
        coach = Coach(store, load_catalog())
        coach.screen(answers(), dt.date(2026, 1, 5))
        session = coach.open_session(dt.date(2026, 1, 6))
        with holder.transaction() as db:
            db.execute(text("LOCK TABLE sets IN ACCESS EXCLUSIVE MODE"))
            log = SetLog(exercise_id="glute_bridge", set_index=1, reps=8)
            with pytest.raises(StoreBusy, match="NOT saved"):
                coach.log_set(session, log)
        assert coach.logged_sets(session) == []
    finally:
        holder.close()
        store.close()
