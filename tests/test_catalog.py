"""The catalog is data: it must load, cross-reference, cite sources, and fail clearly."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.catalog import Catalog
from glutecoach.errors import CatalogError

REQUIRED = {
    "glute_bridge",
    "clamshell",
    "single_leg_deadlift",
    "goblet_squat",
    "step_up",
    "half_kneeling_hip_flexor_stretch",
    "dead_bug",
    "bird_dog",
    "side_plank",
    "banded_glute_bridge",
    "single_leg_glute_bridge",
    "banded_clamshell",
    "side_lying_hip_abduction",
    "bodyweight_squat",
    "low_step_up",
}


def test_catalog_has_the_programs_exercises(catalog: Catalog) -> None:
    assert set(catalog.exercises) >= REQUIRED


def test_every_exercise_and_rule_cites_a_known_source(catalog: Catalog) -> None:
    for exercise in catalog.exercises.values():
        assert exercise.sources, exercise.id
        assert all(s in catalog.sources for s in exercise.sources), exercise.id
    for name, rule in catalog.rules:
        assert rule.sources if hasattr(rule, "sources") else rule.flags, name
    for flag in catalog.rules.red_flags.flags:
        assert flag.sources and all(s in catalog.sources for s in flag.sources)


def test_single_leg_deadlift_load_is_held_opposite_the_standing_leg(catalog: Catalog) -> None:
    sldl = catalog.exercise("single_leg_deadlift")
    assert set(sldl.load_equipment) >= {"dumbbells", "kettlebell"}
    assert any("opposite" in cue for cue in sldl.cues)


def test_bridge_starts_with_a_posterior_pelvic_tilt(catalog: Catalog) -> None:
    assert "tailbone" in catalog.exercise("glute_bridge").cues[0].lower()


def test_emergency_red_flags_cover_cauda_equina_signs(catalog: Catalog) -> None:
    emergency = {f.id for f in catalog.rules.red_flags.flags if f.group == "emergency"}
    assert {"bladder_bowel_change", "saddle_numbness", "both_legs_weak_or_numb"} <= emergency


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    target.mkdir()
    data = resources.files("glutecoach.catalog") / "data"
    for name in ("exercises.yaml", "rules.yaml", "sources.yaml"):
        with resources.as_file(data / name) as path:
            shutil.copy(path, target / name)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_copy_of_the_packaged_catalog_loads(catalog_copy: Path) -> None:
    assert load_catalog(catalog_copy).exercises.keys() >= REQUIRED


def test_bad_field_names_file_entry_and_problem(catalog_copy: Path) -> None:
    _replace(catalog_copy / "exercises.yaml", "phase: 1\n", "phase: 7\n")
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    message = str(err.value)
    assert "exercises.yaml" in message and "glute_bridge" in message and "phase" in message


def test_broken_yaml_names_the_line(catalog_copy: Path) -> None:
    _replace(catalog_copy / "rules.yaml", "pain_model:\n", "pain_model: [\n")
    with pytest.raises(CatalogError, match=r"rules.yaml at line \d+"):
        load_catalog(catalog_copy)


def test_unknown_progression_link_is_refused(catalog_copy: Path) -> None:
    _replace(
        catalog_copy / "exercises.yaml",
        "progressions: [banded_glute_bridge,",
        "progressions: [flying_bridge,",
    )
    with pytest.raises(
        CatalogError, match="glute_bridge: links to unknown exercise 'flying_bridge'"
    ):
        load_catalog(catalog_copy)


def test_unknown_source_is_refused(catalog_copy: Path) -> None:
    _replace(
        catalog_copy / "rules.yaml",
        "sources: [silbernagel2007, childs2005]",
        "sources: [silbernagel2099]",
    )
    with pytest.raises(CatalogError, match="pain_model: cites unknown source 'silbernagel2099'"):
        load_catalog(catalog_copy)


def test_rule_parameter_out_of_range_is_refused(catalog_copy: Path) -> None:
    _replace(catalog_copy / "rules.yaml", "max_increase_pct: 10", "max_increase_pct: 300")
    with pytest.raises(CatalogError, match=r"double_progression\.params\.max_increase_pct"):
        load_catalog(catalog_copy)


def test_malformed_catalog_via_cli_exits_2_without_traceback(
    catalog_copy: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _replace(catalog_copy / "exercises.yaml", "sets: 3, reps: 10", "sets: many, reps: 10")
    monkeypatch.setenv("GLUTECOACH_CATALOG_DIR", str(catalog_copy))
    result = run("catalog", "list")
    assert result.exit_code == 2
    assert "Error:" in result.output and "exercises.yaml" in result.output
    assert "Traceback" not in result.output


def test_catalog_commands(run) -> None:
    listed = run("catalog", "list", "--json")
    assert listed.exit_code == 0
    import json

    ids = {e["id"] for e in json.loads(listed.stdout)}
    assert ids >= REQUIRED
    shown = run("catalog", "show", "clamshell")
    assert "feet" in shown.output.lower() and shown.exit_code == 0
    missing = run("catalog", "show", "moonwalk")
    assert missing.exit_code == 2 and "unknown exercise 'moonwalk'" in missing.output
