"""Start the coach with the session: systemd user unit, LaunchAgent, or Startup-folder entry.

Each function takes the platform, home directory and environment as values, so every variant can
be written and checked on any machine (tests use a temp XDG config dir).
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Mapping
from pathlib import Path, PureWindowsPath

from glutecoach.paths import HOME_ENV

UNIT_NAME = "glutecoach-desk.service"
AGENT_LABEL = "org.glutecoach.desk"
STARTUP_NAME = "glutecoach-desk.cmd"
TARGET = "graphical-session.target"


def _systemd_quote(word: str) -> str:
    if word and not any(c in word for c in " \t\"\\'$%;"):
        return word
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def command(python: str | None = None) -> list[str]:
    """The command that starts the coach in the foreground."""
    return [python or sys.executable, "-m", "glutecoach.desk"]


def systemd_unit(argv: list[str], env: Mapping[str, str]) -> str:
    lines = [
        "[Unit]",
        "Description=glutecoach sitting-break coach",
        "Documentation=https://github.com/glutecoach/glutecoach/blob/main/docs/desk.md",
        f"PartOf={TARGET}",
        f"After={TARGET}",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=" + " ".join(_systemd_quote(a) for a in argv),
        "Restart=on-failure",
        "RestartSec=30",
    ]
    if env.get(HOME_ENV):
        lines.append(f"Environment={_systemd_quote(HOME_ENV + '=' + env[HOME_ENV])}")
    lines += ["", "[Install]", f"WantedBy={TARGET}", ""]
    return "\n".join(lines)


def launch_agent(argv: list[str], env: Mapping[str, str], home: Path) -> bytes:
    data: dict[str, object] = {
        "Label": AGENT_LABEL,
        "ProgramArguments": argv,
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ProcessType": "Interactive",
        "StandardOutPath": str(home / "Library" / "Logs" / "glutecoach-desk.log"),
        "StandardErrorPath": str(home / "Library" / "Logs" / "glutecoach-desk.log"),
    }
    if env.get(HOME_ENV):
        data["EnvironmentVariables"] = {HOME_ENV: env[HOME_ENV]}
    return plistlib.dumps(data)


def startup_script(argv: list[str], env: Mapping[str, str]) -> str:
    python = PureWindowsPath(argv[0])
    windowless = python.with_name("pythonw.exe")
    argv = [str(windowless) if python.name.lower() == "python.exe" else argv[0], *argv[1:]]
    quoted = " ".join(f'"{a}"' if " " in a else a for a in argv)
    lines = ["@echo off"]
    if env.get(HOME_ENV):
        lines.append(f'set "{HOME_ENV}={env[HOME_ENV]}"')
    lines.append(f'start "" /min {quoted}')
    return "\r\n".join(lines) + "\r\n"


def _config_home(env: Mapping[str, str], home: Path) -> Path:
    value = env.get("XDG_CONFIG_HOME")
    return Path(value) if value else home / ".config"


def paths(platform: str, home: Path, env: Mapping[str, str]) -> list[Path]:
    """Files that ``install`` writes on this platform (the first is the main one)."""
    if platform == "darwin":
        return [home / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"]
    if platform == "win32":
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        startup = appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"
        return [startup / STARTUP_NAME]
    user = _config_home(env, home) / "systemd" / "user"
    return [user / UNIT_NAME, user / f"{TARGET}.wants" / UNIT_NAME]


def install(
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    python: str | None = None,
) -> list[Path]:
    """Write the start-up entry; returns the paths written."""
    platform = platform or sys.platform
    home = home or Path.home()
    env = os.environ if env is None else env
    argv = command(python)
    targets = paths(platform, home, env)
    main = targets[0]
    main.parent.mkdir(parents=True, exist_ok=True)
    if platform == "darwin":
        main.write_bytes(launch_agent(argv, env, home))
    elif platform == "win32":
        main.write_text(startup_script(argv, env), newline="")
    else:
        main.write_text(systemd_unit(argv, env))
        link = targets[1]  # what `systemctl --user enable` would create
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(Path("..") / UNIT_NAME)
    return targets


def uninstall(
    platform: str | None = None, home: Path | None = None, env: Mapping[str, str] | None = None
) -> list[Path]:
    """Remove the start-up entry; returns the paths removed."""
    platform = platform or sys.platform
    home = home or Path.home()
    env = os.environ if env is None else env
    removed = []
    for path in paths(platform, home, env):
        if path.is_symlink() or path.exists():
            path.unlink()
            removed.append(path)
    return removed


def installed(
    platform: str | None = None, home: Path | None = None, env: Mapping[str, str] | None = None
) -> Path | None:
    platform = platform or sys.platform
    main = paths(platform, home or Path.home(), os.environ if env is None else env)[0]
    return main if main.exists() else None
