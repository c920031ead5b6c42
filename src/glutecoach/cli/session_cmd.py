"""`glutecoach session`: today's session, guided in the terminal with cues and timers.

Every set is committed to the database as soon as it is entered, so Ctrl-C, a closed terminal
or a crash loses nothing; running the command again the same day resumes where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import click
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from glutecoach.cli.context import AppContext, json_option, pass_app, print_json
from glutecoach.core.models import (
    CheckIn,
    Decision,
    DecisionKind,
    FeltIn,
    FormSummary,
    PlannedSession,
    Prescription,
    ScreeningOutcome,
    SetLog,
    Side,
)
from glutecoach.errors import InputError
from glutecoach.presentation import (
    decision_title,
    describe_dose,
    load_in_kg,
    load_value,
    loads_in_units,
    max_load,
    side_label,
)

FELT_KEYS = {"g": FeltIn.GLUTES, "h": FeltIn.HAMSTRINGS, "b": FeltIn.LOWER_BACK, "o": FeltIn.OTHER}
GET_READY_SECONDS = 5


@dataclass
class Pacer:
    """Countdowns drawn as progress bars; ``speed`` > 1 runs them faster (demos, tests)."""

    app: AppContext
    speed: float = 1.0
    enabled: bool = True
    sleep: Callable[[float], None] = time.sleep
    camera: str | None = None

    def countdown(self, label: str, seconds: float) -> None:
        if not self.enabled or seconds <= 0:
            return
        step = 0.1
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeRemainingColumn(),
            console=self.app.console,
            transient=True,
        ) as progress:
            task = progress.add_task(label, total=seconds)
            elapsed = 0.0
            while elapsed < seconds:
                self.sleep(step / self.speed)
                elapsed += step
                progress.update(task, completed=min(elapsed, seconds))
        self.app.console.print(f"  {label}: done")


def parse_tempo(tempo: str) -> tuple[float, float, float] | None:
    """'2-3-2' -> (up, hold, down) seconds; None for 'hold' or an unreadable tempo."""
    parts = tempo.split("-")
    if len(parts) != 3:
        return None
    try:
        up, hold, down = (float(p) for p in parts)
    except ValueError:
        return None
    return up, hold, down


@click.command()
@click.option(
    "--speed",
    type=click.FloatRange(min=0.1),
    default=1.0,
    show_default=True,
    help="Run every timer this many times faster (a quick walk-through).",
)
@click.option("--no-timers", is_flag=True, help="Skip countdowns; just log the sets.")
@click.option(
    "--pace-reps/--no-pace-reps",
    default=False,
    show_default=True,
    help="Pace every rep (lift, hold, lower) with a timer.",
)
@click.option(
    "--camera",
    metavar="SOURCE",
    default=None,
    help="Count reps and time holds with the camera form coach (needs "
    "glutecoach[vision]): a webcam index such as 0, or a video or landmark file.",
)
@json_option
@pass_app
def session(
    app: AppContext,
    speed: float,
    no_timers: bool,
    pace_reps: bool,
    camera: str | None,
    as_json: bool,
) -> None:
    """Do today's session, guided: cues, get-ready and hold countdowns, rest timers, per side.

    After each set it asks what you did: reps, load, effort (RPE 0-10), where you felt it
    (glutes / hamstrings / lower back / other) and pain (0-10). Stop any time with Ctrl-C:
    the sets you logged are kept and the next run resumes.

    \b
    Examples:
      glutecoach session
      glutecoach session --speed 10      # timers ten times faster
    """
    coach = app.coach
    why = "" if coach.state().stopped else coach.red_flags_why(app.today)
    if why and not weekly_red_flag_check(app, why):
        raise SystemExit(STOP_EXIT_STATUS)
    planned = coach.todays_session(app.today)
    if planned is None:
        plan = coach.plan(app.today)
        app.console.print(
            Panel(
                "\n".join(
                    loads_in_units(n, str(app.coach.settings()["units"])) for n in plan.notes
                ),
                title="No session today",
                border_style="yellow",
            )
        )
        if coach.state().stopped:
            raise SystemExit(STOP_EXIT_STATUS)
        return
    session_id = coach.open_session(app.today)
    done = {(s.exercise_id, s.side, s.set_index) for s in coach.logged_sets(session_id)}
    if done:
        app.console.print(f"Resuming today's session: {len(done)} sets already logged.")
    pacer = Pacer(app, speed=speed, enabled=not no_timers, camera=camera)
    run_session(app, planned, session_id, done, pacer, pace_reps)
    decision = coach.finish_session(session_id, app.today)
    if as_json:
        print_json(decision)
    else:
        show_decision(app, decision)
    exit_if_stopped(decision)


def weekly_red_flag_check(
    app: AppContext, why: str = "it has been a week: the safety questions again before you train"
) -> bool:
    """Re-ask the red-flag questions when due; False when the answers stop the program."""
    from glutecoach.cli.screen_cmd import ask_red_flags

    app.console.print(f"{why[0].upper()}{why[1:]}.")
    flags = ask_red_flags(app.catalog)
    decision = app.coach.checkin(CheckIn(day=app.today, red_flags=flags), app.today)
    if decision.kind is DecisionKind.STOP_AND_REFER:
        show_decision(app, decision)
        return False
    return True


def run_session(
    app: AppContext,
    planned: PlannedSession,
    session_id: int,
    done: set[tuple[str, Side, int]],
    pacer: Pacer,
    pace_reps: bool,
) -> None:
    app.console.print(Panel(f"{planned.title} - {planned.day:%A %d %B}", border_style="cyan"))
    for prescription in planned.prescriptions:
        remaining = [
            i
            for i in range(1, prescription.sets + 1)
            if (prescription.exercise_id, prescription.side, i) not in done
        ]
        if not remaining:
            continue
        show_exercise(app, prescription)
        for set_index in remaining:
            log = guide_set(app, prescription, set_index, pacer, pace_reps)
            app.coach.log_set(session_id, log)
            if log.pain > app.catalog.rules.pain_model.params.during_acceptable_max:
                app.console.print(
                    "[bold red]Pain above 5/10 is the high-risk zone: stop this exercise for "
                    "today.[/] Your answer is logged and the plan will ease off."
                )
                break
            if set_index < prescription.sets:
                pacer.countdown("Rest", prescription.rest_seconds)


def show_exercise(app: AppContext, prescription: Prescription) -> None:
    exercise = app.catalog.exercise(prescription.exercise_id)
    side = f" - {side_label(prescription.side)}" if side_label(prescription.side) else ""
    dose = describe_dose(prescription, str(app.coach.settings()["units"]))
    cues = "\n".join(f"  - {cue}" for cue in exercise.cues)
    app.console.print(
        Panel(
            f"{exercise.setup}\n\n[bold]Cues[/]\n{cues}\n\n[bold]Dose[/] {dose}",
            title=f"{exercise.name}{side}",
            border_style="green",
        )
    )


def guide_set(
    app: AppContext, p: Prescription, set_index: int, pacer: Pacer, pace_reps: bool
) -> SetLog:
    app.console.print(f"\n[bold]Set {set_index} of {p.sets}[/]")
    pacer.countdown("Get ready", GET_READY_SECONDS)
    if pacer.camera is not None:
        # The camera watched the whole set; when it could not score it, ask by hand.
        return ask_set_result(app, p, set_index, measure_with_camera(app, p, pacer.camera))
    if p.reps is None:
        pacer.countdown("Hold", p.hold_seconds or 0)
    elif pace_reps and (tempo := parse_tempo(p.tempo)):
        up, hold, down = tempo
        for rep in range(1, p.reps + 1):
            pacer.countdown(f"Rep {rep}: lift", up)
            pacer.countdown(f"Rep {rep}: hold", max(hold, p.hold_seconds or 0))
            pacer.countdown(f"Rep {rep}: lower", down)
    else:
        click.prompt(
            f"Do {p.reps} reps, then press Enter", default="", show_default=False, prompt_suffix=" "
        )
    return ask_set_result(app, p, set_index)


def set_seconds(p: Prescription) -> float:
    """How long the camera watches one set: the reps at their tempo, or the hold, plus slack."""
    if p.reps is None:
        return (p.hold_seconds or 30) + 10.0
    tempo = parse_tempo(p.tempo) or (2.0, 1.0, 2.0)
    per_rep = tempo[0] + max(tempo[1], p.hold_seconds or 0) + tempo[2]
    return p.reps * per_rep * 1.5 + 10.0


def measure_with_camera(app: AppContext, p: Prescription, camera: str) -> FormSummary | None:
    """Reps, holds and faults of one set from the camera; None when it cannot score this set."""
    try:
        from glutecoach.vision.errors import UnknownExerciseError, ViewProblem, VisionError
        from glutecoach.vision.summary import measure_set
    except ImportError:
        raise InputError(
            "--camera needs the camera extra: pip install 'glutecoach[vision]'"
        ) from None
    source: int | str = int(camera) if camera.isdigit() else camera
    side = None if p.side is Side.BOTH else p.side.value
    seconds = set_seconds(p)
    app.console.print(f"  Camera on for up to {seconds:.0f} s: do the set in view.")
    try:
        baseline = app.coach.camera_baseline(p.exercise_id)
        _reps, form = measure_set(
            p.exercise_id, source, side=side, max_seconds=seconds, baseline=baseline
        )
    except UnknownExerciseError:
        app.console.print("  No camera analysis for this exercise yet: enter the set by hand.")
        return None
    except ViewProblem as exc:
        app.console.print(f"  [yellow]Camera:[/] {exc} Enter this set by hand.")
        return None
    except VisionError as exc:
        raise InputError(f"--camera {camera}: {exc}") from None
    faults = ", ".join(f"{name} x{count}" for name, count in form.faults.items()) or "none"
    hold = f", mean hold {form.mean_hold_seconds:.1f} s" if form.mean_hold_seconds else ""
    counted = (
        f"{form.reps_observed} reps{hold}"
        if p.reps
        else f"held {form.mean_hold_seconds or 0:.0f} s"
    )
    app.console.print(
        f"  Camera: {counted}; {form.good_form_share:.0%} with good form; faults: {faults}"
    )
    return form


def ask_set_result(
    app: AppContext, p: Prescription, set_index: int, form: FormSummary | None = None
) -> SetLog:
    reps = 0
    if p.reps is not None:
        counted = form.reps_observed if form is not None else p.reps
        reps = click.prompt("  Reps done", type=click.IntRange(0, 200), default=counted)
    load = p.load_kg
    if p.load_kg:
        units = str(app.coach.settings()["units"])
        typed = click.prompt(
            f"  Load ({units})",
            type=click.FloatRange(0, max_load(units)),
            default=load_value(p.load_kg, units),
        )
        load = p.load_kg if typed == load_value(p.load_kg, units) else load_in_kg(typed, units)
    rpe = click.prompt("  Effort, RPE 0-10", type=click.FloatRange(0, 10), default=6.0)
    felt = click.prompt(
        "  Felt it mostly in: g=glutes h=hamstrings b=lower back o=other",
        type=click.Choice(sorted(FELT_KEYS)),
        default="g",
    )
    pain = click.prompt("  Pain during, 0-10", type=click.IntRange(0, 10), default=0)
    return SetLog(
        exercise_id=p.exercise_id,
        side=p.side,
        set_index=set_index,
        reps=reps,
        hold_seconds=measured_hold(p, form),
        load_kg=load,
        rpe=rpe,
        felt_in=(FELT_KEYS[felt],),
        felt_main=FELT_KEYS[felt],
        pain=pain,
        form=form,
    )


def measured_hold(p: Prescription, form: FormSummary | None) -> float | None:
    if form is not None and form.mean_hold_seconds is not None:
        return round(form.mean_hold_seconds, 1)
    return p.hold_seconds


KIND_STYLE = {
    DecisionKind.ADVANCE: "green",
    DecisionKind.HOLD: "cyan",
    DecisionKind.REGRESS: "yellow",
    DecisionKind.STOP_AND_REFER: "bold red",
}
STOP_EXIT_STATUS = 3


def show_decision(app: AppContext, decision: Decision) -> None:
    title, style = decision_title(decision), KIND_STYLE[decision.kind]
    if decision.refer is ScreeningOutcome.REFER_EMERGENCY:  # a plain terminal may show no colour
        title = title.upper()
    units = str(app.coach.settings()["units"])

    def shown(text: str) -> str:
        return loads_in_units(text, units)

    lines = [f"- {shown(r.text)}" for r in decision.reasons]
    lines += [f"  {c.slot}: {shown(c.before)} -> {shown(c.after)}" for c in decision.changes]
    app.console.print(Panel("\n".join(lines) or "No change.", title=title, border_style=style))


def exit_if_stopped(decision: Decision) -> None:
    """A stop-and-refer ends the command with status 3, as the screening does."""
    if decision.kind is DecisionKind.STOP_AND_REFER:
        raise SystemExit(STOP_EXIT_STATUS)
