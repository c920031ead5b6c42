"""Start-up entries: a valid systemd user unit in a temp XDG config dir, LaunchAgent, Startup."""

from __future__ import annotations

import configparser
import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glutecoach.desk.cli import desk_group
from glutecoach.desk.install import UNIT_NAME, install, installed, uninstall


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def test_linux_install_writes_a_valid_unit_and_uninstall_removes_it(tmp_path: Path) -> None:
    config = tmp_path / "xdg-config"
    env = {"XDG_CONFIG_HOME": str(config), "GLUTECOACH_HOME": str(tmp_path / "data dir")}
    written = install("linux", tmp_path / "home", env)
    unit_path = config / "systemd" / "user" / UNIT_NAME
    link = config / "systemd" / "user" / "graphical-session.target.wants" / UNIT_NAME
    assert written == [unit_path, link]
    assert link.is_symlink() and link.resolve() == unit_path.resolve()
    unit = _unit(unit_path)
    assert set(unit.sections()) == {"Unit", "Service", "Install"}
    assert unit["Unit"]["PartOf"] == "graphical-session.target"
    assert unit["Service"]["Type"] == "simple"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    assert unit["Service"]["Environment"] == f'"GLUTECOACH_HOME={tmp_path / "data dir"}"'
    # ExecStart is an absolute command that really starts the coach (checked with --help)
    argv = shlex.split(unit["Service"]["ExecStart"])
    assert Path(argv[0]).is_absolute() and argv[1:] == ["-m", "glutecoach.desk"]
    done = subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Sitting-break coach" in done.stdout
    if shutil.which("systemd-analyze"):
        check = subprocess.run(
            ["systemd-analyze", "verify", "--user", str(unit_path)], capture_output=True, text=True
        )
        assert "ExecStart" not in check.stderr, check.stderr
    assert installed("linux", tmp_path / "home", env) == unit_path

    removed = uninstall("linux", tmp_path / "home", env)
    assert set(removed) == {unit_path, link}
    assert not unit_path.exists() and not link.is_symlink()
    assert installed("linux", tmp_path / "home", env) is None
    assert uninstall("linux", tmp_path / "home", env) == []


def test_unit_quotes_paths_with_spaces(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    (path, _) = install("linux", tmp_path, env, python="/opt/my python/bin/python3")
    exec_start = _unit(path)["Service"]["ExecStart"]
    assert shlex.split(exec_start)[0] == "/opt/my python/bin/python3"


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
    assert f"wrote {tmp_path / 'cfg' / 'systemd' / 'user' / UNIT_NAME}" in result.output
    result = runner.invoke(desk_group, ["uninstall"])
    assert result.exit_code == 0 and "removed" in result.output
    result = runner.invoke(desk_group, ["uninstall"])
    assert "nothing to remove" in result.output
