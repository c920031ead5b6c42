from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from glutecoach.vision.analyzers import ANALYZERS
from glutecoach.vision.errors import FormChecksError, UnknownExerciseError
from glutecoach.vision.form_checks import load_form_checks, parse_form_checks

CATALOG_IDS = (
    "glute_bridge",
    "banded_glute_bridge",
    "single_leg_glute_bridge",
    "clamshell",
    "banded_clamshell",
    "side_lying_hip_abduction",
    "single_leg_deadlift",
    "bodyweight_squat",
    "goblet_squat",
    "step_up",
    "low_step_up",
    "half_kneeling_hip_flexor_stretch",
    "dead_bug",
    "bird_dog",
    "side_plank",
)
PACKAGED = Path(__file__).resolve().parents[2] / "src/glutecoach/catalog/data/form_checks.yaml"


def _raw() -> dict:
    return yaml.safe_load(PACKAGED.read_text(encoding="utf-8"))


def test_every_catalog_exercise_is_analyzed_or_says_why_not() -> None:
    checks = load_form_checks()
    for exercise in CATALOG_IDS:
        assert (exercise in checks.exercises) != (exercise in checks.not_analyzed), exercise


def test_variants_share_their_family_analyzer() -> None:
    checks = load_form_checks()
    assert checks.profile_for("banded_glute_bridge")[1].analyzer == "bridge"
    assert checks.profile_for("goblet_squat")[1].analyzer == "squat"
    assert checks.profile_for("low_step_up")[1].analyzer == "step_up"


def test_every_threshold_has_a_source_and_engineering_choices_say_so() -> None:
    checks = load_form_checks()
    for profile in checks.profiles.values():
        assert "engineering default" in profile.rep.source or "CLINICAL" in profile.rep.source
        for check in profile.checks:
            assert check.source and check.metric in ANALYZERS[profile.analyzer].metric_names()
            cites = any(k in check.source for k in ("CLINICAL.md", "ACSM", "Distefano"))
            assert cites or "engineering default, configurable" in check.source, check.fault


def test_unknown_exercise_is_a_clear_error() -> None:
    with pytest.raises(UnknownExerciseError, match="unknown exercise id 'burpee'"):
        load_form_checks().profile_for("burpee")
    with pytest.raises(UnknownExerciseError, match="no camera analyzer for 'dead_bug'"):
        load_form_checks().profile_for("dead_bug")


def _broken(mutate) -> str:  # type: ignore[no-untyped-def]
    raw = _raw()
    mutate(raw)
    return yaml.safe_dump(raw)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda r: r["profiles"]["bridge"]["checks"][0].update(metric="hip_wiggle"),
            "profiles.bridge.checks[0] (incomplete_hip_extension): metric 'hip_wiggle'",
        ),
        (
            lambda r: r["profiles"]["squat"]["rep"].update(exit=0.9),
            "profiles.squat.rep: Value error, exit (0.9) must be below enter",
        ),
        (
            lambda r: r["profiles"]["bridge"]["checks"][0].pop("source"),
            "profiles.bridge.checks.0.source: Field required",
        ),
        (
            lambda r: r["profiles"]["clamshell"]["checks"][1].update(threshold="high"),
            "profiles.clamshell.checks.1.threshold: Input should be a valid number",
        ),
        (
            lambda r: r["exercises"].update(glute_bridge="nope"),
            "exercises.glute_bridge: unknown profile 'nope'",
        ),
        (
            lambda r: r["profiles"]["bridge"].update(analyzer="teleport"),
            "profiles.bridge.analyzer: unknown analyzer 'teleport'",
        ),
        (
            lambda r: r["profiles"]["bridge"].update(required_joints=["hip", "tail"]),
            "profiles.bridge.required_joints: unknown joint 'tail'",
        ),
    ],
)
def test_a_bad_file_names_the_file_the_entry_and_the_problem(mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FormChecksError) as info:
        parse_form_checks(_broken(mutate), "custom.yaml")
    message = str(info.value)
    assert message.startswith("custom.yaml: ")
    assert expected in message


def test_invalid_yaml_and_a_file_path(tmp_path: Path) -> None:
    bad = tmp_path / "form_checks.yaml"
    bad.write_text("profiles: [unclosed\n", encoding="utf-8")
    with pytest.raises(FormChecksError, match=f"{bad}: not valid YAML"):
        load_form_checks(bad)
    good = tmp_path / "good.yaml"
    good.write_text(PACKAGED.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_form_checks(good).profiles.keys() == load_form_checks().profiles.keys()
