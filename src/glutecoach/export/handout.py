"""The clinician handout: the plan, the safety rules and the progress, as a PDF (fpdf2).

Page 1: who and where (phase, session days), the pain rules in plain words and the red flags
that mean stop. Then one block per exercise: its picture (the web app's stick figure), dose,
tempo, rest, sides, set-up, cues and common faults. Last, the progress page: phase, adherence,
the pain trend chart, current loads and the recent decisions with their reasons.
"""

from __future__ import annotations

from typing import Any

from glutecoach.core.models import Prescription, ProgramState, Side
from glutecoach.export import pdf_kit as kit
from glutecoach.export.plots import pain_chart_png
from glutecoach.export.record import PersonRecord
from glutecoach.export.wording import (
    DECISION_WORDS,
    EMERGENCY_ADVICE,
    PHASE_NAMES,
    SOON_ADVICE,
    days_text,
    dose_text,
    has_tempo,
    loads_in_units,
    pain_rules,
    red_flags,
    show_load,
    sides_text,
    tempo_text,
)

FIGURE_WIDTH = 50.0
RECENT_DECISIONS = 6
RECENT_WEEKS = 6


def exercises_in_plan(record: PersonRecord) -> list[tuple[str, list[Prescription], list[str]]]:
    """(exercise id, its prescriptions per side, the session titles it is in), in plan order."""
    found: dict[str, tuple[list[Prescription], list[str]]] = {}
    for session in (record.full_session, record.daily_session):
        if session is None:
            continue
        for p in session.prescriptions:
            prescriptions, titles = found.setdefault(p.exercise_id, ([], []))
            if p.side not in {q.side for q in prescriptions}:
                prescriptions.append(p)
            if session.title not in titles:
                titles.append(session.title)
    return [(k, v[0], v[1]) for k, v in found.items()]


def first_page(pdf: Any, record: PersonRecord, name: str | None) -> None:
    pdf.add_page()
    kit.heading(pdf, "Your glute program", size=20)
    who = f"For {name}. " if name else ""
    kit.paragraph(
        pdf,
        f"{who}Made on {record.today.isoformat()} by glutecoach, a self-guided coach for "
        "gluteal amnesia. It does not diagnose: take this to your physiotherapist or GP.",
    )
    state = record.state
    kit.label_value(
        pdf, "Phase", f"{PHASE_NAMES[state.phase]} (since {state.phase_started.isoformat()})"
    )
    kit.label_value(pdf, "Strength sessions", days_text(record.session_days))
    if record.daily_session is not None:
        kit.label_value(pdf, "Other days", record.daily_session.title.lower())
    if state.stopped:
        pdf.ln(2)
        kit.heading(
            pdf,
            "Your program is paused after a red flag: see a clinician before you exercise "
            "again. Once they clear you, record it with `glutecoach resume "
            "--cleared-by-clinician`.",
            size=12,
            color=kit.STOP_RED,
        )
    pdf.ln(2)
    kit.heading(pdf, "Pain rules", size=13)
    kit.bullets(pdf, pain_rules(record.catalog))
    emergency, soon = red_flags(record.catalog)
    kit.heading(pdf, "Red flags: stop", size=13, color=kit.STOP_RED)
    kit.paragraph(pdf, EMERGENCY_ADVICE, bold=True)
    kit.bullets(pdf, [f.question for f in emergency], size=9.5)
    kit.paragraph(pdf, SOON_ADVICE, bold=True)
    kit.bullets(pdf, [f.question for f in soon], size=9.5)


def exercise_block(
    pdf: Any,
    record: PersonRecord,
    exercise_id: str,
    prescriptions: list[Prescription],
    titles: list[str],
) -> None:
    exercise = record.catalog.exercise(exercise_id)
    first = prescriptions[0]
    top = pdf.get_y()
    left = pdf.l_margin
    figure_height = kit.stick_figure(pdf, exercise_id, left, top, FIGURE_WIDTH)
    text_x = left + FIGURE_WIDTH + 5
    pdf.set_left_margin(text_x)
    pdf.set_xy(text_x, top)
    kit.heading(pdf, exercise.name, size=12)
    kit.label_value(pdf, "Dose", dose_text(first, record.units), size=9.5)
    if has_tempo(first.tempo):
        kit.label_value(pdf, "Tempo", f"{first.tempo} ({tempo_text(first.tempo)})", size=9.5)
    kit.label_value(pdf, "Rest", f"{first.rest_seconds} s between sets", size=9.5)
    sides = [p.side for p in prescriptions]
    kit.label_value(pdf, "Sides", sides_text(sides), size=9.5)
    kit.label_value(pdf, "In", ", ".join(titles), size=9.5)
    pdf.set_left_margin(left)
    pdf.set_y(max(pdf.get_y(), top + figure_height + 2))
    kit.label_value(pdf, "Set-up", exercise.setup, size=9.5)
    kit.paragraph(pdf, "Cues", size=9.5, bold=True)
    kit.bullets(pdf, list(exercise.cues), size=9.5)
    faults = list(exercise.faults)
    if Side.BOTH not in sides:
        faults.append("One side much weaker or more painful than the other: note which side.")
    kit.paragraph(pdf, "Common faults", size=9.5, bold=True)
    kit.bullets(pdf, faults, size=9.5)
    pdf.ln(3)


def exercise_pages(pdf: Any, record: PersonRecord) -> None:
    pdf.add_page()
    kit.heading(pdf, "Your exercises", size=16)
    for exercise_id, prescriptions, titles in exercises_in_plan(record):
        with pdf.offset_rendering() as trial:
            exercise_block(trial, record, exercise_id, prescriptions, titles)
        if trial.page_break_triggered:
            pdf.add_page()
        exercise_block(pdf, record, exercise_id, prescriptions, titles)


def adherence_rows(record: PersonRecord) -> list[list[str]]:
    weeks = record.progress.adherence[-RECENT_WEEKS:]
    return [[w.week_start.isoformat(), str(w.planned), f"{w.done:g}"] for w in weeks]


def load_rows(record: PersonRecord) -> list[list[str]]:
    rows = []
    for e in record.state.exercises:
        amount = f"{e.sets} × {e.reps} reps" if e.reps else f"{e.sets} × {e.hold_seconds} s"
        load = show_load(e.load_kg, record.units) if e.load_kg else "body weight"
        rows.append([record.catalog.exercise(e.exercise_id).name, amount, load])
    return rows


def dose_after(record: PersonRecord, state: ProgramState, slot: str) -> str:
    """A slot's dose after a decision, in the person's units."""
    e = state.slot(slot)
    if e is None:
        return f"{slot}: removed"
    amount = f"{e.sets} × {e.reps}" if e.reps else f"{e.sets} × {e.hold_seconds} s"
    load = f" at {show_load(e.load_kg, record.units)}" if e.load_kg else ""
    return f"{record.catalog.exercise(e.exercise_id).name}: {amount}{load}"


def decision_rows(record: PersonRecord) -> list[list[str]]:
    rows = []
    for d in record.history.decisions[-RECENT_DECISIONS:][::-1]:
        slots = dict.fromkeys(c.slot for c in d.changes)
        changes = "; ".join(dose_after(record, d.state, slot) for slot in slots)
        reasons = " ".join(loads_in_units(r.text, record.units) for r in d.reasons)
        rows.append([d.day.isoformat(), DECISION_WORDS[d.kind], changes or "-", reasons])
    return rows


def progress_page(pdf: Any, record: PersonRecord) -> None:
    pdf.add_page()
    progress = record.progress
    kit.heading(pdf, "Progress", size=16)
    kit.label_value(
        pdf, "Phase", f"{PHASE_NAMES[progress.phase]} since {progress.phase_started.isoformat()}"
    )
    share = progress.adherence_share
    done = f"{progress.sessions_done} whole sessions done"
    kit.label_value(
        pdf,
        "Adherence",
        f"{share:.0%} of planned sessions (by sets done), {done}" if share is not None else done,
    )
    if progress.adherence:
        kit.table(
            pdf, ["week of", "planned", "done (by sets)"], adherence_rows(record), [2, 1, 1], 90
        )
    kit.heading(pdf, "Pain trend", size=12)
    if progress.pain:
        width = pdf.epw
        stop_above = record.catalog.rules.pain_model.params.during_acceptable_max
        chart = pain_chart_png(progress, stop_above)
        pdf.image(chart, x=pdf.l_margin, w=width, h=width * 2.6 / 7.0)
    trend = [
        f"{region.value.replace('_', ' ')}: {change:+.1f} points (last 14 days vs the 14 before)"
        for region, change in progress.pain_trend.items()
    ]
    kit.bullets(pdf, trend or ["Not enough check-ins yet for a 14-day trend."], size=9.5)
    kit.heading(pdf, "Current doses and loads", size=12)
    kit.table(pdf, ["exercise", "dose", "load"], load_rows(record), [2, 1, 1])
    kit.heading(pdf, "Recent decisions and their reasons", size=12)
    rows = decision_rows(record)
    if rows:
        kit.table(pdf, ["day", "decision", "changes (new dose)", "reasons"], rows, [2, 2, 4, 8])
    else:
        kit.paragraph(pdf, "No decisions yet.")


def handout_pdf(record: PersonRecord, paper: str = "a4", name: str | None = None) -> bytes:
    """The whole handout as PDF bytes."""
    pdf = kit.new_document(paper, "Glute program handout")
    first_page(pdf, record, name)
    if record.plan.sessions:
        exercise_pages(pdf, record)
    progress_page(pdf, record)
    return bytes(pdf.output())
