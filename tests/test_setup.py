"""The set-up the README's two commands do: interpreter choice and the real parts' check."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _pick_python() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pick_python", SCRIPTS / "pick_python.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pick = _pick_python()


def test_a_camera_capable_python_is_preferred_over_a_newer_default() -> None:
    found = {"/usr/bin/python3": (3, 13), "/usr/bin/python3.12": (3, 12)}
    choice = pick.choose(found)
    assert choice.interpreter == "/usr/bin/python3.12"
    assert choice.extras == "all,dev" and choice.note is None


def test_3_12_is_preferred_over_3_11() -> None:
    found = {"/a/python3.11": (3, 11), "/b/python3.12": (3, 12)}
    assert pick.choose(found).interpreter == "/b/python3.12"


def test_only_3_13_installs_everything_but_the_camera_and_says_what_it_needs() -> None:
    choice = pick.choose({"/usr/bin/python3": (3, 13)})
    assert choice.interpreter == "/usr/bin/python3"
    assert "vision" not in choice.extras and "all" not in choice.extras
    assert {"web", "postgres", "desk", "dev"} <= set(choice.extras.split(","))
    assert "mediapipe" in choice.note and "3.12" in choice.note


def test_the_newest_usable_python_is_taken_when_none_can_run_the_camera() -> None:
    choice = pick.choose({"/x/python3.13": (3, 13), "/x/python3.14": (3, 14), "/x/py": (3, 10)})
    assert choice.interpreter == "/x/python3.14"


def test_too_old_pythons_are_refused() -> None:
    with pytest.raises(LookupError):
        pick.choose({"/usr/bin/python3": (3, 10)})


def test_an_explicit_python_wins_when_usable_and_is_refused_when_not() -> None:
    found = {"/usr/bin/python3.12": (3, 12), "/opt/python3.13": (3, 13)}
    assert pick.choose(found, "/opt/python3.13").extras == "postgres,web,desk,dev"
    with pytest.raises(LookupError):
        pick.choose({"/old": (3, 9)}, "/old")


def test_the_script_prints_an_interpreter_that_runs() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPTS / "pick_python.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    interpreter, extras = out
    assert subprocess.run([interpreter, "-c", "pass"], check=False).returncode == 0
    assert "dev" in extras.split(",")
