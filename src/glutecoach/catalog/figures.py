"""Load and validate the exercise figures (``catalog/data/figures.yaml``): keyframes for a
moving stick figure per exercise. Any problem raises :class:`CatalogError` naming the file,
the figure and what is wrong, as the rest of the catalog does."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from glutecoach.catalog.loader import CATALOG_DIR_ENV, _read_yaml, _validation_message
from glutecoach.errors import CatalogError

FILE = "figures.yaml"
WIDTH, HEIGHT = 100.0, 60.0
Point = tuple[float, float]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _inside(points: list[Point]) -> None:
    for x, y in points:
        if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
            raise ValueError(f"point ({x:g}, {y:g}) is outside the 100 × 60 drawing")


class Moving(_Strict):
    """A position at the start of the movement and, when it moves, at the end."""

    start: Point
    end: Point | None = None

    @model_validator(mode="after")
    def _in_box(self) -> Moving:
        _inside([self.start, *([self.end] if self.end else [])])
        return self


class Part(_Strict):
    kind: Literal["body", "moving", "prop"] = "body"
    start: list[Point] = Field(min_length=2)
    end: list[Point] | None = None

    @model_validator(mode="after")
    def _same_shape(self) -> Part:
        _inside([*self.start, *(self.end or [])])
        if self.end is not None and len(self.end) != len(self.start):
            raise ValueError(
                f"end has {len(self.end)} points but start has {len(self.start)}: "
                "keyframes need the same number of points"
            )
        if self.kind == "moving" and (self.end is None or self.end == self.start):
            raise ValueError("a moving part needs an end pose that differs from its start")
        return self


class Figure(_Strict):
    exercise: str
    view: Literal["side", "front", "above"]
    caption: str = Field(min_length=10)
    side: Literal["left", "right"] = Field(
        default="left", description="The side the drawing works; the other side is mirrored"
    )
    head: Moving
    muscle: Moving
    parts: list[Part] = Field(min_length=1)

    @model_validator(mode="after")
    def _something_moves(self) -> Figure:
        if not any(p.kind == "moving" for p in self.parts):
            raise ValueError("no part moves: mark the moving part with kind: moving")
        return self


class FigureFile(_Strict):
    version: Literal[1]
    figures: list[Figure]


def load_figures(directory: Path | str | None = None) -> dict[str, Figure]:
    """Every figure by exercise id (``$GLUTECOACH_CATALOG_DIR`` may replace the file)."""
    import os

    chosen = directory or os.environ.get(CATALOG_DIR_ENV)
    return _load_cached(Path(chosen) if chosen else None)


@lru_cache(maxsize=8)
def _load_cached(directory: Path | None) -> dict[str, Figure]:
    label, data = _read_yaml(FILE, directory)
    try:
        parsed = FigureFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_validation_message(label, exc, data)) from None
    figures: dict[str, Figure] = {}
    for figure in parsed.figures:
        if figure.exercise in figures:
            raise CatalogError(f"{label}: figure {figure.exercise}: appears twice")
        figures[figure.exercise] = figure
    return figures
