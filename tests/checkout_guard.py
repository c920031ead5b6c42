"""Tests must not write into the checkout: what git sees as new or changed there (untracked
and ignored files included, tool caches excepted) before and after the test session."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Tools' own caches, not the tests' output.
CACHES = frozenset(
    {".venv", "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis"}
)


def _is_cache(path: str) -> bool:
    parts = Path(path).parts
    return any(p in CACHES or p == "__pycache__" or p.endswith(".egg-info") for p in parts)


def checkout_files(repo: Path = REPO) -> dict[str, int]:
    """Every untracked, ignored or changed file in ``repo`` (caches left out), with its
    modification time: a file a test creates or rewrites shows up as a new entry."""
    listed = subprocess.run(
        ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found: dict[str, int] = {}
    for item in listed.split("\0"):
        path = item[3:]
        if not path or _is_cache(path):
            continue
        full = repo / path
        files = [full] if not full.is_dir() else [p for p in full.rglob("*") if p.is_file()]
        for file in files:
            if file.exists() and not _is_cache(str(file.relative_to(repo))):
                found[str(file.relative_to(repo))] = file.stat().st_mtime_ns
    return found


def written_since(before: dict[str, int], repo: Path = REPO) -> list[str]:
    """The files created or rewritten in ``repo`` since ``before`` was taken."""
    after = checkout_files(repo)
    return sorted(path for path, stamp in after.items() if before.get(path) != stamp)
