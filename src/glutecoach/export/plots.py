"""Progress charts as a PNG (matplotlib, no display needed)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from glutecoach.core.progress import ProgressSummary
from glutecoach.errors import InputError


def plot_progress(summary: ProgressSummary, path: Path) -> None:
    """Pain per region, weekly adherence and load per exercise, one panel each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_pain, ax_adherence, ax_load) = plt.subplots(3, 1, figsize=(9, 10), sharex=True)
    by_region: dict[str, list[tuple[object, int]]] = defaultdict(list)
    for point in summary.pain:
        label = point.region.value if point.region else "during session (worst set)"
        by_region[label].append((point.day, point.score))
    for label, points in sorted(by_region.items()):
        days, scores = zip(*points, strict=True)
        ax_pain.plot(days, scores, marker="o", label=label)
    for entry in summary.timeline:
        if entry.kind.value in {"regress", "stop_and_refer"} or "phase" in entry.summary:
            ax_pain.axvline(entry.day, color="grey", alpha=0.3)
    ax_pain.set(
        title="Pain (0-10); grey lines: phase changes, regressions, stops", ylim=(-0.5, 10.5)
    )
    if by_region:
        ax_pain.legend(fontsize="small")
    weeks = [w.week_start for w in summary.adherence]
    ax_adherence.bar(
        weeks, [w.planned for w in summary.adherence], width=5, color="#ddd", label="planned"
    )
    ax_adherence.bar(
        weeks, [w.done for w in summary.adherence], width=3, color="#2a7", label="done (by sets)"
    )
    ax_adherence.set(title="Sessions per week")
    ax_adherence.legend(fontsize="small")
    by_exercise: dict[str, list[tuple[object, float]]] = defaultdict(list)
    for load in summary.loads:
        if load.load_kg > 0:
            by_exercise[load.exercise_id].append((load.day, load.load_kg))
    for exercise_id, load_points in sorted(by_exercise.items()):
        load_days, loads = zip(*load_points, strict=True)
        ax_load.step(load_days, loads, where="post", marker=".", label=exercise_id)
    ax_load.set(title="Load per exercise (kg)")
    if by_exercise:
        ax_load.legend(fontsize="small")
    fig.autofmt_xdate()
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)


def pain_chart_png(summary: ProgressSummary, stop_above: int, width_in: float = 7.0) -> bytes:
    """The pain trend for the handout: each region's ratings and the worst set per session."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width_in, 2.6))
    by_region: dict[str, list[tuple[object, int]]] = defaultdict(list)
    for point in summary.pain:
        label = point.region.value.replace("_", " ") if point.region else "during sessions"
        by_region[label].append((point.day, point.score))
    for label, points in sorted(by_region.items()):
        days, scores = zip(*points, strict=True)
        ax.plot(days, scores, marker="o", markersize=3, linewidth=1.2, label=label)
    ax.axhline(
        stop_above,
        color="#c33",
        linewidth=0.8,
        linestyle="--",
        label=f"above {stop_above}/10 during exercise: stop it",
    )
    ax.set(ylim=(-0.5, 10.5), ylabel="pain 0-10")
    ax.legend(fontsize="x-small", ncol=3, loc="upper right")
    fig.autofmt_xdate()
    fig.tight_layout()
    out = io.BytesIO()
    try:
        fig.savefig(out, format="png", dpi=150)
    finally:
        plt.close(fig)
    return out.getvalue()
