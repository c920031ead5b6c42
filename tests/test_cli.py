"""The command line end to end: happy paths, guided session, bad input, help everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from builders import answers
from glutecoach.cli import cli

REPO = Path(__file__).parent.parent


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers().model_dump(mode="json")))
    return path


@pytest.fixture
def screened(run, answers_file: Path) -> None:
    result = run("--today", "2026-01-05", "screen", "--answers", str(answers_file))
    assert result.exit_code == 0, result.output


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*prefix, name))


def test_every_command_has_help(run) -> None:
    paths = list(_all_commands(cli))
    assert {("screen",), ("session",), ("simulate",), ("catalog", "show")} <= set(paths)
    for path in paths:
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Usage:" in result.output


def test_screen_from_answers_file_then_plan(run, screened) -> None:
    plan = json.loads(run("--today", "2026-01-05", "plan", "--json").output)
    assert plan["phase"] == 1
    days = [s for s in plan["sessions"] if s["title"].startswith("Reactivate")]
    assert len(days) == 3
    ids = {p["exercise_id"] for p in days[0]["prescriptions"]}
    assert {"glute_bridge", "clamshell", "half_kneeling_hip_flexor_stretch"} <= ids


def test_screen_schema_is_json_schema(run) -> None:
    schema = json.loads(run("screen", "--schema").output)
    assert schema["type"] == "object" and "sitting_hours_per_day" in schema["properties"]


def test_red_flag_answers_stop_and_refer(run, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(answers(red_flags={"saddle_numbness": True}).model_dump(mode="json"))
    )
    result = run("screen", "--answers", str(path))
    assert result.exit_code == 3
    assert "today" in result.output.lower()
    plan = run("plan", "--json")
    assert json.loads(plan.stdout)["sessions"] == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"pain": {"low_back": {"score": 14}}}, "pain.low_back.score"),
        ({"sitting_hours": 9}, "sitting_hours"),
        ({"activity_level": "couch"}, "activity_level"),
        ({"red_flags": {"saddle_numbnes": True}}, "saddle_numbnes"),
    ],
)
def test_bad_answers_file_exits_2_names_the_field_and_writes_nothing(
    run, tmp_path: Path, change: dict, expected: str, isolated_home: Path
) -> None:
    data = answers().model_dump(mode="json") | change
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = run("screen", "--answers", str(path))
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output
    after = run("plan")
    assert after.exit_code == 2 and "no screening yet" in after.output


def test_unparseable_answers_file_names_line(run, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"pain": {\n  "low_back": }')
    result = run("screen", "--answers", str(path))
    assert result.exit_code == 2 and "line 2" in result.output


def test_corrupt_database_exits_2_and_is_not_overwritten(run, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    db = isolated_home / "glutecoach.db"
    db.write_bytes(b"garbage" * 1000)
    result = run("plan")
    assert result.exit_code == 2
    assert "not a glutecoach database" in result.output and "Traceback" not in result.output
    assert db.read_bytes() == b"garbage" * 1000


def _session_input(sets: int, per_set: str) -> str:
    return per_set * sets


def test_guided_session_logs_every_set_and_decides(run, screened) -> None:
    plan = json.loads(run("--today", "2026-01-05", "plan", "--json").output)
    monday = plan["sessions"][0]["prescriptions"]
    answers_per_set = []
    for p in monday:
        for _ in range(p["sets"]):
            if p["reps"]:
                answers_per_set.append(f"\n{p['reps']}\n5\ng\n1\n")  # enter, reps, rpe, felt, pain
            else:
                answers_per_set.append("5\ng\n1\n")
    result = run(
        "--today", "2026-01-05", "session", "--no-timers", "--json", input="".join(answers_per_set)
    )
    assert result.exit_code == 0, result.output[-2000:]
    decision = json.loads(result.output[result.output.index('{\n  "day"') :])
    assert decision["kind"] == "advance"
    progress = json.loads(run("--today", "2026-01-05", "progress", "--json").output)
    assert progress["sessions_done"] == 1


def test_interrupted_session_keeps_sets_and_resumes(run, screened) -> None:
    # Two sets of bridges, then the input ends (like Ctrl-C / a closed terminal).
    first = run(
        "--today", "2026-01-05", "session", "--no-timers", input="\n10\n5\ng\n1\n\n10\n5\ng\n1\n"
    )
    assert first.exit_code != 0
    assert "Traceback" not in first.output
    resumed = run("--today", "2026-01-05", "session", "--no-timers", input="")
    assert "Resuming today's session: 2 sets already logged" in resumed.output


def test_timers_count_down_get_ready_and_rest(run, screened) -> None:
    result = run("--today", "2026-01-05", "session", "--speed", "500", input="\n10\n5\ng\n1\n")
    assert "Get ready: done" in result.output
    assert "Rest: done" in result.output


def test_quick_log_checkin_and_progress_plot(run, screened, tmp_path: Path) -> None:
    logged = run(
        "--today",
        "2026-01-05",
        "log",
        "glute_bridge",
        "--sets",
        "2",
        "--reps",
        "10",
        "--rpe",
        "5",
        "--felt",
        "glutes",
        "--pain",
        "1",
        "--json",
    )
    assert logged.exit_code == 0, logged.output
    checked = run("--today", "2026-01-06", "checkin", "--pain", "low_back=2", "--stiffness", "1")
    assert checked.exit_code == 0 and "Check-in saved" in checked.output
    png = tmp_path / "progress.png"
    shown = run("--today", "2026-01-06", "progress", "--plot", str(png))
    assert shown.exit_code == 0, shown.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_quick_log_is_refused(run, screened) -> None:
    unknown = run("log", "moonwalk", "--reps", "3")
    assert unknown.exit_code == 2 and "unknown exercise 'moonwalk'" in unknown.output
    out_of_range = run("log", "glute_bridge", "--pain", "11")
    assert out_of_range.exit_code == 2 and "--pain" in out_of_range.output
    bad_region = run("checkin", "--pain", "elbow=3")
    assert bad_region.exit_code == 2 and "elbow" in bad_region.output


def test_checkin_red_flag_stops_and_resume_needs_clinician(run, screened) -> None:
    stopped = run(
        "--today",
        "2026-01-06",
        "checkin",
        "--pain",
        "low_back=7",
        "--red-flag",
        "both_legs_weak_or_numb",
        "--json",
    )
    assert json.loads(stopped.stdout)["kind"] == "stop_and_refer"
    assert "paused" in run("--today", "2026-01-07", "plan").output
    refused = run("resume")
    assert refused.exit_code == 2
    cleared = run(
        "--today", "2026-01-08", "resume", "--cleared-by-clinician", "--note", "GP", "--json"
    )
    assert json.loads(cleared.stdout)["kind"] != "stop_and_refer"


def test_settings_show_and_set(run) -> None:
    assert run("settings", "set", "reminder_interval_minutes", "45").exit_code == 0
    values = json.loads(run("settings", "--json").output)
    assert values["reminder_interval_minutes"] == 45
    bad = run("settings", "set", "reminder_interval_minutes", "90")
    assert bad.exit_code == 2 and "30 to 60" in bad.output


def test_settings_are_documented() -> None:
    from glutecoach.settings import SETTINGS

    doc = (REPO / "docs" / "settings.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in doc, setting.name


def test_red_flags_are_re_asked_weekly_before_a_session(run, screened) -> None:
    # A week later: the first emergency question answered yes stops before any exercise.
    result = run("--today", "2026-01-12", "session", "--no-timers", input="y\n")
    assert "safety questions again" in result.output
    assert "EMERGENCY: STOP AND GET MEDICAL HELP TODAY" in result.output
    assert result.exit_code == 3
    assert "Set 1" not in result.output
    # Still stopped a week on: no questions, no session, until a clinician clears it.
    later = run("--today", "2026-01-19", "session", "--no-timers", input="")
    assert "Set 1" not in later.output and "paused" in later.output
    assert later.exit_code == 3


def test_weekly_red_flags_all_no_lets_the_session_go_ahead(run, screened) -> None:
    count = len(json.loads(run("catalog", "rules", "--json").output)["red_flags"]["flags"])
    result = run("--today", "2026-01-12", "session", "--no-timers", input="n\n" * count)
    assert "safety questions again" in result.output
    assert "Set 1 of" in result.output
    again = run("--today", "2026-01-12", "session", "--no-timers", input="")
    assert "safety questions again" not in again.output


def test_documented_schemas_are_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "write_schemas", REPO / "scripts" / "write_schemas.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, model in module.SCHEMAS.items():
        on_disk = (REPO / "docs" / "schemas" / name).read_text()
        assert on_disk == module.render(model), f"run scripts/write_schemas.py ({name})"
