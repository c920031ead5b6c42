"""Exercise figures come from catalog keyframes: every exercise has one, a bad file is named
precisely, and the drawing moves, highlights and mirrors as the data says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glutecoach.catalog.figures import load_figures
from glutecoach.catalog.loader import load_catalog
from glutecoach.errors import CatalogError
from glutecoach.web.figures import stick_figure


def test_every_catalog_exercise_brings_its_figure() -> None:
    catalog = load_catalog()
    figures = load_figures()
    assert set(catalog.exercises) <= set(figures), "exercises without a figure in figures.yaml"
    assert set(figures) <= set(catalog.exercises), "figures for exercises that don't exist"


GOOD = """
version: 1
figures:
  - exercise: clamshell
    view: front
    caption: The top knee opens, feet together.
    head: {start: [11, 45]}
    muscle: {start: [47, 41]}
    parts:
      - {kind: moving, start: [[50, 46], [68, 48]], end: [[50, 46], [63, 31]]}
"""


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("end: [[50, 46], [63, 31]]", "end: [[50, 46]]"),
        (
            "{kind: moving, start: [[50, 46], [68, 48]], end: [[50, 46], [63, 31]]}",
            "{kind: moving, start: [[50, 46], [68, 48]]}",
        ),
        ("[63, 31]", "[163, 31]"),
        ("view: front", "view: sideways"),
    ],
)
def test_a_bad_figure_file_names_the_figure_and_the_problem(
    tmp_path: Path, change: str, problem: str
) -> None:
    (tmp_path / "figures.yaml").write_text(GOOD.replace(change, problem))
    with pytest.raises(CatalogError) as err:
        load_figures(tmp_path)
    message = str(err.value)
    assert str(tmp_path / "figures.yaml") in message and "figures[0]" in message, message


def test_the_good_file_loads(tmp_path: Path) -> None:
    (tmp_path / "figures.yaml").write_text(GOOD)
    assert load_figures(tmp_path)["clamshell"].view == "front"


def test_the_clamshell_opens_its_knee_and_mirrors_for_the_other_side() -> None:
    left = str(stick_figure("clamshell", "Clamshell", "left", ("gluteus medius",)))
    right = str(stick_figure("clamshell", "Clamshell", "right", ("gluteus medius",)))
    figure = load_figures()["clamshell"]
    moving = next(p for p in figure.parts if p.kind == "moving")
    assert moving.end is not None
    start = " ".join(f"{x:g},{y:g}" for x, y in moving.start)
    end = " ".join(f"{x:g},{y:g}" for x, y in moving.end)
    animation = re.search(
        r'class="limb moving" points="([^"]+)"><animate attributeName="points" values="([^"]+)"',
        left,
    )
    assert animation is not None
    assert animation.group(1) == start and animation.group(2) == f"{start};{end};{start}"
    assert 'class="muscle"' in left and "works: gluteus medius" in left
    assert "matrix(-1 0 0 1 100 0)" not in left  # drawn working the left side
    assert "matrix(-1 0 0 1 100 0)" in right  # mirrored for the right
    assert "Clamshell, right side, seen from in front" in right
