"""The guided session fills the set log from the camera (a recorded file stands in for it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import answers
from glutecoach.paths import database_url
from glutecoach.store import repository as repo
from glutecoach.store.db import open_store

from . import synth
from .conftest import record


@pytest.fixture
def screened(run, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers(equipment=["none"]).model_dump(mode="json")))
    assert run("--today", "2026-01-05", "screen", "--answers", str(path)).exit_code == 0


def _bridge_sets(day: str) -> list:
    store = open_store(database_url())
    try:
        with store.transaction() as db:
            sessions = repo.sessions(db, repo.person_id(db) or 0)
    finally:
        store.close()
    return [s for x in sessions for s in x.sets if s.exercise_id == "glute_bridge"]


def test_camera_counts_the_bridges_and_the_form_reaches_the_log(
    run, screened, tmp_path: Path
) -> None:
    clip = record(synth.bridge(synth.profile(10, rep_s=2.0, hold_s=2.0)), tmp_path / "b.npz")
    plan = json.loads(run("--today", "2026-01-05", "plan", "--json").output)
    prescriptions = plan["sessions"][0]["prescriptions"]
    # Accept every default: the reps counted by the camera (or prescribed, where it cannot
    # score the set), RPE 5, glutes, pain 1.
    typed = "".join(
        ("\n" if p["reps"] else "") + "5\ng\n1\n" for p in prescriptions for _ in range(p["sets"])
    )
    result = run(
        "--today", "2026-01-05", "session", "--no-timers", "--camera", str(clip), input=typed
    )
    assert result.exit_code == 0, result.output[-3000:]
    assert "Camera: 10 reps" in result.output
    bridges = _bridge_sets("2026-01-05")
    assert bridges and all(s.reps == 10 for s in bridges)
    assert all(s.form is not None and s.form.reps_observed == 10 for s in bridges)
    assert all(s.form.source == "camera" for s in bridges)


def test_a_missing_camera_file_is_a_clear_error(run, screened, tmp_path: Path) -> None:
    result = run(
        "--today",
        "2026-01-05",
        "session",
        "--no-timers",
        "--camera",
        str(tmp_path / "nope.mp4"),
        input="",
    )
    assert result.exit_code == 2
    assert "--camera" in result.output and "Traceback" not in result.output
