"""`glutecoach log --load` in the person's units: kg or lb, stored in kg, bad values refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import answers
from glutecoach.presentation import LB_PER_KG

DAY = "2026-01-05"


@pytest.fixture
def screened(run, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers().model_dump(mode="json")))
    result = run("--today", DAY, "screen", "--answers", str(path))
    assert result.exit_code == 0, result.output


def _stored_loads(run) -> list[float]:
    progress = json.loads(run("--today", DAY, "progress", "--json").output)
    return [point["load_kg"] for point in progress["loads"]]


def _log(run, load: str):
    return run("--today", DAY, "log", "goblet_squat", "--reps", "10", "--load", load, "--json")


@pytest.mark.parametrize(
    ("typed", "units", "stored"),
    [
        ("20", "kg", 20.0),
        ("20kg", "lb", 20.0),
        ("20 KG", "kg", 20.0),
        ("45lb", "kg", round(45 / LB_PER_KG, 2)),
        ("45 lbs", "lb", round(45 / LB_PER_KG, 2)),
        ("45", "lb", round(45 / LB_PER_KG, 2)),
        ("12,5", "kg", 12.5),
        ("0", "lb", 0.0),
    ],
)
def test_load_is_stored_in_kg(run, screened, typed: str, units: str, stored: float) -> None:
    assert run("settings", "set", "units", units).exit_code == 0
    result = _log(run, typed)
    assert result.exit_code == 0, result.output
    loads = _stored_loads(run)
    assert loads and loads[-1] == pytest.approx(stored)


@pytest.mark.parametrize(
    ("typed", "units", "says"),
    [
        ("20stone", "kg", "'20stone' is not a load"),
        ("-5", "kg", "'-5' is not a load"),
        ("heavy", "lb", "'heavy' is not a load"),
        ("", "kg", "is not a load"),
        ("1200lb", "kg", "--load 1200 lb is more than the 1102.3 lb a set may log"),
        ("501kg", "lb", "--load 501 kg is more than the 500 kg a set may log"),
        ("1200", "lb", "--load 1200 lb is more than the 1102.3 lb a set may log"),
        ("501", "kg", "--load 501 kg is more than the 500 kg a set may log"),
    ],
)
def test_a_bad_load_is_refused_and_nothing_is_stored(
    run, screened, typed: str, units: str, says: str
) -> None:
    assert run("settings", "set", "units", units).exit_code == 0
    result = _log(run, typed)
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output
    assert _stored_loads(run) == []


def test_log_help_names_the_units(run) -> None:
    result = run("log", "--help")
    assert result.exit_code == 0
    assert "45lb" in result.output and "units" in result.output
