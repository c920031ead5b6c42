"""Start-up entries: a valid systemd user unit in a temp XDG config dir, LaunchAgent, Startup."""

from __future__ import annotations

import configparser
import json
import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glutecoach.desk.cli import desk_group
from glutecoach.desk.install import (
    AUTOSTART_NAME,
    UNIT_NAME,
    command,
    install,
    installed,
    systemd_unit,
    uninstall,
)


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def _exec_argv(value: str) -> list[str]:
    """Read a desktop entry's Exec value as the XDG desktop entry spec says: first the string
    escapes (a doubled backslash is one), then arguments, where inside double quotes a backslash
    escapes ``"``, `````, ``$`` and itself; ``%%`` is a literal ``%``."""
    text = value.replace("\\\\", "\\")
    words: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == " ":
            i += 1
            continue
        word = ""
        if text[i] == '"':
            i += 1
            while text[i] != '"':
                if text[i] == "\\" and text[i + 1] in '"`$\\':
                    i += 1
                word += text[i]
                i += 1
            i += 1
        else:
            while i < len(text) and text[i] != " ":
                word += text[i]
                i += 1
        words.append(word.replace("%%", "%"))
    return words


def _entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return dict(parser["Desktop Entry"])


def test_linux_install_writes_an_xdg_autostart_entry_that_keeps_person_and_database(
    tmp_path: Path,
) -> None:
    config = tmp_path / "xdg-config"
    data = tmp_path / "data dir"
    url = f'sqlite:///{tmp_path}/a $odd "name" 100%.db'
    env = {
        "XDG_CONFIG_HOME": str(config),
        "GLUTECOACH_HOME": str(data),
        "GLUTECOACH_DATABASE_URL": url,
    }
    written = install("linux", tmp_path / "home", env, person="Ann Lee")
    entry_path = config / "autostart" / AUTOSTART_NAME
    assert written == [entry_path]
    entry = _entry(entry_path)
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert Path(entry["Icon"]).is_file() and entry["Icon"].endswith("glutecoach.png")
    argv = _exec_argv(entry["Exec"])
    assert argv[0] == "env"
    assert argv[1:3] == [f"GLUTECOACH_HOME={data}", f"GLUTECOACH_DATABASE_URL={url}"]
    assert Path(argv[3]).is_absolute()
    assert argv[4:] == ["-m", "glutecoach.desk", "--person", "Ann Lee"]
    assert entry_path.stat().st_mode & 0o077 == 0  # the URL may hold a password
    # the command really starts the coach (checked with --help)
    done = subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Sitting-break coach" in done.stdout
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry_path)], capture_output=True)
        assert check.returncode == 0, check.stdout
    assert installed("linux", tmp_path / "home", env) == entry_path

    # an earlier version's systemd unit goes too
    legacy = config / "systemd" / "user" / UNIT_NAME
    legacy.parent.mkdir(parents=True)
    legacy.write_text(systemd_unit(command(), env))
    removed = uninstall("linux", tmp_path / "home", env)
    assert set(removed) == {entry_path, legacy}
    assert not entry_path.exists() and not legacy.exists()
    assert installed("linux", tmp_path / "home", env) is None
    assert uninstall("linux", tmp_path / "home", env) == []


def test_systemd_unit_keeps_the_database_and_quotes_paths_with_spaces() -> None:
    env = {"GLUTECOACH_DATABASE_URL": "postgresql://u@h/db"}
    unit = systemd_unit(command("/opt/my python/bin/python3", "me"), env)
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert shlex.split(exec_start.removeprefix("ExecStart="))[0] == "/opt/my python/bin/python3"
    assert "Environment=GLUTECOACH_DATABASE_URL=postgresql://u@h/db" in unit


def test_macos_launch_agent(tmp_path: Path) -> None:
    (path,) = install("darwin", tmp_path, {}, python="/usr/local/bin/python3")
    assert path == tmp_path / "Library" / "LaunchAgents" / "org.glutecoach.desk.plist"
    data = plistlib.loads(path.read_bytes())
    assert data["Label"] == "org.glutecoach.desk"
    assert data["ProgramArguments"] == ["/usr/local/bin/python3", "-m", "glutecoach.desk"]
    assert data["RunAtLoad"] is True
    assert uninstall("darwin", tmp_path, {}) == [path] and not path.exists()


def test_windows_startup_entry(tmp_path: Path) -> None:
    env = {"APPDATA": str(tmp_path / "Roaming")}
    (path,) = install("win32", tmp_path, env, python=r"C:\Python311\python.exe")
    assert path.parent.name == "Startup" and path.name == "glutecoach-desk.cmd"
    text = path.read_bytes().decode()
    assert text.startswith("@echo off\r\n")
    assert 'start "" /min C:\\Python311\\pythonw.exe -m glutecoach.desk' in text
    assert uninstall("win32", tmp_path, env) == [path]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the CLI installs for this OS")
def test_cli_install_and_uninstall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    runner = CliRunner()
    result = runner.invoke(desk_group, ["install"])
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'cfg' / 'autostart' / AUTOSTART_NAME}" in result.output
    assert "--person me" in result.output
    result = runner.invoke(desk_group, ["uninstall"])
    assert result.exit_code == 0 and "removed" in result.output
    result = runner.invoke(desk_group, ["uninstall"])
    assert "nothing to remove" in result.output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_uninstall_stops_the_running_coach_and_only_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from glutecoach.desk.cli_report import _status_path

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    wait = "import time; time.sleep(120)"
    # a stranger that took a dead coach's pid is left alone
    stranger = subprocess.Popen([sys.executable, "-c", wait])
    coach = subprocess.Popen([sys.executable, "-c", wait, "glutecoach.desk"])
    try:
        _wait_for_exec(coach.pid, "glutecoach.desk")  # not the forked pytest any more
        _status_path().parent.mkdir(parents=True, exist_ok=True)
        _status_path().write_text(json.dumps({"pid": stranger.pid, "running": True}))
        result = CliRunner().invoke(desk_group, ["uninstall"])
        assert "no coach was running" in result.output and stranger.poll() is None
        _status_path().write_text(json.dumps({"pid": coach.pid, "running": True}))
        CliRunner().invoke(desk_group, ["install"])
        result = CliRunner().invoke(desk_group, ["uninstall"])
        assert result.exit_code == 0, result.output
        assert f"stopped the running coach (pid {coach.pid})" in result.output
        assert coach.wait(timeout=10) == -15  # SIGTERM
    finally:
        for process in (stranger, coach):
            process.kill()
            process.wait()


def _wait_for_exec(pid: int, marker: str, timeout: float = 30.0) -> None:
    """Until the child's command line is its own (on a loaded machine the fork shows pytest's
    for a while), so that what is checked is the coach's, not a half-started process."""
    import time

    import psutil

    deadline = time.monotonic() + timeout
    while marker not in " ".join(psutil.Process(pid).cmdline()):
        assert time.monotonic() < deadline, f"pid {pid} never ran its command"
        time.sleep(0.02)
