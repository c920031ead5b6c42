"""A small stick-figure SVG per exercise (no external images): one key position each."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from glutecoach.figures import Point, pose


def _polyline(points: list[Point], css: str) -> str:
    coords = " ".join(f"{x:g},{y:g}" for x, y in points)
    return f'<polyline class="{css}" points="{coords}"/>'


def stick_figure(exercise_id: str, name: str) -> Markup:
    """An inline SVG of the exercise's key position (a plain figure for unknown ids)."""
    head, limbs, props = pose(exercise_id)
    parts = [
        f'<svg class="figure" viewBox="0 0 100 60" role="img" aria-label="{escape(name)}">',
        '<line class="floor" x1="0" y1="56" x2="100" y2="56"/>',
        f'<circle class="limb" cx="{head[0]:g}" cy="{head[1]:g}" r="5"/>',
        *(_polyline(limb, "limb") for limb in limbs),
        *(_polyline(prop, "prop") for prop in props),
        "</svg>",
    ]
    return Markup("".join(parts))
