"""Start the coach with the session: XDG autostart entry, LaunchAgent, or Startup-folder entry.

On Linux an XDG autostart entry (``~/.config/autostart/glutecoach-desk.desktop``), which every
desktop that follows the XDG autostart spec starts with the session: GNOME, KDE, Xfce, MATE,
Cinnamon, LXQt, and i3/sway through ``dex``. (What Workrave and Safe Eyes do; a systemd unit
wanted by ``graphical-session.target`` never starts under Xfce, i3 and others.) Every entry keeps
the person and the database (``GLUTECOACH_HOME``, ``GLUTECOACH_DATABASE_URL``).

Each function takes the platform, home directory and environment as values, so every variant can
be written and checked on any machine (tests use a temp XDG config dir).
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Mapping
from pathlib import Path, PureWindowsPath

from glutecoach.paths import DATABASE_URL_ENV, HOME_ENV

AUTOSTART_NAME = "glutecoach-desk.desktop"
UNIT_NAME = "glutecoach-desk.service"  # written by earlier versions; uninstall removes it
AGENT_LABEL = "org.glutecoach.desk"
STARTUP_NAME = "glutecoach-desk.cmd"
TARGET = "graphical-session.target"


def _systemd_quote(word: str) -> str:
    if word and not any(c in word for c in " \t\"\\'$%;"):
        return word
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


KEPT_ENV = (HOME_ENV, DATABASE_URL_ENV)
"""Environment the coach needs to find the same data: carried into every start-up entry."""


def command(python: str | None = None, person: str | None = None) -> list[str]:
    """The command that starts the coach in the foreground."""
    argv = [python or sys.executable, "-m", "glutecoach.desk"]
    return [*argv, "--person", person] if person else argv


def _kept(env: Mapping[str, str]) -> dict[str, str]:
    return {name: env[name] for name in KEPT_ENV if env.get(name)}


def _exec_quote(word: str) -> str:
    """Quote one argument of a desktop entry's Exec key (XDG desktop entry spec)."""
    if word and not any(c in word for c in " \t\n\"'\\><~|&;$*?#()`%="):
        return word
    inner = "".join("\\" + c if c in '"`$\\' else c for c in word).replace("%", "%%")
    # the key's value is a string too: each backslash is written twice
    return '"' + inner.replace("\\", "\\\\") + '"'


def autostart_entry(argv: list[str], env: Mapping[str, str], icon: str = "") -> str:
    """``glutecoach-desk.desktop`` for ``$XDG_CONFIG_HOME/autostart``."""
    kept = _kept(env)
    words = (["env", *(f"{k}={v}" for k, v in kept.items())] if kept else []) + argv
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=glutecoach sitting-break coach",
        "Comment=Reminds you to stand up and move after a stretch of computer use",
        "Exec=" + " ".join(_exec_quote(w) for w in words),
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "X-GNOME-Autostart-Delay=10",
    ]
    if icon:
        lines.append(f"Icon={icon}")
    return "\n".join(lines) + "\n"


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
    for name, value in _kept(env).items():
        lines.append(f"Environment={_systemd_quote(name + '=' + value)}")
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
    if _kept(env):
        data["EnvironmentVariables"] = _kept(env)
    return plistlib.dumps(data)


def startup_script(argv: list[str], env: Mapping[str, str]) -> str:
    python = PureWindowsPath(argv[0])
    windowless = python.with_name("pythonw.exe")
    argv = [str(windowless) if python.name.lower() == "python.exe" else argv[0], *argv[1:]]
    quoted = " ".join(f'"{a}"' if " " in a else a for a in argv)
    lines = ["@echo off"]
    for name, value in _kept(env).items():
        lines.append(f'set "{name}={value}"')
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
    return [_config_home(env, home) / "autostart" / AUTOSTART_NAME]


def legacy_paths(platform: str, home: Path, env: Mapping[str, str]) -> list[Path]:
    """The systemd user unit earlier versions wrote on Linux (removed by ``uninstall``)."""
    if platform in ("darwin", "win32"):
        return []
    user = _config_home(env, home) / "systemd" / "user"
    return [user / f"{TARGET}.wants" / UNIT_NAME, user / UNIT_NAME]


def install(
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    python: str | None = None,
    person: str | None = None,
) -> list[Path]:
    """Write the start-up entry; returns the paths written."""
    platform = platform or sys.platform
    home = home or Path.home()
    env = os.environ if env is None else env
    argv = command(python, person)
    targets = paths(platform, home, env)
    main = targets[0]
    main.parent.mkdir(parents=True, exist_ok=True)
    if platform == "darwin":
        main.write_bytes(launch_agent(argv, env, home))
    elif platform == "win32":
        main.write_text(startup_script(argv, env), newline="")
    else:
        from glutecoach.desk.notify import icon_path

        main.write_text(autostart_entry(argv, env, icon_path()))
    if _kept(env):
        main.chmod(0o600)  # a database URL may hold a password
    return targets


def uninstall(
    platform: str | None = None, home: Path | None = None, env: Mapping[str, str] | None = None
) -> list[Path]:
    """Remove the start-up entry; returns the paths removed."""
    platform = platform or sys.platform
    home = home or Path.home()
    env = os.environ if env is None else env
    removed = []
    for path in [*paths(platform, home, env), *legacy_paths(platform, home, env)]:
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
