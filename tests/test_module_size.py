"""Small modules: every Python module under src/ stays under 400 lines (split it by what it
does when it grows; see docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_LINES = 400


def too_long(root: Path, limit: int = MAX_LINES) -> list[str]:
    """``path: N lines`` for each module under ``root`` with ``limit`` lines or more."""
    found = []
    for path in sorted(root.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines >= limit:
            found.append(f"{path.relative_to(root)}: {lines} lines")
    return found


def test_every_module_is_under_400_lines() -> None:
    modules = list(SRC.rglob("*.py"))
    assert len(modules) > 100  # the walk really found the package
    assert too_long(SRC) == []


def test_the_check_sees_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * 399)
    (tmp_path / "pkg" / "long.py").write_text("x = 1\n" * 400)
    assert too_long(tmp_path) == [f"{Path('pkg') / 'long.py'}: 400 lines"]
