"""``export --format ics``: the coming weeks' sessions as calendar events (RFC 5545).

One recurring event for the strength sessions (on the person's session days) and one for the
daily routine on the other days, each with a reminder alarm and the session's exercises and
doses in its description. Times are floating local times, so a calendar shows them at the same
clock time wherever the person is. Doses are today's: the coach changes them as the person
progresses, which the description says.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from glutecoach.core.models import PlannedSession
from glutecoach.errors import InputError
from glutecoach.export.record import PersonRecord, gather
from glutecoach.export.wording import dose_text, has_tempo, pain_rules, sides_text
from glutecoach.export.writer import ExportRequest, Writer

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DEFAULTS: dict[str, Any] = {"weeks": 4, "at": "18:00", "alarm_minutes": 15}
UID_NAMESPACE = uuid.UUID("5b3c7f0e-2d6a-4a7e-9a51-6f1f3c1b7e15")


def session_minutes(session: PlannedSession) -> int:
    """A generous estimate of the session's length, rounded up to 5 minutes (at least 10)."""
    seconds = 0
    for p in session.prescriptions:
        tempo = sum(int(t) for t in p.tempo.split("-") if t.isdigit()) or 4
        per_set = p.reps * tempo if p.reps else (p.hold_seconds or 0)  # tempo holds the hold
        seconds += p.sets * (per_set + p.rest_seconds)
    minutes = -(-seconds // 60) + 5  # plus time to set up
    return max(10, -(-minutes // 5) * 5)


def description(session: PlannedSession, record: PersonRecord) -> str:
    catalog = record.catalog
    lines = [f"{session.title} ({record.plan.phase.name.replace('_', ' ').lower()}):", ""]
    seen: dict[str, list[Any]] = {}
    for p in session.prescriptions:
        seen.setdefault(p.exercise_id, []).append(p)
    for exercise_id, prescriptions in seen.items():
        first = prescriptions[0]
        name = catalog.exercise(exercise_id).name
        sides = sides_text([p.side for p in prescriptions])
        tempo = f", tempo {first.tempo}" if has_tempo(first.tempo) else ""
        lines.append(f"- {name}: {dose_text(first, record.units)}{tempo}, {sides}")
    lines += [
        "",
        pain_rules(catalog)[1],
        f"Doses as of {record.today.isoformat()}: glutecoach adjusts them as you progress, so "
        "open it before each session for today's exact plan.",
    ]
    return "\n".join(lines)


def first_day_on(days: list[int], start: dt.date) -> dt.date:
    return next(
        start + dt.timedelta(n) for n in range(7) if (start + dt.timedelta(n)).weekday() in days
    )


def event(
    session: PlannedSession, days: list[int], record: PersonRecord, options: dict[str, Any]
) -> Any:
    from icalendar import Alarm, Event

    at: dt.time = options["at"]
    first = first_day_on(days, record.today)
    end = record.today + dt.timedelta(weeks=options["weeks"])
    count = sum(1 for n in range((end - first).days) if (first + dt.timedelta(n)).weekday() in days)
    start = dt.datetime.combine(first, at)
    ev = Event()
    ev.add("uid", f"{uuid.uuid5(UID_NAMESPACE, f'{record.person}:{session.title}:{first}')}")
    ev.add("summary", f"Glute program: {session.title}")
    ev.add("dtstart", start)
    ev.add("duration", dt.timedelta(minutes=session_minutes(session)))
    ev.add("rrule", {"freq": "weekly", "byday": [ICAL_DAYS[d] for d in days], "count": count})
    ev.add("description", description(session, record))
    ev.add("categories", ["Exercise"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{session.title} in {options['alarm_minutes']} minutes")
    alarm.add("trigger", dt.timedelta(minutes=-options["alarm_minutes"]))
    ev.add_component(alarm)
    return ev


def clock_time(text: str) -> dt.time:
    """``7:30`` or ``07:30`` (24-hour clock) as a time; anything else is a clear error."""
    hours, _, minutes = text.strip().partition(":")
    digits = hours.isdigit() and minutes.isdigit() and len(minutes) == 2
    if digits and int(hours) <= 23 and int(minutes) <= 59:
        return dt.time(int(hours), int(minutes))
    raise InputError(f"--at: expected a 24-hour time like 18:00 or 7:30, got {text!r}")


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    merged = {**DEFAULTS, **{k: v for k, v in options.items() if v is not None}}
    if not 1 <= int(merged["weeks"]) <= 52:
        raise InputError(f"--weeks: expected 1 to 52 weeks, got {merged['weeks']}")
    merged["at"] = clock_time(str(merged["at"]))
    if not 0 <= int(merged["alarm_minutes"]) <= 24 * 60:
        raise InputError("--alarm-minutes: expected 0 to 1440 minutes before the session")
    return merged


def write_ics(request: ExportRequest) -> bytes:
    from icalendar import Calendar

    options = check_options(dict(request.options))
    record = gather(request.coach, request.today)
    if record.state.stopped or not record.plan.sessions:
        raise InputError(
            "your program is paused after a red flag, so there are no sessions to put in a "
            "calendar (nothing was written). See a clinician; once they clear you, run "
            "`glutecoach resume --cleared-by-clinician`."
        )
    calendar = Calendar()
    calendar.add("prodid", "-//glutecoach//hand-off export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Glute program")
    full, daily = record.full_session, record.daily_session
    session_days = sorted(record.session_days)
    if full is not None:
        calendar.add_component(event(full, session_days, record, options))
    other_days = [d for d in range(7) if d not in session_days]
    if daily is not None and other_days:
        calendar.add_component(event(daily, other_days, record, options))
    for component in calendar.walk("VEVENT"):
        component.add("dtstamp", request.now.replace(tzinfo=dt.UTC))
    return bytes(calendar.to_ical())


WRITER = Writer(
    name="ics",
    suffix=".ics",
    binary=False,
    summary="the coming weeks' sessions as recurring calendar events with a reminder",
    write=write_ics,
    options=("weeks", "at", "alarm_minutes"),
    needs=("icalendar",),
)
