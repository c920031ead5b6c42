"""``export --format csv``: sessions, sets, check-ins, decisions and desk bouts as CSV files in
one zip, made to open cleanly in a spreadsheet (in clinic mode also the overrides, clinicians'
notes, form-review results and record views: export/clinic_parts.py).

Each file is UTF-8 with a byte-order mark (so Excel reads accents right), comma-separated with
CRLF line ends and a header row; dates are ISO (2026-01-31), numbers use a dot, loads are in the
person's units (the column name says which). Text a person typed that starts with ``=``, ``+``,
``-`` or ``@`` is prefixed with ``'`` so a spreadsheet shows it instead of running it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from glutecoach.core.models import Region
from glutecoach.export import clinic_parts
from glutecoach.export.record import PersonRecord, gather
from glutecoach.export.wording import load_value
from glutecoach.export.writer import ExportRequest, Writer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same record gives the same zip


def safe_text(value: str) -> str:
    """Text that a spreadsheet will show, never evaluate as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return safe_text(value)
    return value


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def session_rows(record: PersonRecord) -> list[list[Any]]:
    return [
        [n, s.performed_on.isoformat(), int(s.phase), s.completed, len(s.sets), s.notes]
        for n, s in enumerate(record.history.sessions, start=1)
    ]


def set_rows(record: PersonRecord) -> list[list[Any]]:
    rows = []
    for n, session in enumerate(record.history.sessions, start=1):
        for s in session.sets:
            form = s.form
            rows.append(
                [
                    n,
                    session.performed_on.isoformat(),
                    s.exercise_id,
                    s.side.value,
                    s.set_index,
                    s.reps,
                    s.hold_seconds,
                    load_value(s.load_kg, record.units),
                    s.rpe,
                    " ".join(f.value for f in s.felt_in),
                    s.pain,
                    round(form.good_form_share, 3) if form else None,
                ]
            )
    return rows


def checkin_rows(record: PersonRecord) -> list[list[Any]]:
    return [
        [
            c.day.isoformat(),
            "morning" if c.morning else "evening",
            *(c.pain.get(region) for region in Region),
            c.stiffness,
            " ".join(sorted(k for k, v in c.red_flags.items() if v)),
        ]
        for c in record.history.checkins
    ]


def decision_rows(record: PersonRecord) -> list[list[Any]]:
    return [
        [
            d.day.isoformat(),
            d.kind.value,
            int(d.state.phase),
            "; ".join(f"{c.slot}: {c.before} -> {c.after}" for c in d.changes),
            " | ".join(r.text for r in d.reasons),
            " ".join(r.rule for r in d.reasons),
        ]
        for d in record.history.decisions
    ]


def bout_rows(record: PersonRecord) -> list[list[Any]]:
    return [
        [
            b.start.isoformat(timespec="seconds"),
            b.end.isoformat(timespec="seconds"),
            round(b.seconds / 60, 1),
            b.cause,
            b.reminders,
        ]
        for b in record.desk_bouts
    ]


def files(record: PersonRecord) -> dict[str, bytes]:
    """The CSV files of the zip, by name."""
    load = f"load_{record.units}"
    return {
        "sessions.csv": table(
            ["session", "date", "phase", "completed", "sets", "notes"], session_rows(record)
        ),
        "sets.csv": table(
            [
                "session",
                "date",
                "exercise",
                "side",
                "set",
                "reps",
                "hold_seconds",
                load,
                "rpe",
                "felt_in",
                "pain_0_10",
                "good_form_share",
            ],
            set_rows(record),
        ),
        "checkins.csv": table(
            [
                "date",
                "time_of_day",
                *(f"pain_{r.value}_0_10" for r in Region),
                "stiffness_0_10",
                "red_flags_yes",
            ],
            checkin_rows(record),
        ),
        "decisions.csv": table(
            ["date", "decision", "phase", "changes", "reasons", "rules"], decision_rows(record)
        ),
        "desk_bouts.csv": table(
            ["start_utc", "end_utc", "minutes", "ended_by", "reminders"], bout_rows(record)
        ),
        **{
            name: table(header, rows)
            for name, (header, rows) in clinic_parts.csv_tables(record.clinic).items()
        },
    }


def write_csv_zip(request: ExportRequest) -> bytes:
    record = gather(request.coach, request.today)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files(record).items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


WRITER = Writer(
    name="csv",
    suffix=".zip",
    binary=True,
    summary="sessions, sets, check-ins, decisions and desk bouts as CSV files in a zip",
    write=write_csv_zip,
)
