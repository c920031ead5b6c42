"""Real parts for the worker-pool tests and the clinic benchmark: a throwaway redis-server on a
free port, Celery workers as separate process groups, and tiny real-pixel clips."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np

REDIS = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """redis-server on a free port (no persistence); yields its URL; stopped afterwards."""
    if REDIS is None:
        raise RuntimeError("redis-server is not installed: apt-get install redis-server")
    port = free_port()
    proc = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def start_worker(
    name: str, env: dict[str, str], log: Path, concurrency: int = 1
) -> subprocess.Popen[bytes]:
    """A Celery worker in its own process group (so kill -9 takes the whole worker)."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "glutecoach.clinic.worker:celery_app",
        "worker",
        f"--concurrency={concurrency}",
        "--prefetch-multiplier=1",
        f"--hostname={name}@%h",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    with log.open("ab") as out:
        return subprocess.Popen(
            command, env={**os.environ, **env}, stdout=out, stderr=out, start_new_session=True
        )


def kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    proc.wait(30)


def make_clips(folder: Path, count: int, frames: int = 30) -> list[Path]:
    """``count`` 320x240 clips of a real photo (scikit-image's astronaut) sliding sideways."""
    import cv2
    from skimage import data

    photo = cv2.cvtColor(cv2.resize(data.astronaut(), (240, 240)), cv2.COLOR_RGB2BGR)
    clips = []
    for n in range(count):
        path = folder / f"clip{n:02d}.mp4"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (320, 240))
        for i in range(frames):
            frame = np.zeros((240, 320, 3), np.uint8)
            x = 10 + (i + n) % 60
            frame[:, x : x + 240] = photo
            writer.write(frame)
        writer.release()
        clips.append(path)
    return clips
