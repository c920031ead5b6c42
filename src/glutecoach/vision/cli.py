"""``glutecoach vision``: analyze videos, coach live, evaluate on UI-PRMD."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from glutecoach.vision.errors import VisionError
from glutecoach.vision.models import AnalysisResult, RepObservation
from glutecoach.vision.summary import summarize

VIEW_PROBLEM_EXIT = 3


class VisionInputError(click.ClickException):
    """Bad input: printed as 'Error: ...', exit status 2, no traceback."""

    exit_code = 2


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except VisionError as exc:
        raise VisionInputError(str(exc)) from exc


def _stderr() -> Console:
    return Console(stderr=True)


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_stderr(),
        disable=not enabled,
        transient=False,
    )
    with progress:
        yield progress


@click.group(name="vision")
def vision_group() -> None:
    """Camera form coach: count reps, time holds and flag faults from video or a webcam."""


def _outputs(videos: tuple[Path, ...], out: Path | None, suffix: str) -> list[Path | None]:
    if out is None:
        return [None] * len(videos)
    if len(videos) == 1 and not out.is_dir():
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    return [out / f"{Path(v).stem}{suffix}" for v in videos]


def _print_result(console: Console, result: AnalysisResult) -> None:
    console.print(f"[bold]{result.source}[/bold] - {result.exercise} ({result.profile})")
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")
    if not result.view.ok:
        console.print(f"[yellow]Not scored:[/yellow] {result.view.advice}")
        return
    if result.view.advice:
        console.print(f"[dim]{result.view.advice}[/dim]")
    table = Table("rep", "side", "start s", "end s", "range", "hold s", "quality", "faults")
    for rep in result.reps:
        table.add_row(
            f"{rep.index} (cut at the {rep.clipped})" if rep.clipped else str(rep.index),
            rep.side,
            f"{rep.start_s:.1f}",
            f"{rep.end_s:.1f}",
            f"{rep.range_of_motion:.1f} {rep.range_unit}",
            f"{rep.hold_seconds:.1f}",
            f"{rep.quality:.2f}",
            _faults_text(rep),
        )
    console.print(table)
    for rep in result.partial_reps:
        where = "began" if rep.clipped == "start" else "stopped"
        console.print(
            f"[dim]Partial rep {rep.start_s:.1f}-{rep.end_s:.1f} s not counted: the recording "
            f"{where} part-way through it. Start recording before the first rep and stop after "
            "the last.[/dim]"
        )
    s = summarize(result.reps, result.baseline)
    if result.baseline is not None:
        console.print(
            f"[dim]Faults also judged against your own first {result.baseline.reps_used} clean "
            "reps (depth, knee line, lean, heels as you did them; never looser than the fixed "
            "limits).[/dim]"
        )
    console.print(
        f"Summary: {s.reps_observed} reps, {s.good_form_reps} with good form "
        f"({s.good_form_share:.0%}); mean hold {s.mean_hold_seconds or 0:.1f} s; symmetry "
        f"{'-' if s.symmetry is None else f'{s.symmetry:.2f}'}; faults {s.faults or '-'}"
    )


def _faults_text(rep: RepObservation) -> str:
    own = set(rep.calibrated_faults)
    sure = ", ".join(f"{f} (vs your first clean reps)" if f in own else f for f in rep.faults)
    maybe = ", ".join(rep.uncertain_faults)
    if maybe:
        return f"{sure}; possible (not counted): {maybe}" if sure else f"possible: {maybe}"
    return sure or "-"


def _result_json(result: AnalysisResult) -> dict[str, Any]:
    return {
        "result": result.model_dump(mode="json"),
        "summary": summarize(result.reps, result.baseline).model_dump(),
    }


@vision_group.command("analyze")
@click.argument("videos", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--exercise", required=True, help="Exercise id, e.g. glute_bridge.")
@click.option("--side", type=click.Choice(["left", "right"]), help="Working side, if one-sided.")
@click.option(
    "--out", type=click.Path(path_type=Path), help="Annotated video (a folder if several)."
)
@click.option("--save-landmarks", type=click.Path(path_type=Path), help="Save landmarks (.npz).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Videos analysed in parallel (one process and one pose model each).",
)
def analyze_cmd(
    videos: tuple[Path, ...],
    exercise: str,
    side: str | None,
    out: Path | None,
    save_landmarks: Path | None,
    as_json: bool,
    jobs: int,
) -> None:
    """Count reps and flag faults in recorded videos (or .npz landmark recordings).

    Faults are judged only from camera angles that can see them (the others are listed as not
    checked) and counted only when the camera is sure; unsure ones show as "possible". Reps cut
    by the start or end of the video are counted when they reach the top, else listed as
    partial. Exit 3 when the view is wrong or the body does not look like the exercise.

    Example: glutecoach vision analyze bridge.mp4 --exercise glute_bridge --out annotated.mp4
    """
    from glutecoach.vision.parallel import analyze_many, probe

    with _user_errors():
        from glutecoach.vision.form_checks import load_form_checks

        load_form_checks().profile_for(exercise)
        outs = _outputs(videos, out, ".annotated.mp4")
        saves = _outputs(videos, save_landmarks, ".landmarks.npz")
        totals = probe(list(videos))
        with _progress(enabled=True) as progress:
            results = analyze_many(
                list(videos), exercise, side, outs, saves, jobs, progress, totals
            )
    _report(results, as_json)


def _report(results: list[AnalysisResult], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([_result_json(r) for r in results], indent=2))
    else:
        console = Console()
        for result in results:
            _print_result(console, result)
    if any(not r.view.ok for r in results):
        sys.exit(VIEW_PROBLEM_EXIT)


@vision_group.command("live")
@click.option("--exercise", required=True, help="Exercise id, e.g. bodyweight_squat.")
@click.option("--source", default="0", show_default=True, help="Camera index or a video file.")
@click.option("--side", type=click.Choice(["left", "right"]))
@click.option("--out", type=click.Path(path_type=Path), help="Also record the annotated video.")
@click.option("--window/--no-window", default=None, help="Show a window (default: for cameras).")
@click.option("--max-seconds", type=click.FloatRange(min=0), help="Stop after this long.")
@click.option("--json", "as_json", is_flag=True, help="Print the final result as JSON.")
def live_cmd(
    exercise: str,
    source: str,
    side: str | None,
    out: Path | None,
    window: bool | None,
    max_seconds: float | None,
    as_json: bool,
) -> None:
    """Coach from a webcam: counter and cues on screen and in the terminal. Press q to stop.

    Example: glutecoach vision live --exercise bodyweight_squat --source 0
    """
    from glutecoach.vision.live import LiveEvent, run_live

    console = _stderr()

    def announce(event: LiveEvent) -> None:
        style = "yellow" if event.kind == "advice" else "green"
        console.print(f"[{style}]{event.time_s:6.1f}s[/{style}] {event.text}")

    target: int | str = int(source) if source.isdigit() else source
    show = isinstance(target, int) if window is None else window
    with _user_errors():
        result = run_live(target, exercise, announce, side, out, show, max_seconds)
    _report([result], as_json)


@vision_group.command("evaluate")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--truth",
    default="truth.yaml",
    show_default=True,
    help="Truth file (inside DIRECTORY) labelling the clips beside it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def evaluate_cmd(directory: Path, truth: str, as_json: bool) -> None:
    """How right the coach is: on labelled clips, or on a UI-PRMD-style directory.

    With a truth file in DIRECTORY (see docs/vision.md for its format) every clip beside it
    (video or .npz landmark recording) is analysed and compared with its labels: exact-count
    share, mean absolute error, within-one share, hold error, fault precision/recall and
    refusals. Without one, DIRECTORY must be laid out like UI-PRMD.

    Examples: glutecoach vision evaluate my-clips/
              glutecoach vision evaluate ../shared/data/ui-prmd
    """
    from glutecoach.vision.evaluate import evaluate
    from glutecoach.vision.reports import print_labelled, print_uiprmd
    from glutecoach.vision.uiprmd import list_repetitions

    if (directory / truth).is_file():
        from glutecoach.vision.labelled import evaluate_labelled

        with _user_errors():
            labelled = evaluate_labelled(directory, truth)
        if as_json:
            click.echo(labelled.model_dump_json(indent=2))
        else:
            print_labelled(Console(), labelled)
        return
    with _user_errors():
        total = len(list_repetitions(directory))
        with _progress(enabled=not as_json) as progress:
            task = progress.add_task("loading repetitions", total=total)
            report = evaluate(directory, progress=_advance(progress, task))
    if as_json:
        click.echo(report.model_dump_json(indent=2))
        return
    print_uiprmd(Console(), report)


def _advance(progress: Progress, task: Any) -> Callable[[int], None]:
    return lambda n: progress.advance(task, n)
