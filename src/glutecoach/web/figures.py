"""Moving stick figures drawn from the catalog's keyframes (``catalog/data/figures.yaml``).

Each exercise's figure animates between its start and end positions (SVG animation, no
script), draws the end position faintly so a still picture shows both, highlights the moving
part and the target muscle, and is mirrored for the side being worked.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from glutecoach.catalog.figures import Figure, Moving, Part, Point, load_figures

DURATION_S = 4
MIRROR = '<g transform="matrix(-1 0 0 1 100 0)">'
VIEW_WORDS = {"side": "seen from the side", "front": "seen from in front", "above": "from above"}


def _points(points: list[Point]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


def _animate(attribute: str, start: str, end: str) -> str:
    values = f"{start};{end};{start}"
    return (
        f'<animate attributeName="{attribute}" values="{values}" dur="{DURATION_S}s" '
        'repeatCount="indefinite" calcMode="spline" keyTimes="0;0.5;1" '
        'keySplines="0.4 0 0.6 1;0.4 0 0.6 1"/>'
    )


def _part(part: Part) -> str:
    css = {"body": "limb", "moving": "limb moving", "prop": "prop"}[part.kind]
    start = _points(part.start)
    if part.end is None:
        return f'<polyline class="{css}" points="{start}"/>'
    end = _points(part.end)
    return f'<polyline class="{css}" points="{start}">{_animate("points", start, end)}</polyline>'


def _ghost(part: Part) -> str:
    if part.end is None or part.kind == "prop":
        return ""
    return f'<polyline class="ghost" points="{_points(part.end)}"/>'


def _circle(spot: Moving, css: str, r: float) -> str:
    x, y = spot.start
    inner = ""
    if spot.end is not None and spot.end != spot.start:
        inner = _animate("cx", f"{x:g}", f"{spot.end[0]:g}") + _animate(
            "cy", f"{y:g}", f"{spot.end[1]:g}"
        )
    return f'<circle class="{css}" cx="{x:g}" cy="{y:g}" r="{r:g}">{inner}</circle>'


def figure_svg(figure: Figure, label: str, side: str) -> str:
    mirrored = side in ("left", "right") and side != figure.side
    parts = [
        f'<svg class="figure" viewBox="0 0 100 60" role="img" aria-label="{escape(label)}">',
        '<line class="floor" x1="0" y1="56" x2="100" y2="56"/>',
        MIRROR if mirrored else "<g>",
        *(_ghost(p) for p in figure.parts),
        _circle(figure.muscle, "muscle", 4.5),
        *(_part(p) for p in figure.parts),
        _circle(figure.head, "limb head", 5),
        "</g></svg>",
    ]
    return "".join(parts)


def stick_figure(
    exercise_id: str, name: str, side: str = "both", targets: tuple[str, ...] = ()
) -> Markup:
    """The exercise's moving figure with a caption: what moves, seen from where, which
    muscle works, for ``side`` ("left"/"right" mirror the drawing; "both" as drawn)."""
    figure = load_figures().get(exercise_id)
    if figure is None:
        return Markup(
            f'<svg class="figure" viewBox="0 0 100 60" role="img" aria-label="{escape(name)}">'
            '<line class="floor" x1="0" y1="56" x2="100" y2="56"/>'
            '<circle class="limb" cx="50" cy="8" r="5"/>'
            '<polyline class="limb" points="50,14 50,38"/></svg>'
        )
    worked = f", {side} side" if side in ("left", "right") else ""
    label = f"{name}{worked}, {VIEW_WORDS[figure.view]}: {figure.caption}"
    muscle = ", ".join(targets) if targets else "the target muscle"
    legend = (
        '<figcaption><span class="key key-moving" aria-hidden="true"></span> moves · '
        f'<span class="key key-muscle" aria-hidden="true"></span> works: {escape(muscle)}'
        f"<br>{escape(figure.caption)}</figcaption>"
    )
    svg = figure_svg(figure, label, side)
    return Markup(f'<figure class="exercise-figure">{svg}{legend}</figure>')
