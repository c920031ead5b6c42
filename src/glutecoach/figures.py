"""Each exercise's key position as a stick figure: pure data, drawn by the web app (SVG) and
the PDF handout (vector lines), so both show the same picture.

Coordinates are in a 100 x 60 box, y pointing down, the floor at y = 56.
"""

from __future__ import annotations

Point = tuple[float, float]
# head centre, then limbs as polylines; an optional prop (band, weight, step) drawn in accent.
BRIDGE: list[list[Point]] = [[(22, 50), (50, 38), (68, 30), (75, 55)], [(22, 50), (38, 54)]]
LYING: list[Point] = [(18, 47), (50, 47)]
POSES: dict[str, tuple[Point, list[list[Point]], list[list[Point]]]] = {
    "glute_bridge": ((14, 48), BRIDGE, []),
    "banded_glute_bridge": ((14, 48), BRIDGE, [[(63, 29), (63, 36)]]),
    "single_leg_glute_bridge": ((14, 48), [*BRIDGE, [(50, 38), (88, 28)]], []),
    "clamshell": (
        (11, 45),
        [LYING, [(50, 47), (68, 51), (84, 52)], [(50, 47), (66, 33), (84, 50)]],
        [],
    ),
    "banded_clamshell": (
        (11, 45),
        [LYING, [(50, 47), (68, 51), (84, 52)], [(50, 47), (66, 33), (84, 50)]],
        [[(66, 35), (68, 49)]],
    ),
    "side_lying_hip_abduction": ((11, 45), [LYING, [(50, 47), (92, 48)], [(50, 47), (90, 30)]], []),
    "single_leg_deadlift": (
        (14, 27),
        [[(50, 55), (50, 30), (22, 28)], [(50, 30), (82, 25)], [(22, 28), (24, 46)]],
        [[(22, 46), (27, 46)]],
    ),
    "bodyweight_squat": (
        (52, 8),
        [[(50, 14), (42, 36), (62, 40), (56, 55)], [(50, 16), (70, 22)]],
        [],
    ),
    "goblet_squat": (
        (52, 8),
        [[(50, 14), (42, 36), (62, 40), (56, 55)], [(50, 16), (58, 24), (56, 18)]],
        [[(57, 19), (60, 24)]],
    ),
    "low_step_up": (
        (48, 6),
        [[(48, 12), (46, 30), (62, 34), (62, 47)], [(46, 30), (40, 55)]],
        [[(55, 47), (80, 47), (80, 55)]],
    ),
    "step_up": (
        (48, 4),
        [[(48, 10), (46, 26), (62, 30), (62, 42)], [(46, 26), (40, 55)]],
        [[(55, 42), (80, 42), (80, 55)]],
    ),
    "half_kneeling_hip_flexor_stretch": (
        (45, 8),
        [[(45, 14), (45, 38)], [(45, 38), (65, 38), (65, 55)], [(45, 38), (30, 55), (14, 55)]],
        [],
    ),
    "dead_bug": (
        (13, 46),
        [[(20, 48), (50, 48)], [(22, 47), (26, 22)], [(50, 48), (56, 30), (70, 30)]],
        [[(50, 48), (88, 46)]],
    ),
    "bird_dog": (
        (12, 31),
        [[(20, 55), (20, 35), (55, 35), (55, 55)], [(20, 35), (0, 30)], [(55, 35), (92, 32)]],
        [],
    ),
    "side_plank": ((13, 27), [[(90, 55), (50, 41), (20, 30), (20, 55), (32, 55)]], []),
}

FLOOR_Y = 56.0
HEAD_RADIUS = 5.0
PLAIN_FIGURE: tuple[Point, list[list[Point]], list[list[Point]]] = (
    (50, 8),
    [[(50, 14), (50, 38)]],
    [],
)


def pose(exercise_id: str) -> tuple[Point, list[list[Point]], list[list[Point]]]:
    """Head centre, limbs and props of the exercise's figure (a plain figure for unknown ids)."""
    return POSES.get(exercise_id, PLAIN_FIGURE)
