"""Footprint of the sitting-break coach while it watches idle time on a real X server.

Starts Xvfb (and, when installed, dunst on a private D-Bus so notifications are the real kind,
and Xfce's panel as the tray host, so the coach's status indicator and the peers' icons are
shown), then runs side by side for ``--seconds``:

* the coach: ``python -m glutecoach.desk`` with the default settings (no input arrives, so it
  idles the way it does while you read or are away), and
* a baseline: a bare Python loop that polls the X11 idle time once a second, and
* Workrave and Safe Eyes (Debian's packages, where installed), the two break reminders the coach
  is compared with, on the same display and bus.

It samples resident memory (RSS, with child processes) every second with psutil and the CPU time
used after start-up, and prints both against the goal (< 40 MB RSS, < 0.05 % of one core). Not a
timed test. Everything it starts runs in its own process group and is stopped at the end: no
``dbus-daemon`` (nor anything else) is left behind, and the last line says so.

    .venv/bin/python benchmarks/bench_desk.py            # ~3 minutes
    .venv/bin/python benchmarks/bench_desk.py --seconds 30
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

RSS_GOAL_MB = 40.0
CPU_GOAL_PERCENT = 0.05
PEERS = {  # name -> command; compared side by side when installed
    "Workrave (Debian)": ["workrave"],
    "Safe Eyes (Debian)": ["safeeyes"],
}

BASELINE = """
import sys, time
import Xlib.display
root = Xlib.display.Display(sys.argv[1]).screen().root
print("ready", flush=True)
while True:
    root.screensaver_query_info().idle
    time.sleep(1)
"""


@dataclass
class Watch:
    name: str
    process: subprocess.Popen[bytes]
    ps: psutil.Process
    rss_samples: list[float] = field(default_factory=list)
    cpu_start: float = 0.0
    cpu_end: float = 0.0

    def tree(self) -> list[psutil.Process]:
        try:
            return [self.ps, *self.ps.children(recursive=True)]
        except psutil.Error:
            return [self.ps]

    def cpu_seconds(self) -> float:
        total = 0.0
        for p in self.tree():
            try:
                times = p.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system + times.children_user + times.children_system
        return total

    def rss_mb(self) -> float:
        total = 0
        for p in self.tree():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                continue
        return total / 2**20


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        raise SystemExit("Xvfb did not start")
    return process, f":{number}"


def start_dunst(
    display: str, work: Path, tray: bool = True
) -> tuple[subprocess.Popen[bytes] | None, str | None]:
    """dunst on a private D-Bus, with Xfce's panel (a StatusNotifierItem tray host, so the
    coach and the peers show their tray icons as on a desktop) when installed and ``tray``."""
    if not (shutil.which("dunst") and shutil.which("dbus-run-session")):
        return None, None
    bus_file = work / "bus"
    panel = "xfce4-panel --disable-wm-check & " if tray and shutil.which("xfce4-panel") else ""
    panel_home = work / "panel-home"
    process = subprocess.Popen(
        [
            "dbus-run-session",
            "--",
            "sh",
            "-c",
            f'echo "$DBUS_SESSION_BUS_ADDRESS" > {bus_file}; {panel}exec dunst',
        ],
        env={
            **os.environ,
            "DISPLAY": display,
            "HOME": str(panel_home),
            "XDG_CONFIG_HOME": str(panel_home / ".config"),
            "XDG_CACHE_HOME": str(panel_home / ".cache"),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its dbus-daemon joins this group: stopped with it
    )
    for _ in range(100):
        if bus_file.exists() and bus_file.read_text().strip():
            time.sleep(0.5)
            return process, bus_file.read_text().strip()
        time.sleep(0.1)
    stop_group(process)
    return None, None


def stop_group(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM to the process's whole group (dbus-run-session's dbus-daemon too), then SIGKILL."""
    try:
        group: int | None = os.getpgid(process.pid)
    except ProcessLookupError:
        group = None
    if group == os.getpgrp():  # never signal our own group
        group = None
        process.terminate()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if group is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, sig)
        try:
            process.wait(timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            continue
    if group is not None:  # members that outlived the leader
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


def left_behind(marker: str) -> list[str]:
    """Processes still running whose environment or command line names ``marker``."""
    found = []
    for p in psutil.process_iter(["pid", "name", "cmdline"]):
        try:
            text = " ".join(p.info["cmdline"] or [])
            env = p.environ() if marker not in text else {}
        except psutil.Error:
            continue
        if marker in text or any(marker in v for v in env.values()):
            found.append(f"{p.info['name']} (pid {p.info['pid']})")
    return found


def wait_for_line(process: subprocess.Popen[bytes], text: str, timeout: float = 60) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline().decode()
        if not line:
            raise SystemExit(f"process exited before printing {text!r}")
        print(f"   | {line.rstrip()}")
        if text in line:
            return
    raise SystemExit(f"timed out waiting for {text!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="how long to watch")
    parser.add_argument("--no-dunst", action="store_true", help="no notification server")
    parser.add_argument("--no-peers", action="store_true", help="skip Workrave and Safe Eyes")
    parser.add_argument("--no-tray", action="store_true", help="no tray host (xfce4-panel)")
    args = parser.parse_args()
    if not shutil.which("Xvfb"):
        raise SystemExit("Xvfb is needed: apt-get install -y xvfb")

    work = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    xvfb, display = start_xvfb()
    dunst, bus = (None, None) if args.no_dunst else start_dunst(display, work, not args.no_tray)
    env = {**os.environ, "DISPLAY": display, "GLUTECOACH_HOME": str(work / "home")}
    for name in ("WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "GLUTECOACH_DATABASE_URL"):
        env.pop(name, None)
    if bus:
        env["DBUS_SESSION_BUS_ADDRESS"] = bus
    else:
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env["PYTHONUNBUFFERED"] = "1"

    tray = bus is not None and not args.no_tray and shutil.which("xfce4-panel") is not None
    print(
        f"display {display}; notifications: {'dunst on a private D-Bus' if bus else 'none'}; "
        f"tray host: {'xfce4-panel' if tray else 'none'}"
    )
    coach = subprocess.Popen(
        [sys.executable, "-m", "glutecoach.desk"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    baseline = subprocess.Popen(
        [sys.executable, "-c", BASELINE, display],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    peers = start_peers(env, work, skip=args.no_peers)
    started_all = [coach, baseline, *(p for _, p in peers)]
    watches: list[Watch] = []
    elapsed = 0.0
    try:
        wait_for_line(coach, "quiet hours")
        wait_for_line(baseline, "ready")
        time.sleep(5.0)  # let start-up settle (the peers too); CPU is counted from here
        watches = [
            Watch("glutecoach desk", coach, psutil.Process(coach.pid)),
            Watch("baseline (bare X11 poll, 1 s)", baseline, psutil.Process(baseline.pid)),
        ]
        for name, process in peers:
            if process.poll() is None:
                watches.append(Watch(name, process, psutil.Process(process.pid)))
            else:
                print(f"{name} exited at start-up (status {process.returncode}); not compared")
        for w in watches:
            w.cpu_start = w.cpu_seconds()
        started = time.monotonic()
        while time.monotonic() - started < args.seconds:
            for w in watches:
                if w.process.poll() is not None:
                    raise SystemExit(f"{w.name} exited early")
                w.rss_samples.append(w.rss_mb())
            time.sleep(1.0)
        elapsed = time.monotonic() - started
        for w in watches:
            w.cpu_end = w.cpu_seconds()
    finally:
        for process in started_all:
            stop_group(process, timeout=20)
            if process.stdout is not None:
                process.stdout.close()
        for server in (dunst, xvfb):
            if server is not None:
                stop_group(server)
        shutil.rmtree(work, ignore_errors=True)
    report(watches, elapsed)
    stray = left_behind(str(work))
    if bus:
        stray += [p for p in left_behind(bus) if p not in stray]
    print(f"left running after the benchmark: {', '.join(stray) or 'nothing'}")


def start_peers(
    env: dict[str, str], work: Path, *, skip: bool
) -> list[tuple[str, subprocess.Popen[bytes]]]:
    started = []
    for name, argv in PEERS.items():
        if skip or not shutil.which(argv[0]):
            print(f"{name}: not installed (apt-get install -y {argv[0]}); not compared")
            continue
        home = work / f"home-{argv[0]}"
        home.mkdir(parents=True, exist_ok=True)
        peer_env = {**env, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
        process = subprocess.Popen(
            argv,
            env=peer_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started.append((name, process))
    return started


def report(watches: list[Watch], elapsed: float) -> None:
    print(f"\nwatched {elapsed:.0f} s (after start-up), sampled every 1 s")
    print(f"{'process':<32} {'RSS max MB':>10} {'RSS mean MB':>11} {'CPU s':>7} {'CPU % core':>10}")
    results = {}
    for w in watches:
        cpu = w.cpu_end - w.cpu_start
        share = 100.0 * cpu / elapsed
        results[w.name] = (max(w.rss_samples), share)
        print(
            f"{w.name:<32} {max(w.rss_samples):>10.1f} "
            f"{sum(w.rss_samples) / len(w.rss_samples):>11.1f} {cpu:>7.2f} {share:>10.3f}"
        )
    rss, share = results["glutecoach desk"]
    base_rss, base_share = results["baseline (bare X11 poll, 1 s)"]
    print(
        f"\ncoach / bare poller: RSS x{rss / base_rss:.2f}, "
        f"CPU x{share / max(base_share, 1e-9):.2f}"
    )
    print(
        f"goal: RSS < {RSS_GOAL_MB:.0f} MB: {'met' if rss < RSS_GOAL_MB else 'NOT met'} "
        f"({rss:.1f} MB); CPU < {CPU_GOAL_PERCENT} % of one core: "
        f"{'met' if share < CPU_GOAL_PERCENT else 'NOT met'} ({share:.3f} %)"
    )


if __name__ == "__main__":
    main()
