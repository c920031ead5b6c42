"""The guard that fails a run writing into the checkout sees new and rewritten files, inside
ignored folders too, and leaves tool caches alone (on a scratch git repository)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.checkout_guard import REPO, checkout_files, written_since


def scratch_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "checkout"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text("test-artifacts/\n.pytest_cache/\n*.db\n")
    (repo / "test-artifacts" / "web").mkdir(parents=True)
    (repo / "test-artifacts" / "web" / "old.png").write_bytes(b"old")
    return repo


def test_new_and_rewritten_files_are_named_caches_are_not(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path)
    before = checkout_files(repo)
    assert written_since(before, repo) == []
    (repo / "test-artifacts" / "web" / "new.png").write_bytes(b"png")
    old = repo / "test-artifacts" / "web" / "old.png"
    old.write_bytes(b"rewritten")
    os.utime(old, ns=(1, before["test-artifacts/web/old.png"] + 1_000_000))
    (repo / "import_time.db").write_bytes(b"sqlite")
    (repo / ".pytest_cache").mkdir()
    (repo / ".pytest_cache" / "v").write_text("cache")
    (repo / "pkg" / "__pycache__").mkdir(parents=True)
    (repo / "pkg" / "__pycache__" / "m.pyc").write_bytes(b"")
    assert written_since(before, repo) == [
        "import_time.db",
        "test-artifacts/web/new.png",
        "test-artifacts/web/old.png",
    ]


def test_collecting_the_suite_writes_no_database_or_file(tmp_path: Path) -> None:
    """Importing every test module (pytest's collection) opens no store and writes nothing:
    not in the person's data folders (empty ones given here), not in the checkout (the guard
    in the collecting run would fail it)."""
    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    data.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "GLUTECOACH_HOME": str(data),
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    env.pop("GLUTECOACH_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "tests collected" in done.stdout
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [], written
