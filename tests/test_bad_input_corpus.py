"""The bad-input corpus: every class of bad input, through the real CLI (and the API where
cheap), must end in a clear ``Error: ...`` naming what and where, exit status 2 (4xx on the
API), no traceback, and a byte-identical database afterwards.

The good twin of each write command is run too (``test_good_twins_do_write``), so "the
database is unchanged" is a claim that can fail, not a tautology.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, inspect, text

from builders import answers
from glutecoach.cli import main
from glutecoach.store.db import open_store

TODAY = "2026-01-05"
DAY = "2026-01-06"


@dataclass
class Case:
    """One bad input: the command line, its environment and the words the error must hold."""

    name: str
    argv: list[str]
    expect: str
    env: dict[str, str] = field(default_factory=dict)
    database: Path | None = None  # another database the case points at (checked unchanged)
    unset: tuple[str, ...] = ()  # environment variables the case runs without


@dataclass
class Home:
    """A screened data folder with a session, a check-in and a second person."""

    path: Path
    files: Path
    url: str | None = None  # PostgreSQL; None: SQLite in the data folder

    @property
    def db(self) -> Path:
        return self.path / "glutecoach.db"

    def state(self) -> Any:
        """The SQLite files byte for byte, or every PostgreSQL row (ids and values)."""
        if self.url is None:
            return snapshot(self.db)
        return dump_rows(self.url)

    def file(self, name: str, content: str | bytes) -> str:
        target = self.files / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return str(target)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The real console entry point in-process: (exit status, stdout + stderr)."""
    try:
        main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
        escaped = ""
    except Exception as exc:  # escaped the entry point: the worst outcome, reported as such
        code, escaped = 1, f"Traceback (escaped main): {exc!r}"
    else:
        code, escaped = 0, ""
    captured = capsys.readouterr()
    return code, captured.out + captured.err + escaped


def snapshot(db: Path) -> dict[str, bytes]:
    """The database and any side files SQLite keeps next to it, byte for byte."""
    out = {}
    for suffix in ("", "-wal", "-journal"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            out[suffix] = side.read_bytes()
    return out


def dump_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {
                name: [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{name}" ORDER BY 1'))]
                for name in sorted(names)
            }
    finally:
        engine.dispose()


@pytest.fixture
def home(isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Home]:
    """SQLite in the data folder."""
    yield _filled(Home(isolated_home, tmp_path / "files"), capsys)


@pytest.fixture
def any_home(
    store_url: str,
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Home]:
    """SQLite in the data folder, or a real PostgreSQL server via GLUTECOACH_DATABASE_URL."""
    url = None
    if store_url.startswith("postgresql"):
        url = store_url
        monkeypatch.setenv("GLUTECOACH_DATABASE_URL", url)
    yield _filled(Home(isolated_home, tmp_path / "files", url), capsys)


def _filled(made: Home, capsys: pytest.CaptureFixture[str]) -> Home:
    made.files.mkdir()
    good_answers = made.file("answers.json", json.dumps(answers().model_dump(mode="json")))
    for argv in (
        ["--today", TODAY, "screen", "--answers", good_answers],
        ["--today", TODAY, "log", "glute_bridge", "--reps", "10", "--pain", "2"],
        ["--today", TODAY, "checkin", "--pain", "hip=1"],
        ["--person", "bo", "--today", TODAY, "screen", "--answers", good_answers],
    ):
        code, output = run_cli(argv, capsys)
        assert code == 0, output
    return made


def _deep_json(levels: int) -> str:
    return "[" * levels + "]" * levels


def _billion_laughs() -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(f'*{prev}' for _ in range(9))}]")
    return "\n".join(lines) + "\n"


def _deep_block_yaml(levels: int) -> str:
    return "".join(f"{'  ' * i}k:\n" for i in range(levels)) + "  " * levels + "v: 1\n"


def _catalog_dir(home: Home, name: str, change: Callable[[Path], None]) -> str:
    """A copy of the packaged catalog, changed by ``change``."""
    folder = home.files / name
    shutil.copytree(str(resources.files("glutecoach.catalog") / "data"), folder)
    change(folder)
    return str(folder)


def _without_glute_bridge(folder: Path) -> None:
    path = folder / "exercises.yaml"
    data = yaml.safe_load(path.read_text())
    data["exercises"] = [e for e in data["exercises"] if e["id"] != "glute_bridge"]
    for exercise in data["exercises"]:
        for key in ("regressions", "progressions"):
            if key in exercise:
                exercise[key] = [x for x in exercise[key] if x != "glute_bridge"]
    path.write_text(yaml.safe_dump(data))
    rules_path = folder / "rules.yaml"
    rules = yaml.safe_load(rules_path.read_text())
    rules["phase_gate"]["params"]["target_dose"].pop("glute_bridge", None)
    rules_path.write_text(yaml.safe_dump(rules))


def _replace_with(name: str, content: bytes | None) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        target = folder / name
        target.unlink()
        if content is None:
            target.mkdir()
        else:
            target.write_bytes(content)

    return change


def _export(home: Home, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """This database's export, its people renamed so it would import into the same database."""
    code, output = run_cli(["export"], capsys)
    assert code == 0, output
    document = json.loads(output)
    for index, person in enumerate(document["people"]):
        person["name"] = f"imported {index}"
    return document


def _desk_row(document: dict[str, Any]) -> dict[str, Any]:
    desk = document["people"][0]["extensions"].setdefault("desk", {})
    desk["bouts"] = [
        {
            "start": "2026-01-06T09:00:00",
            "end": "2026-01-06T09:35:00",
            "seconds": 2100.0,
            "cause": "idle",
            "reminders": 1,
        }
    ]
    return desk["bouts"][0]


def import_cases(home: Home, capsys: pytest.CaptureFixture[str]) -> list[Case]:
    base = _export(home, capsys)

    def doc(name: str, change: Callable[[dict[str, Any]], None]) -> str:
        document = copy.deepcopy(base)
        change(document)
        return home.file(f"{name}.json", json.dumps(document))

    def person(document: dict[str, Any]) -> dict[str, Any]:
        return next(p for p in document["people"] if p["sessions"])  # type: ignore[no-any-return]

    def set_of(document: dict[str, Any]) -> dict[str, Any]:
        return person(document)["sessions"][0]["sets"][0]  # type: ignore[no-any-return]

    changes: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
        (
            "import_far_future_day",
            lambda d: person(d)["sessions"][0].update(performed_on="9999-12-31"),
            "9999-12-31",
        ),
        (
            "import_ancient_checkin",
            lambda d: person(d)["checkins"][0].update(day="0001-01-01"),
            "checkins[0].day",
        ),
        ("import_empty_name", lambda d: person(d).update(name=""), "].name: a person"),
        ("import_long_name", lambda d: person(d).update(name="x" * 200), "80 characters"),
        ("import_control_name", lambda d: person(d).update(name="a\nb"), "control characters"),
        (
            "import_nul_in_notes",
            lambda d: person(d)["sessions"][0].update(notes="a\x00b"),
            "sessions[0].notes",
        ),
        ("import_unknown_exercise", lambda d: set_of(d).update(exercise_id="moonwalk"), "moonwalk"),
        ("import_mistyped_reps", lambda d: set_of(d).update(reps="ten"), "reps"),
        ("import_desk_missing_field", lambda d: _desk_row(d).pop("end"), "missing field(s) end"),
        ("import_desk_mistyped_field", lambda d: _desk_row(d).update(seconds="long"), "seconds"),
        ("import_desk_bad_time", lambda d: _desk_row(d).update(start="yesterday"), "start"),
        (
            "import_desk_far_future",
            lambda d: _desk_row(d).update(start="9999-01-01T00:00:00"),
            "9999",
        ),
        ("import_desk_unknown_field", lambda d: _desk_row(d).update(mood="fine"), "mood"),
        (
            "import_wrong_format",
            lambda d: d.update(format="something-else"),
            "not a glutecoach export",
        ),
    ]
    cases = [Case(name, ["import", doc(name, change)], expect) for name, change, expect in changes]
    duplicate = json.dumps(base)[:-1] + ', "people": []}'
    cases.append(
        Case("import_duplicate_key", ["import", home.file("dup.json", duplicate)], "twice")
    )
    cases.append(
        Case(
            "import_deep",
            ["import", home.file("deep_import.json", _deep_json(100_000))],
            "levels deep",
        )
    )
    return cases


def corpus(home: Home, capsys: pytest.CaptureFixture[str]) -> list[Case]:
    f = home.file
    good = answers().model_dump(mode="json")
    lacking = home.files / "lacking.db"
    open_store(f"sqlite:///{lacking}").close()
    with sqlite3.connect(lacking) as conn:
        conn.execute("DROP TABLE checkins")
    conn.close()
    folder_db = home.files / "folder.db"
    folder_db.mkdir()
    not_sqlite = Path(f("not_sqlite.db", b"this is not a database" * 10))
    cases = [
        # dates
        Case(
            "today_far_future",
            ["--today", "9999-12-31", "log", "glute_bridge", "--reps", "5"],
            "9999-12-31",
        ),
        Case(
            "today_ancient", ["--today", "0001-01-01", "checkin", "--pain", "hip=1"], "0001-01-01"
        ),
        Case("today_not_a_date", ["--today", "31/12/2026", "plan"], "not a date"),
        Case(
            "today_env_far_future", ["plan"], "9999-12-31", env={"GLUTECOACH_TODAY": "9999-12-31"}
        ),
        Case("week_far_future", ["plan", "--week", "9999-12-31"], "9999-12-31"),
        # people
        Case("person_empty", ["--person", "", "--today", DAY, "log", "glute_bridge"], "empty"),
        Case("person_blank", ["--person", "   ", "--today", DAY, "plan"], "empty"),
        Case("person_long", ["--person", "x" * 200, "--today", DAY, "plan"], "80 characters"),
        Case("person_control", ["--person", "a\tb", "--today", DAY, "plan"], "control"),
        Case(
            "person_env_long",
            ["--today", DAY, "plan"],
            "80 characters",
            env={"GLUTECOACH_PERSON": "y" * 81},
        ),
        # free text and numbers
        Case(
            "note_120k",
            ["--today", DAY, "resume", "--cleared-by-clinician", "--note", "n" * 120_000],
            "500 characters",
        ),
        Case(
            "note_terminal_escape",
            ["--today", DAY, "resume", "--cleared-by-clinician", "--note", "ok\x1b[2J\x1b[31m"],
            "control characters",
        ),
        Case("log_unknown_exercise", ["--today", DAY, "log", "moonwalk"], "moonwalk"),
        Case(
            "log_pain_out_of_range",
            ["--today", DAY, "log", "glute_bridge", "--pain", "11"],
            "--pain",
        ),
        Case(
            "log_negative_reps", ["--today", DAY, "log", "glute_bridge", "--reps", "-1"], "--reps"
        ),
        Case("checkin_bad_region", ["--today", DAY, "checkin", "--pain", "elbow=3"], "REGION"),
        Case(
            "checkin_unknown_red_flag",
            ["--today", DAY, "checkin", "--pain", "hip=1", "--red-flag", "nope"],
            "nope",
        ),
        Case("settings_bad_value", ["settings", "set", "equipment", "rocket"], "rocket"),
        # answers and other data files
        Case(
            "answers_deep_json",
            ["screen", "--answers", f("deep.json", _deep_json(100_000))],
            "levels deep",
        ),
        Case(
            "answers_deep_flow_yaml",
            ["screen", "--answers", f("deep.yaml", _deep_json(100_000))],
            "levels deep",
        ),
        Case(
            "answers_deep_block_yaml",
            ["screen", "--answers", f("block.yaml", _deep_block_yaml(300))],
            "levels deep",
        ),
        Case(
            "answers_alias_bomb",
            ["screen", "--answers", f("laughs.yaml", _billion_laughs())],
            "values",
        ),
        Case(
            "answers_huge",
            ["screen", "--answers", f("huge.json", json.dumps({**good, "pad": "x" * 10_000_000}))],
            "too large",
        ),
        Case(
            "answers_duplicate_yaml",
            [
                "screen",
                "--answers",
                f(
                    "dup.yaml",
                    "red_flags: {}\nred_flags: {cauda_equina: true}\n"
                    "sitting_hours_per_day: 8\nlongest_sitting_minutes: 9\n",
                ),
            ],
            "twice",
        ),
        Case(
            "answers_duplicate_json",
            [
                "screen",
                "--answers",
                f("dup.json", '{"red_flags": {}, "red_flags": {"cauda_equina": true}}'),
            ],
            "twice",
        ),
        Case("answers_folder", ["screen", "--answers", str(home.files)], "directory"),
        Case(
            "answers_binary",
            ["screen", "--answers", f("binary.json", bytes(range(256)) * 4)],
            "binary",
        ),
        Case(
            "answers_latin1",
            [
                "screen",
                "--answers",
                f("latin1.yaml", "activity_level: l\xe9ger\n".encode("latin-1")),
            ],
            "UTF-8",
        ),
        Case(
            "answers_missing",
            ["screen", "--answers", str(home.files / "none.json")],
            "no such file",
        ),
        Case(
            "answers_bad_json", ["screen", "--answers", f("bad.json", '{"red_flags": ')], "line 1"
        ),
        Case(
            "answers_wrong_type",
            ["screen", "--answers", f("type.json", json.dumps({**good, "age": "old"}))],
            "age",
        ),
        Case(
            "answers_unknown_red_flag",
            [
                "screen",
                "--answers",
                f("flag.json", json.dumps({**good, "red_flags": {"nope": True}})),
            ],
            "nope",
        ),
        Case(
            "answers_not_a_mapping", ["screen", "--answers", f("list.json", "[1, 2, 3]")], "invalid"
        ),
        Case(
            "self_test_deep",
            [
                "--today",
                DAY,
                "checkin",
                "--pain",
                "hip=1",
                "--self-test",
                f("st.json", _deep_json(5000)),
            ],
            "levels deep",
        ),
        Case("simulate_deep", ["simulate", f("sim.json", _deep_json(100_000))], "levels deep"),
        # export target
        Case("export_missing_folder", ["export", "-o", "/nonexistent/x.json"], "does not exist"),
        Case(
            "export_parent_is_a_file",
            ["export", "-o", str(Path(f("plain_file", "x")) / "x.json")],
            "is not a folder",
        ),
        Case(
            "simulate_far_future",
            [
                "simulate",
                f("sim_future.json", json.dumps({"start": "9999-12-01", "screening": good})),
            ],
            "9999-12-01",
        ),
        Case(
            "simulate_too_long",
            [
                "simulate",
                f(
                    "sim_long.json",
                    json.dumps(
                        {
                            "start": TODAY,
                            "screening": good,
                            "events": [
                                {"type": "follow_plan", "day": TODAY, "days": 730} for _ in range(6)
                            ],
                        }
                    ),
                ),
            ],
            "ten years",
        ),
        Case(
            "checkin_region_twice",
            ["--today", DAY, "checkin", "--pain", "hip=1", "--pain", "hip=7"],
            "twice",
        ),
        Case("export_existing_file", ["export", "-o", f("exists.json", "{}")], "already exists"),
        # catalog files
        Case(
            "catalog_binary",
            ["catalog", "list"],
            "binary",
            env={
                "GLUTECOACH_CATALOG_DIR": _catalog_dir(
                    home, "cat_bin", _replace_with("exercises.yaml", b"\x00\x01\x02" * 100)
                )
            },
        ),
        Case(
            "catalog_folder",
            ["catalog", "list"],
            "folder",
            env={
                "GLUTECOACH_CATALOG_DIR": _catalog_dir(
                    home, "cat_dir", _replace_with("rules.yaml", None)
                )
            },
        ),
        Case(
            "catalog_without_glute_bridge",
            ["--today", DAY, "plan"],
            "glute_bridge",
            env={
                "GLUTECOACH_CATALOG_DIR": _catalog_dir(home, "cat_nobridge", _without_glute_bridge)
            },
        ),
        Case(
            "catalog_deep",
            ["catalog", "list"],
            "levels deep",
            env={
                "GLUTECOACH_CATALOG_DIR": _catalog_dir(
                    home, "cat_deep", _replace_with("sources.yaml", _deep_json(100_000).encode())
                )
            },
        ),
        Case(
            "catalog_dir_is_file",
            ["catalog", "list"],
            "not a folder",
            env={"GLUTECOACH_CATALOG_DIR": f("catalog_file", "x")},
        ),
        # where the data lives
        Case(
            "home_is_a_file",
            ["--today", DAY, "plan"],
            "is a file",
            env={"GLUTECOACH_HOME": f("home_file", "x")},
            unset=("GLUTECOACH_DATABASE_URL",),
        ),
        Case(
            "database_is_a_folder",
            ["--today", DAY, "plan"],
            "is a folder",
            env={"GLUTECOACH_DATABASE_URL": f"sqlite:///{folder_db}"},
        ),
        Case(
            "database_lacks_a_table",
            ["--today", DAY, "plan"],
            "checkins",
            env={"GLUTECOACH_DATABASE_URL": f"sqlite:///{lacking}"},
            database=lacking,
        ),
        Case(
            "database_not_sqlite",
            ["--today", DAY, "plan"],
            "not an SQLite file",
            env={"GLUTECOACH_DATABASE_URL": f"sqlite:///{not_sqlite}"},
            database=not_sqlite,
        ),
        Case(
            "database_url_garbage",
            ["--today", DAY, "plan"],
            "not a database URL",
            env={"GLUTECOACH_DATABASE_URL": "definitely not a url"},
        ),
        Case(
            "database_url_mysql",
            ["--today", DAY, "plan"],
            "'mysql'",
            env={"GLUTECOACH_DATABASE_URL": "mysql://u:secret@localhost/db"},
        ),
        Case(
            "database_url_other_pg_driver",
            ["--today", DAY, "plan"],
            "psycopg2",
            env={"GLUTECOACH_DATABASE_URL": "postgresql+psycopg2://u@localhost/db"},
        ),
    ]
    return cases + import_cases(home, capsys)


def test_bad_input_corpus_exits_2_and_writes_nothing(
    any_home: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = any_home
    cases = corpus(home, capsys)
    before = home.state()
    others = {case.name: snapshot(case.database) for case in cases if case.database}
    failures = []
    for case in cases:
        with monkeypatch.context() as patch:
            for name, value in case.env.items():
                patch.setenv(name, value)
            for name in case.unset:
                patch.delenv(name, raising=False)
            code, output = run_cli(case.argv, capsys)
        problems = []
        if code != 2:
            problems.append(f"exit {code}")
        if "Traceback" in output or "internal error" in output:
            problems.append("traceback")
        if "Error" not in output or case.expect.lower() not in output.lower():
            problems.append(f"message lacks {case.expect!r}")
        after = home.state()
        if after != before:
            problems.append("database changed")
            before = after
        if case.database is not None and snapshot(case.database) != others[case.name]:
            problems.append("its database changed")
        if problems:
            failures.append(f"{case.name}: {', '.join(problems)}\n    {output.strip()[:300]}")
    backend = "PostgreSQL" if home.url else "SQLite"
    clean = len(cases) - len(failures)
    report = f"bad-input corpus (CLI, {backend}): {len(cases)} tried, {clean} clean"
    print(report)
    assert not failures, report + "\n" + "\n".join(failures)
    assert not (home.path / "crash.log").exists()
    assert not [p.name for p in home.files.iterdir() if p.name.endswith(".partial")]
    assert len(cases) >= 60


def test_good_twins_do_write(any_home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    """The commands the corpus breaks do change the database when their input is good."""
    home = any_home
    document = _export(home, capsys)
    good_import = home.file("good_import.json", json.dumps(document))
    for argv in (
        ["--today", DAY, "log", "glute_bridge", "--reps", "5"],
        ["--today", DAY, "resume", "--cleared-by-clinician", "--note", "n" * 500],
        ["--person", " new person ", "--today", DAY, "settings", "set", "units", "lb"],
        ["import", good_import],
    ):
        before = home.state()
        code, output = run_cli(argv, capsys)
        assert code == 0, output
        assert home.state() != before, argv


def test_odd_rows_already_stored_do_not_poison_later_commands(
    any_home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rows an older glutecoach let in (year 9999, year 1, a name breaking the rule) are
    ignored by the engine, in the CLI and the web app, and export still carries them."""
    home = any_home
    url = home.url or f"sqlite:///{home.db}"
    odd_name = "z" * 200 if home.url is None else "tab\tname"  # PostgreSQL holds 80 at most
    me = "(SELECT id FROM people WHERE name = 'me')"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sessions (person_id, performed_on, phase, completed, notes)"
                f" VALUES ({me}, '9999-12-31', 1, true, '')"
            )
        )
        session = conn.execute(text("SELECT max(id) FROM sessions")).scalar()
        conn.execute(
            text(
                "INSERT INTO sets (session_id, exercise_id, side, set_index, reps, load_kg,"
                " felt_in, pain) VALUES (:s, 'glute_bridge', 'both', 1, 10, 0, '[]', 0)"
            ),
            {"s": session},
        )
        conn.execute(
            text(
                "INSERT INTO checkins (person_id, day, morning, pain, stiffness, red_flags)"
                f" VALUES ({me}, '0001-01-01', true, '{{}}', 0, '{{}}')"
            )
        )
        conn.execute(
            text("INSERT INTO people (name, created_at) VALUES (:n, '2026-01-01 00:00:00')"),
            {"n": odd_name},
        )
    engine.dispose()
    for argv in (
        ["--today", DAY, "log", "glute_bridge", "--reps", "10"],
        ["--today", DAY, "checkin", "--pain", "hip=1"],
        ["--today", DAY, "progress", "--json"],
        ["--today", DAY, "plan"],
    ):
        code, output = run_cli(argv, capsys)
        assert code == 0, output
    _web_still_works(url)
    code, output = run_cli(["export"], capsys)
    assert code == 0, output
    exported = json.loads(output)
    assert odd_name in [p["name"] for p in exported["people"]]
    mine = next(p for p in exported["people"] if p["name"] == "me")
    assert "9999-12-31" in [s["performed_on"] for s in mine["sessions"]]
    assert "0001-01-01" in [c["day"] for c in mine["checkins"]]


def _web_still_works(url: str) -> None:
    """Check-in, and a session opened, logged and finished, through the API."""
    import warnings

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from glutecoach.web.app import create_app
    from glutecoach.web.deps import get_today

    app = create_app(url)
    app.dependency_overrides[get_today] = lambda: dt.date(2026, 1, 7)
    with TestClient(app) as client:
        checkin = client.post("/api/checkins", json={"pain": {"hip": 1}, "red_flags": {}})
        assert checkin.status_code == 200, checkin.text
        session = client.post("/api/sessions", json={})
        assert session.status_code == 200, session.text
        sid = session.json()["id"]
        logged = client.post(
            f"/api/sessions/{sid}/sets",
            json={"exercise_id": "glute_bridge", "side": "both", "set_index": 1, "reps": 8},
        )
        assert logged.status_code == 201, logged.text
        finished = client.post(f"/api/sessions/{sid}/finish", json={})
        assert finished.status_code == 200, finished.text
    app.state.web.close()


def test_api_refuses_bad_input_with_4xx_and_writes_nothing(tmp_path: Path) -> None:
    """The cheap API twins of the corpus: 4xx, and the database is byte-identical."""
    import warnings

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from glutecoach.web.app import create_app
    from glutecoach.web.deps import get_today

    db = tmp_path / "web.db"
    app = create_app(f"sqlite:///{db}")
    app.dependency_overrides[get_today] = lambda: dt.date(2026, 1, 5)
    good = answers().model_dump(mode="json")
    with TestClient(app) as client:
        assert client.post("/api/screening", json=good).status_code == 200
        session = client.post("/api/sessions", json={}).json()["id"]
        app.state.web.close()
        before = snapshot(db)
        bad_set = {"exercise_id": "glute_bridge", "side": "both", "set_index": 1, "reps": 5}
        requests: list[tuple[str, str, Any]] = [
            ("POST", "/api/screening", {**good, "age": "old"}),
            ("POST", "/api/screening", {**good, "red_flags": {"nope": True}}),
            ("POST", "/api/screening", {**good, "psfs": [{"activity": "", "score": 3}]}),
            ("POST", f"/api/sessions/{session}/sets", {**bad_set, "exercise_id": "moonwalk"}),
            ("POST", f"/api/sessions/{session}/sets", {**bad_set, "pain": 11}),
            ("POST", f"/api/sessions/{session}/sets", {**bad_set, "reps": -1}),
            ("POST", "/api/checkins", {"pain": {"elbow": 3}}),
            ("POST", "/api/checkins", {"pain": {"hip": 1}, "red_flags": {"nope": True}}),
            ("POST", "/api/clearance", {"cleared_by_clinician": True, "note": "n" * 501}),
            ("POST", "/api/clearance", {"cleared_by_clinician": True, "note": "a\x00b"}),
            ("POST", "/api/clearance", {"cleared_by_clinician": False}),
            ("POST", f"/api/sessions/{session}/finish", {"notes": "x\x00y"}),
            ("PUT", "/api/settings/equipment", {"value": "rocket"}),
            ("POST", f"/api/sessions/{2**40}/sets", bad_set),
        ]
        failures = []
        for method, path, body in requests:
            response = client.request(method, path, json=body)
            if not 400 <= response.status_code < 500:
                failures.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
        app.state.web.close()
        assert snapshot(db) == before
    print(f"bad-input corpus (API): {len(requests)} tried, {len(requests) - len(failures)} clean")
    assert not failures, "\n".join(failures)
