"""``glutecoach desk`` subcommands through Click's CliRunner."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from glutecoach.core.sedentary import BoutEnded, BreakTaken, Cause
from glutecoach.desk.cli import desk_group
from glutecoach.paths import database_url
from glutecoach.store import desk_repo
from glutecoach.store.db import open_store
from glutecoach.store.repository import ensure_person


@pytest.fixture
def no_session(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_CURRENT_DESKTOP"):
        monkeypatch.delenv(name, raising=False)


def _log_today_bout(minutes: float) -> None:
    store = open_store(database_url())
    start = dt.datetime.now().astimezone().replace(hour=9, minute=0, second=0, microsecond=0)
    with store.transaction() as db:
        pid = ensure_person(db, "me", now=dt.datetime.now())
        seconds = minutes * 60
        end = start + dt.timedelta(seconds=seconds)
        desk_repo.add_bout(db, pid, BoutEnded(start, end, seconds, Cause.IDLE, 1))
        desk_repo.add_break(db, pid, BreakTaken(end, Cause.IDLE, False))
    store.close()


@pytest.mark.parametrize("args", [[], ["install"], ["uninstall"], ["status"], ["stats"]])
def test_every_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(desk_group, [*args, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "--interval-seconds" not in result.output  # test-speed options stay hidden


def test_stats_json_and_table() -> None:
    _log_today_bout(42)
    runner = CliRunner()
    result = runner.invoke(desk_group, ["stats", "--days", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["days"]) == 3
    today = data["days"][-1]
    assert today["period"] == dt.date.today().isoformat()
    assert today["sitting_s"] == 42 * 60 and today["bouts"] == 1 and today["breaks"] == 1
    assert today["long_bouts_s"] == 42 * 60
    assert data["weeks"][-1]["sitting_s"] >= 42 * 60
    table = runner.invoke(desk_group, ["stats", "--days", "2"])
    assert table.exit_code == 0
    assert "0h42" in table.output and "▓" in table.output


def test_stats_plot_writes_a_png(tmp_path: Path) -> None:
    _log_today_bout(20)
    target = tmp_path / "sitting.png"
    result = CliRunner().invoke(desk_group, ["stats", "--plot", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_status_without_a_session_says_timer_only(no_session: None) -> None:
    result = CliRunner().invoke(desk_group, ["status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["running"] is False
    assert "timer-only" in data["idle_source"]
    assert "plain text" in data["notifications"]
    assert data["settings"]["reminder_interval_minutes"] == 30
    text = CliRunner().invoke(desk_group, ["status"])
    assert "timer-only" in text.output and "installed:" in text.output


def test_interval_minutes_is_validated() -> None:
    result = CliRunner().invoke(desk_group, ["--interval-minutes", "10"])
    assert result.exit_code == 2
    assert "30<=x<=60" in result.output


def test_timer_only_coach_runs_and_stops(no_session: None) -> None:
    result = CliRunner().invoke(
        desk_group,
        ["--plain", "--interval-seconds", "0.3", "--max-wait", "0.05", "--exit-after", "1"],
    )
    assert result.exit_code == 0, result.output
    assert "timer-only reminders" in result.output
    assert "plain text reminders" in result.output
    assert "glutecoach desk: stopped" in result.output


def test_a_second_coach_is_refused(no_session: None) -> None:
    import os

    from glutecoach.desk.cli import _status_path

    _status_path().write_text(json.dumps({"pid": os.getppid(), "running": True}))
    result = CliRunner().invoke(desk_group, ["--plain", "--exit-after", "0.1"])
    assert result.exit_code != 0
    assert "already running" in str(result.exception)


def test_desk_follows_the_global_person_option(tmp_path, monkeypatch) -> None:
    import json

    from click.testing import CliRunner

    from glutecoach.cli import cli

    monkeypatch.setenv("GLUTECOACH_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["--person", "ana", "desk", "stats", "--json", "--days", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["person"] == "ana"
    own = CliRunner().invoke(cli, ["desk", "--person", "bo", "stats", "--json", "--days", "1"])
    assert json.loads(own.stdout)["person"] == "bo"
