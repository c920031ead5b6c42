"""Read UI-PRMD Kinect recordings (shared/data/ui-prmd) into named-joint series.

Positions are stored relative to each joint's parent, in the parent's local frame; absolute
positions need forward kinematics with the angles file (README of the data set):
R_j = Rz(θz)·Rx(θx)·Ry(θy); G_0 = R_0, G_j = G_parent·R_j; P_0 = p_0, P_j = P_parent + G_parent·p_j.
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from glutecoach.vision.errors import DatasetError
from glutecoach.vision.joints import FloatArray, PoseSeries
from glutecoach.vision.skeletons import KINECT_JOINTS, from_kinect

ENV_VAR = "GLUTECOACH_UIPRMD_DIR"
FPS = 30.0
PARENTS: tuple[int, ...] = (
    -1,
    0,
    1,
    2,
    3,
    4,
    2,
    6,
    7,
    8,
    2,
    10,
    11,
    12,
    0,
    14,
    15,
    16,
    0,
    18,
    19,
    20,
)
MOVEMENT_NAMES: dict[str, str] = {
    "m01": "deep squat",
    "m02": "hurdle step",
    "m03": "inline lunge",
    "m04": "side lunge",
    "m05": "sit to stand",
    "m06": "standing active straight leg raise",
    "m07": "standing shoulder abduction",
    "m08": "standing shoulder extension",
    "m09": "standing shoulder internal-external rotation",
    "m10": "standing shoulder scaption",
}
_FILE = re.compile(r"^(m\d\d)_(s\d\d)_(e\d\d)_positions(_inc)?\.txt(\.gz)?$")
_CORRECT = "Segmented_Movements"
_INCORRECT = "Incorrect_Segmented_Movements"


def default_root(repo_root: Path) -> Path:
    """shared/data/ui-prmd beside the repository, unless GLUTECOACH_UIPRMD_DIR says otherwise."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    return Path(repo_root).parent / "shared" / "data" / "ui-prmd"


@dataclass(frozen=True)
class Repetition:
    movement: str
    subject: str
    episode: str
    correct: bool
    positions_path: Path

    @property
    def angles_path(self) -> Path:
        name = self.positions_path.name.replace("_positions", "_angles")
        return self.positions_path.parent.parent / "Angles" / name

    def load(self) -> PoseSeries:
        joints = forward_kinematics(_read_table(self.positions_path), _read_table(self.angles_path))
        return from_kinect(joints, FPS, source=str(self.positions_path))


def _read_table(path: Path) -> FloatArray:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt") as handle:
            table = np.loadtxt(handle, delimiter=",", ndmin=2)
    except (OSError, ValueError, EOFError) as exc:
        raise DatasetError(f"{path}: cannot read ({exc})") from exc
    if table.shape[1] != 3 * KINECT_JOINTS:
        raise DatasetError(f"{path}: expected {3 * KINECT_JOINTS} columns, found {table.shape[1]}")
    return table.reshape(-1, KINECT_JOINTS, 3)


def _rotations(angles_deg: FloatArray) -> FloatArray:
    """(..., 3) angles (θx, θy, θz) in degrees -> (..., 3, 3) Rz·Rx·Ry."""
    ax, ay, az = np.moveaxis(np.radians(angles_deg), -1, 0)
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    one, zero = np.ones_like(ax), np.zeros_like(ax)
    rx = np.stack([one, zero, zero, zero, cx, -sx, zero, sx, cx], -1).reshape(*ax.shape, 3, 3)
    ry = np.stack([cy, zero, sy, zero, one, zero, -sy, zero, cy], -1).reshape(*ax.shape, 3, 3)
    rz = np.stack([cz, -sz, zero, sz, cz, zero, zero, zero, one], -1).reshape(*ax.shape, 3, 3)
    rotations: FloatArray = rz @ rx @ ry
    return rotations


def forward_kinematics(relative: FloatArray, angles_deg: FloatArray) -> FloatArray:
    """(frames, 22, 3) relative positions + angles -> (frames, 22, 3) absolute positions."""
    if relative.shape != angles_deg.shape:
        raise DatasetError("positions and angles files differ in shape")
    local = _rotations(angles_deg)
    glob = np.empty_like(local)
    absolute = np.empty_like(relative)
    glob[:, 0], absolute[:, 0] = local[:, 0], relative[:, 0]
    for j in range(1, KINECT_JOINTS):
        parent = PARENTS[j]
        glob[:, j] = glob[:, parent] @ local[:, j]
        absolute[:, j] = absolute[:, parent] + np.einsum(
            "fij,fj->fi", glob[:, parent], relative[:, j]
        )
    return absolute


def list_repetitions(root: Path) -> list[Repetition]:
    """Every repetition under root (correct and incorrect), sorted; DatasetError if none."""
    reps: list[Repetition] = []
    for folder, correct in ((_CORRECT, True), (_INCORRECT, False)):
        positions_dir = Path(root) / folder / "Kinect" / "Positions"
        if not positions_dir.is_dir():
            continue
        for path in sorted(positions_dir.iterdir()):
            match = _FILE.match(path.name)
            if match and bool(match.group(4)) == correct:
                continue
            if match:
                movement, subject, episode = match.group(1, 2, 3)
                reps.append(Repetition(movement, subject, episode, correct, path))
    if not reps:
        raise DatasetError(
            f"{root}: no UI-PRMD repetitions found (expected "
            f"{_CORRECT}/Kinect/Positions/mXX_sYY_eZZ_positions.txt[.gz])"
        )
    return reps


def groups(reps: list[Repetition]) -> Iterator[tuple[tuple[str, str, bool], list[Repetition]]]:
    """Repetitions grouped by (movement, subject, correct), each group in episode order."""
    keyed: dict[tuple[str, str, bool], list[Repetition]] = {}
    for rep in reps:
        keyed.setdefault((rep.movement, rep.subject, rep.correct), []).append(rep)
    for key in sorted(keyed):
        yield key, sorted(keyed[key], key=lambda r: r.episode)
