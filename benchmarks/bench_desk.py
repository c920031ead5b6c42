"""Footprint of the sitting-break coach while it watches idle time on a real X server.

Starts Xvfb (and, when installed, dunst on a private D-Bus so notifications are the real kind),
then runs side by side for ``--seconds``:

* the coach: ``python -m glutecoach.desk`` with the default settings (no input arrives, so it
  idles the way it does while you read or are away), and
* a baseline: a bare Python loop that polls the X11 idle time once a second.

It samples resident memory (RSS) every second with psutil and the CPU time used after start-up,
and prints both against the goal (< 40 MB RSS, < 0.1 % of one core). Not a timed test.

    .venv/bin/python benchmarks/bench_desk.py            # ~3 minutes
    .venv/bin/python benchmarks/bench_desk.py --seconds 30
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

RSS_GOAL_MB = 40.0
CPU_GOAL_PERCENT = 0.1

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
    rss_mb: list[float] = field(default_factory=list)
    cpu_start: float = 0.0
    cpu_end: float = 0.0

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return float(times.user + times.system)


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        raise SystemExit("Xvfb did not start")
    return process, f":{number}"


def start_dunst(display: str, work: Path) -> tuple[subprocess.Popen[bytes] | None, str | None]:
    if not (shutil.which("dunst") and shutil.which("dbus-run-session")):
        return None, None
    bus_file = work / "bus"
    process = subprocess.Popen(
        [
            "dbus-run-session",
            "--",
            "sh",
            "-c",
            f'echo "$DBUS_SESSION_BUS_ADDRESS" > {bus_file}; exec dunst',
        ],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if bus_file.exists() and bus_file.read_text().strip():
            time.sleep(0.5)
            return process, bus_file.read_text().strip()
        time.sleep(0.1)
    process.kill()
    return None, None


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
    args = parser.parse_args()
    if not shutil.which("Xvfb"):
        raise SystemExit("Xvfb is needed: apt-get install -y xvfb")

    work = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    xvfb, display = start_xvfb()
    dunst, bus = (None, None) if args.no_dunst else start_dunst(display, work)
    env = {**os.environ, "DISPLAY": display, "GLUTECOACH_HOME": str(work / "home")}
    for name in ("WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "GLUTECOACH_DATABASE_URL"):
        env.pop(name, None)
    if bus:
        env["DBUS_SESSION_BUS_ADDRESS"] = bus
    else:
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env["PYTHONUNBUFFERED"] = "1"

    print(f"display {display}; notifications: {'dunst on a private D-Bus' if bus else 'none'}")
    coach = subprocess.Popen(
        [sys.executable, "-m", "glutecoach.desk"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    baseline = subprocess.Popen(
        [sys.executable, "-c", BASELINE, display],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    watches: list[Watch] = []
    try:
        wait_for_line(coach, "reminder after")
        wait_for_line(baseline, "ready")
        time.sleep(2.0)  # let start-up settle; CPU is counted from here
        watches = [
            Watch("glutecoach desk", coach, psutil.Process(coach.pid)),
            Watch("baseline (bare X11 poll, 1 s)", baseline, psutil.Process(baseline.pid)),
        ]
        for w in watches:
            w.cpu_start = w.cpu_seconds()
        started = time.monotonic()
        while time.monotonic() - started < args.seconds:
            for w in watches:
                if w.process.poll() is not None:
                    raise SystemExit(f"{w.name} exited early")
                w.rss_mb.append(w.ps.memory_info().rss / 2**20)
            time.sleep(1.0)
        elapsed = time.monotonic() - started
        for w in watches:
            w.cpu_end = w.cpu_seconds()
    finally:
        for process in (coach, baseline):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            if process.stdout is not None:
                process.stdout.close()
        for process in (dunst, xvfb):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nwatched {elapsed:.0f} s (after start-up), sampled every 1 s")
    print(f"{'process':<32} {'RSS max MB':>10} {'RSS mean MB':>11} {'CPU s':>7} {'CPU % core':>10}")
    results = {}
    for w in watches:
        cpu = w.cpu_end - w.cpu_start
        share = 100.0 * cpu / elapsed
        results[w.name] = (max(w.rss_mb), share)
        print(
            f"{w.name:<32} {max(w.rss_mb):>10.1f} {sum(w.rss_mb) / len(w.rss_mb):>11.1f} "
            f"{cpu:>7.2f} {share:>10.3f}"
        )
    rss, share = results["glutecoach desk"]
    print(
        f"\ngoal: RSS < {RSS_GOAL_MB:.0f} MB: {'met' if rss < RSS_GOAL_MB else 'NOT met'} "
        f"({rss:.1f} MB); CPU < {CPU_GOAL_PERCENT} % of one core: "
        f"{'met' if share < CPU_GOAL_PERCENT else 'NOT met'} ({share:.3f} %)"
    )


if __name__ == "__main__":
    main()
