"""Micro-exercises for breaks, read from ``catalog/data/desk_micro.yaml``, and which to suggest."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from glutecoach.errors import CatalogError

DATA_FILE = "desk_micro.yaml"


@dataclass(frozen=True)
class MicroExercise:
    id: str
    name: str
    desk_only: bool
    phases: tuple[int, ...]
    dose: str
    how: str
    sources: tuple[str, ...]
    minimum_dose: bool = False


def _parse(raw: Any, where: str) -> tuple[MicroExercise, ...]:
    if not isinstance(raw, dict) or not isinstance(raw.get("micro"), list):
        raise CatalogError(f"{where}: expected a mapping with a 'micro' list")
    out = []
    for index, item in enumerate(raw["micro"]):
        label = f"{where}: micro[{index}]"
        if not isinstance(item, dict):
            raise CatalogError(f"{label}: expected a mapping")
        try:
            out.append(
                MicroExercise(
                    id=str(item["id"]),
                    name=str(item["name"]),
                    desk_only=bool(item.get("desk_only", False)),
                    phases=tuple(int(p) for p in item["phases"]),
                    dose=str(item["dose"]),
                    how=str(item["how"]),
                    sources=tuple(str(s) for s in item["sources"]),
                    minimum_dose=bool(item.get("minimum_dose", False)),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(
                f"{label} ({item.get('id', '?')}): missing or bad field {exc}"
            ) from None
        if not out[-1].sources:
            raise CatalogError(f"{label} ({out[-1].id}): cite at least one source")
    if sum(1 for m in out if m.minimum_dose) != 1:
        raise CatalogError(f"{where}: exactly one item must be the minimum_dose")
    return tuple(out)


def load_micro(path: Path | None = None) -> tuple[MicroExercise, ...]:
    if path is not None:
        return _parse(yaml.safe_load(path.read_text()), str(path))
    return _load_packaged()


@cache
def _load_packaged() -> tuple[MicroExercise, ...]:
    text = resources.files("glutecoach.catalog").joinpath("data", DATA_FILE).read_text()
    return _parse(yaml.safe_load(text), f"catalog/data/{DATA_FILE}")


def minimum_dose(items: tuple[MicroExercise, ...]) -> MicroExercise:
    return next(m for m in items if m.minimum_dose)


def suggest(items: tuple[MicroExercise, ...], phase: int, turn: int) -> MicroExercise:
    """The micro-exercise for reminder number ``turn`` in ``phase`` (rotates through the list)."""
    fitting = [m for m in items if phase in m.phases and not m.minimum_dose] or list(items)
    return fitting[turn % len(fitting)]
