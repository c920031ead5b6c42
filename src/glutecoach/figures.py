"""Each exercise's key position as a still stick figure, for drawings that can't move (the PDF
handout). The drawing comes from the catalog's keyframes (``catalog/data/figures.yaml``), the
same data the web app animates, so every picture of an exercise agrees.

Coordinates are in a 100 x 60 box, y pointing down, the floor at y = 56.
"""

from __future__ import annotations

from glutecoach.catalog.figures import Part, load_figures

Point = tuple[float, float]
Pose = tuple[Point, list[list[Point]], list[list[Point]]]

FLOOR_Y = 56.0
HEAD_RADIUS = 5.0
PLAIN_FIGURE: Pose = ((50, 8), [[(50, 14), (50, 38)]], [])


def _key(part: Part) -> list[Point]:
    """The end of the movement (the bridge's top, the clamshell's open knee) where it moves."""
    return list(part.end if part.end is not None else part.start)


def pose(exercise_id: str) -> Pose:
    """Head centre, limbs and props of the exercise's key position (plain for unknown ids)."""
    figure = load_figures().get(exercise_id)
    if figure is None:
        return PLAIN_FIGURE
    head = figure.head.end if figure.head.end is not None else figure.head.start
    limbs = [_key(p) for p in figure.parts if p.kind != "prop"]
    props = [_key(p) for p in figure.parts if p.kind == "prop"]
    return head, limbs, props
