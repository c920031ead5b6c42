"""The hand-off exports read back with independent readers: csv + zipfile, icalendar (and
dateutil's rrule for the recurrence), fhir.resources (R4B models, the R4 resources' shapes)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar

from export_history import BEFORE_RED_FLAG, store_history
from glutecoach.core.models import CheckIn, Region
from glutecoach.export.registry import ExportRequest, writer_for, writers
from glutecoach.paths import database_url
from glutecoach.services import Coach
from glutecoach.store.db import Store, open_store

TODAY = BEFORE_RED_FLAG
NOW = dt.datetime(2026, 3, 8, 12, 0)
LB_PER_KG = 2.20462


def export(coach: Coach, fmt: str, **options: object) -> bytes:
    return writer_for(fmt).write(ExportRequest(coach, TODAY, NOW, options))


def read_zip(data: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        out = {}
        for name in archive.namelist():
            raw = archive.read(name)
            assert raw.startswith(b"\xef\xbb\xbf"), f"{name}: no byte-order mark for Excel"
            text = raw.decode("utf-8-sig")
            assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
            out[name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return out


def cli_home(store_person: str = "ana", until: dt.date | None = TODAY, units: str = "kg") -> None:
    """Fill the test's data folder (GLUTECOACH_HOME) for the CLI tests."""
    store = open_store(database_url())
    try:
        store_history(store, store_person, until, units)
    finally:
        store.close()


# --- registry and CLI ---------------------------------------------------------------------


def test_every_format_is_registered_and_offered_by_the_cli(run) -> None:
    assert set(writers()) >= {"json", "csv", "ics", "fhir", "pdf"}
    help_text = run("export", "--help").output
    for name in writers():
        assert name in help_text
    unknown = run("export", "--format", "xlsx")
    assert unknown.exit_code == 2 and "xlsx" in unknown.output


def test_a_new_format_is_one_file(tmp_path: Path, monkeypatch) -> None:
    from glutecoach.export import formats, registry

    (tmp_path / "txt_summary.py").write_text(
        "from glutecoach.export.registry import Writer\n"
        "WRITER = Writer(name='txt', suffix='.txt', binary=False, summary='plain text',\n"
        "                write=lambda request: request.coach.person.encode())\n"
    )
    monkeypatch.setattr(formats, "__path__", [*formats.__path__, str(tmp_path)])
    registry.writers.cache_clear()
    try:
        found = registry.writers()
        assert set(found) >= {"json", "csv", "ics", "fhir", "pdf", "txt"}
        assert found["txt"].write(ExportRequest(Coach(None, load(), "zed"), TODAY, NOW)) == b"zed"
    finally:
        registry.writers.cache_clear()


def test_binary_export_needs_a_file_and_never_overwrites(run, tmp_path: Path) -> None:
    cli_home()
    to_stdout = run("--person", "ana", "export", "--format", "csv")
    assert to_stdout.exit_code == 2 and "-o" in to_stdout.output
    target = tmp_path / "record.zip"
    target.write_text("keep me")
    again = run("--person", "ana", "export", "--format", "csv", "-o", str(target))
    assert again.exit_code == 2 and "already exists" in again.output
    assert target.read_text() == "keep me"
    assert not list(tmp_path.glob("*.partial"))
    no_folder = run(
        "--person", "ana", "export", "--format", "csv", "-o", str(tmp_path / "no" / "x.zip")
    )
    assert no_folder.exit_code == 2 and "create it first" in no_folder.output


def test_options_a_format_does_not_read_are_refused(run, tmp_path: Path) -> None:
    cli_home()
    out = tmp_path / "record.zip"
    csv_weeks = run("--person", "ana", "export", "--format", "csv", "--weeks", "3", "-o", str(out))
    assert csv_weeks.exit_code == 2 and "--weeks" in csv_weeks.output and not out.exists()
    json_paper = run("export", "--paper", "letter", "-o", str(tmp_path / "b.json"))
    assert json_paper.exit_code == 2 and "--paper" in json_paper.output
    assert not (tmp_path / "b.json").exists()


def test_export_before_screening_says_what_to_do(run, tmp_path: Path) -> None:
    result = run("export", "--format", "fhir", "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "glutecoach screen" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.json").exists()


def test_registry_json_is_the_backup_that_imports_back_unchanged(run, tmp_path, monkeypatch):
    cli_home()
    backup = tmp_path / "backup.json"
    assert run("export", "--format", "json", "-o", str(backup)).exit_code == 0
    store = open_store(database_url())
    try:
        from_registry = json.loads(
            writer_for("json").write(ExportRequest(Coach(store, load()), TODAY, NOW))
        )
    finally:
        store.close()
    assert from_registry["people"] == json.loads(backup.read_text())["people"]
    monkeypatch.setenv("GLUTECOACH_HOME", str(tmp_path / "other"))
    assert run("import", str(backup)).exit_code == 0
    again = tmp_path / "again.json"
    assert run("export", "-o", str(again)).exit_code == 0
    assert json.loads(again.read_text())["people"] == json.loads(backup.read_text())["people"]


def load():
    from glutecoach.catalog.loader import load_catalog

    return load_catalog()


# --- CSV ------------------------------------------------------------------------------------


def test_csv_zip_holds_the_whole_record_in_the_persons_units(store: Store) -> None:
    coach = store_history(store, "ana", TODAY, units="lb")
    history = coach.history()
    tables = read_zip(export(coach, "csv"))
    assert set(tables) == {
        "sessions.csv",
        "sets.csv",
        "checkins.csv",
        "decisions.csv",
        "desk_bouts.csv",
    }
    assert len(tables["sessions.csv"]) == len(history.sessions)
    all_sets = [s for session in history.sessions for s in session.sets]
    rows = tables["sets.csv"]
    assert len(rows) == len(all_sets) > 50
    for row, logged in zip(rows, all_sets, strict=True):
        assert row["exercise"] == logged.exercise_id and int(row["reps"]) == logged.reps
        assert float(row["load_lb"]) == pytest.approx(logged.load_kg * LB_PER_KG, abs=0.05)
        assert int(row["pain_0_10"]) == logged.pain and row["side"] == logged.side.value
    assert any(float(r["load_lb"]) > 0 for r in rows)
    assert [r["date"] for r in tables["checkins.csv"]] == [
        c.day.isoformat() for c in history.checkins
    ]
    decisions = tables["decisions.csv"]
    assert [r["decision"] for r in decisions] == [d.kind.value for d in history.decisions]
    assert all(r["reasons"] for r in decisions)
    numeric = ("reps", "hold_seconds", "load_lb", "rpe", "pain_0_10", "set", "session")
    for row in rows:  # what a spreadsheet does: ISO dates and plain numbers, or empty cells
        dt.date.fromisoformat(row["date"])
        for column in numeric:
            assert row[column] == "" or float(row[column]) >= 0, (column, row[column])
    bouts = tables["desk_bouts.csv"]
    assert [float(r["minutes"]) for r in bouts] == [35.0, 50.0]
    assert [r["ended_by"] for r in bouts] == ["idle", "lock"]


def test_csv_cells_never_run_as_spreadsheet_formulas(store: Store) -> None:
    coach = store_history(store, "ana", dt.date(2026, 1, 10))
    session_id = coach.open_session(TODAY)
    coach.finish_session(session_id, TODAY, notes='=HYPERLINK("http://x","click")')
    sessions = read_zip(export(coach, "csv"))["sessions.csv"]
    notes = [r["notes"] for r in sessions if r["notes"]]
    assert notes == ['\'=HYPERLINK("http://x","click")']


# --- iCalendar ----------------------------------------------------------------------------


def test_ics_has_recurring_sessions_with_an_alarm_and_the_exercises(run, tmp_path) -> None:
    cli_home()
    assert run("--person", "ana", "settings", "set", "session_days", "tue,thu,sat").exit_code == 0
    out = tmp_path / "plan.ics"
    result = run(
        "--person", "ana", "--today", TODAY.isoformat(), "export", "--format", "ics",
        "--weeks", "3", "--at", "7:30", "--alarm-minutes", "20", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75  # RFC 5545 folds long lines
    calendar = Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    store = open_store(database_url())
    try:
        plan = Coach(store, load(), "ana").plan(TODAY)
    finally:
        store.close()
    by_title = {s.title: s for s in plan.sessions}
    for event in events:
        title = str(event["SUMMARY"]).removeprefix("Glute program: ")
        session = by_title[title]
        start = event.decoded("DTSTART")
        assert start.time() == dt.time(7, 30) and start.date() >= TODAY
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        occurrences = list(rule)
        weekdays = {d.weekday() for d in occurrences}
        planned_days = {s.day.weekday() for s in plan.sessions if s.title == title}
        assert weekdays == planned_days
        assert occurrences[-1].date() < TODAY + dt.timedelta(weeks=3)
        assert len(occurrences) == 3 * len(planned_days)
        alarm = event.walk("VALARM")[0]
        assert alarm.decoded("TRIGGER") == -dt.timedelta(minutes=20)
        description = str(event["DESCRIPTION"])
        for p in session.prescriptions:
            assert load().exercise(p.exercise_id).name in description


def test_ics_refuses_a_paused_program_and_bad_times(run, tmp_path) -> None:
    cli_home(until=None)  # the example ends with a red flag: the program is paused
    out = tmp_path / "plan.ics"
    paused = run("--person", "ana", "export", "--format", "ics", "-o", str(out))
    assert paused.exit_code == 2 and "clinician" in paused.output and not out.exists()
    bad = run("--person", "ana", "export", "--format", "ics", "--at", "25:00", "-o", str(out))
    assert bad.exit_code == 2 and "--at" in bad.output and not out.exists()


# --- FHIR -----------------------------------------------------------------------------------


def fhir_bundle(coach: Coach) -> tuple[dict, Bundle]:
    document = json.loads(export(coach, "fhir"))
    validated = Bundle.model_validate(document)
    for entry in document["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return document, validated


def resources(document: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


def test_fhir_bundle_validates_and_every_reference_resolves(store: Store) -> None:
    coach = store_history(store, "ana", TODAY)
    document, validated = fhir_bundle(coach)
    assert validated.type == "collection"
    urls = {e["fullUrl"] for e in document["entry"]}
    assert len(urls) == len(document["entry"])  # bdl-7: every fullUrl is unique
    references = []

    def collect(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("reference"), str):
                references.append(value["reference"])
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(document)
    assert references and set(references) <= urls
    counts = Counter(e["resource"]["resourceType"] for e in document["entry"])
    assert counts["Patient"] == counts["CarePlan"] == counts["QuestionnaireResponse"] == 1


def test_fhir_two_check_ins_on_one_day_stay_two(store: Store) -> None:
    coach = store_history(store, "ana", dt.date(2026, 1, 12))
    for pain in (2, 4):
        coach.checkin(CheckIn(day=TODAY, pain={Region.HIP: pain}, morning=False), TODAY)
    document, _ = fhir_bundle(coach)
    urls = [e["fullUrl"] for e in document["entry"]]
    assert len(set(urls)) == len(urls)
    today_hip = [
        o["valueInteger"]
        for o in resources(document, "Observation")
        if o["effectiveDateTime"] == TODAY.isoformat()
        and o.get("bodySite", {}).get("text") == "Hip"
    ]
    assert sorted(today_hip) == [2, 4]


def test_fhir_patient_is_pseudonymous(store: Store) -> None:
    coach = store_history(store, "Ana Maria Example", TODAY)
    document, _ = fhir_bundle(coach)
    (patient,) = resources(document, "Patient")
    assert "name" not in patient and "birthDate" not in patient and "telecom" not in patient
    assert patient["meta"]["security"][0]["code"] == "PSEUDED"
    assert "Ana Maria" not in json.dumps(document)
    again, _ = fhir_bundle(coach)
    assert resources(again, "Patient")[0]["id"] != patient["id"]  # no link across exports


def test_fhir_plan_sessions_pain_and_screening_match_the_record(store: Store) -> None:
    coach = store_history(store, "ana", TODAY)
    history, plan = coach.history(), coach.plan(TODAY)
    document, _ = fhir_bundle(coach)
    (care_plan,) = resources(document, "CarePlan")
    requests = {f"urn:uuid:{r['id']}": r for r in resources(document, "ServiceRequest")}
    planned = {p.exercise_id for s in plan.sessions for p in s.prescriptions}
    assert {a["reference"]["reference"] for a in care_plan["activity"]} == set(requests)
    names = {r["code"]["text"] for r in requests.values()}
    assert names == {load().exercise(e).name for e in planned}
    assert care_plan["status"] == "active"

    pain = [
        o
        for o in resources(document, "Observation")
        if o["code"].get("coding", [{}])[0].get("code") == "72514-3"
    ]
    from_checkins = sorted(
        (c.day.isoformat(), region.value, score)
        for c in history.checkins
        for region, score in c.pain.items()
    )
    region_of = {"Low back": "low_back", "Hip": "hip", "Knee": "knee", "Ankle": "ankle"}
    exported = sorted(
        (o["effectiveDateTime"], region_of[o["bodySite"]["text"]], o["valueInteger"])
        for o in pain
        if "bodySite" in o
    )
    assert exported == from_checkins
    during = sorted((o["effectiveDateTime"], o["valueInteger"]) for o in pain if "partOf" in o)
    assert during == sorted(
        (s.performed_on.isoformat(), max(x.pain for x in s.sets))
        for s in history.sessions
        if s.sets
    )
    assert all(0 <= o["valueInteger"] <= 10 for o in pain)

    procedures = resources(document, "Procedure")
    assert sorted(p["performedDateTime"] for p in procedures) == sorted(
        s.performed_on.isoformat() for s in history.sessions
    )
    assert all(p["status"] == "completed" for p in procedures)

    (response,) = resources(document, "QuestionnaireResponse")
    items = {i["linkId"]: i for i in response["item"]}
    flags = {i["linkId"]: i["answer"][0]["valueBoolean"] for i in items["red_flags"]["item"]}
    assert flags == {f"red_flag.{k}": v for k, v in history.screening.red_flags.items()}
    for region, pain_now in history.screening.pain.items():
        assert items[f"pain.{region.value}"]["answer"][0]["valueInteger"] == pain_now.score
    assert Region.LOW_BACK in history.screening.pain


def test_fhir_care_plan_is_on_hold_after_a_red_flag(store: Store) -> None:
    coach = store_history(store, "ana")
    document, _ = fhir_bundle(coach)
    (care_plan,) = resources(document, "CarePlan")
    assert care_plan["status"] == "on-hold" and "clinician" in care_plan["description"]
    flagged = [c for c in coach.history().checkins if c.red_flags]
    assert flagged  # the example's red flag


def test_the_record_matches_what_the_services_show(store: Store) -> None:
    """gather() reads the history once and computes plan and progress from it: the same
    values the services give the CLI and the web app."""
    from glutecoach.export.record import gather

    coach = store_history(store, "ana", TODAY)
    record = gather(coach, TODAY)
    assert record.plan == coach.plan(TODAY)
    assert record.progress == coach.progress(TODAY)
    assert record.state == coach.state()
    assert len(record.desk_bouts) == 2


@pytest.mark.parametrize("fmt", ["csv", "ics", "fhir", "pdf", "json"])
def test_every_format_works_right_after_the_screening(store: Store, fmt: str) -> None:
    """No sessions, check-ins or desk data yet: each writer still gives a readable file."""
    from builders import answers

    coach = Coach(store, load(), "new")
    coach.screen(answers(), TODAY)
    data = writer_for(fmt).write(ExportRequest(coach, TODAY, NOW, {}))
    if fmt == "csv":
        tables = read_zip(data)
        assert tables["sessions.csv"] == [] and tables["desk_bouts.csv"] == []
    elif fmt == "ics":
        assert len(Calendar.from_ical(data).walk("VEVENT")) >= 1
    elif fmt == "fhir":
        document = json.loads(data)
        Bundle.model_validate(document)
        assert resources(document, "Procedure") == []
    elif fmt == "pdf":
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    else:
        assert json.loads(data)["people"][0]["name"] == "new"
