"""`glutecoach serve` hands the web app the vision adapter's live coach when it can run."""

from __future__ import annotations

import sys

import pytest

from glutecoach.cli.live_wiring import live_coach_provider


def test_with_the_camera_extra_serve_gets_the_live_coach() -> None:
    pytest.importorskip("mediapipe")
    factory, problem = live_coach_provider()
    assert problem == "" and factory is not None
    session = factory("glute_bridge", "both")
    assert session.setup()["views"] == ["side", "oblique"]
    session.close()


def test_without_the_pose_model_serve_says_what_the_camera_coach_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # import fails, as on Python 3.13
    factory, problem = live_coach_provider()
    assert factory is None
    assert "3.11 or 3.12" in problem and "glutecoach[vision]" in problem
    assert "pick_python.py" in problem
