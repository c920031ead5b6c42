"""Analyse several videos, one process (and one pose model) per worker, with progress."""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from glutecoach.vision.errors import VisionError
from glutecoach.vision.models import AnalysisResult

REPORT_EVERY = 10  # frames between progress messages from a worker


def probe(videos: list[Path]) -> list[int | None]:
    """Open every input once before any work starts: a bad file fails fast, with its name.

    Returns each input's frame count (None when the container does not say).
    """
    from glutecoach.vision.capture import open_source

    totals: list[int | None] = []
    for video in videos:
        source = open_source(video)
        totals.append(source.frame_count or None)
        source.close()
    return totals


def _worker(
    index: int,
    video: str,
    exercise: str,
    side: str | None,
    out: str | None,
    save: str | None,
    updates: Any,
) -> tuple[AnalysisResult | None, str | None]:
    """Runs in a child process: its own pose model; errors come back as messages."""
    from glutecoach.vision.pipeline import analyze_source

    pending = 0

    def tick(n: int) -> None:
        nonlocal pending
        pending += n
        if pending >= REPORT_EVERY:
            updates.put((index, pending))
            pending = 0

    try:
        result = analyze_source(
            video, exercise, side, Path(out) if out else None, tick, Path(save) if save else None
        )
    except VisionError as exc:
        return None, str(exc)
    updates.put((index, pending))
    return result, None


def analyze_many(
    videos: list[Path],
    exercise: str,
    side: str | None,
    outs: list[Path | None],
    saves: list[Path | None],
    jobs: int,
    progress: Any,
    totals: list[int | None],
) -> list[AnalysisResult]:
    """Results in input order; the first VisionError is raised once all workers are done."""
    tasks = [progress.add_task(str(v), total=t) for v, t in zip(videos, totals, strict=True)]
    if jobs == 1 or len(videos) == 1:
        from glutecoach.vision.pipeline import analyze_source

        return [
            analyze_source(v, exercise, side, o, _advancer(progress, t), s)
            for v, o, s, t in zip(videos, outs, saves, tasks, strict=True)
        ]
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(jobs, mp_context=context) as pool:
        updates = manager.Queue()
        futures: list[Future[tuple[AnalysisResult | None, str | None]]] = [
            pool.submit(
                _worker,
                i,
                str(v),
                exercise,
                side,
                str(o) if o else None,
                str(s) if s else None,
                updates,
            )
            for i, (v, o, s) in enumerate(zip(videos, outs, saves, strict=True))
        ]
        while not all(f.done() for f in futures):
            _drain(updates, progress, tasks, timeout=0.1)
        _drain(updates, progress, tasks, timeout=0.0)
        outcomes = [f.result() for f in futures]
    errors = [message for _, message in outcomes if message]
    if errors:
        raise VisionError("; ".join(errors))
    return [result for result, _ in outcomes if result is not None]


def _advancer(progress: Any, task: Any) -> Callable[[int], None]:
    return lambda frames: progress.advance(task, frames)


def _drain(updates: Any, progress: Any, tasks: list[Any], timeout: float) -> None:
    try:
        while True:
            index, frames = updates.get(timeout=timeout) if timeout else updates.get_nowait()
            progress.advance(tasks[index], frames)
            timeout = 0.0
    except queue.Empty:
        return
