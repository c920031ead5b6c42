"""The micro-exercise data: valid, tied to the catalog and its sources, suggested per phase."""

from __future__ import annotations

from pathlib import Path

import pytest

from glutecoach.catalog.loader import load_catalog
from glutecoach.desk.micro import load_micro, minimum_dose, suggest
from glutecoach.errors import CatalogError


def test_items_exist_in_the_catalog_and_cite_its_sources() -> None:
    catalog = load_catalog()
    items = load_micro()
    ids = {m.id for m in items}
    assert {"glute_squeeze", "walk", "half_kneeling_hip_flexor_stretch"} <= ids
    assert {"glute_bridge", "bodyweight_squat"} <= ids
    for item in items:
        if not item.desk_only:
            assert item.id in catalog.exercises, item.id
        for source in item.sources:
            assert source in catalog.sources, (item.id, source)
    cited = {s for m in items for s in m.sources}
    assert {"healy2008", "dunstan2012", "duran2023", "buckley2015"} <= cited


def test_suggestions_follow_the_phase_and_rotate() -> None:
    items = load_micro()
    phase1 = {suggest(items, 1, turn).id for turn in range(10)}
    phase2 = {suggest(items, 2, turn).id for turn in range(10)}
    assert "glute_bridge" in phase1 and "bodyweight_squat" not in phase1
    assert "bodyweight_squat" in phase2 and "glute_bridge" not in phase2
    assert suggest(items, 1, 0) != suggest(items, 1, 1)
    assert minimum_dose(items).id == "glute_squeeze"


def test_a_bad_file_names_the_item(tmp_path: Path) -> None:
    path = tmp_path / "micro.yaml"
    path.write_text("micro:\n  - id: x\n    name: X\n")
    with pytest.raises(CatalogError, match=r"micro\[0\] \(x\)"):
        load_micro(path)
    path.write_text("nothing: here\n")
    with pytest.raises(CatalogError, match="'micro' list"):
        load_micro(path)
