"""Micro-exercises for breaks, read from ``catalog/data/desk_micro.yaml``, and which to suggest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from glutecoach.errors import CatalogError

DATA_FILE = "desk_micro.yaml"
PLACES = ("desk", "standing", "floor")
WHERE = ("auto", "office", "home")
"""Where the person is: ``office`` offers desk and standing items, ``home`` floor work too;
``auto`` is the office during working hours (Mon-Fri 08:00-18:00 local), else home."""
WORK_HOURS = (dt.time(8, 0), dt.time(18, 0))


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
    place: str = "desk"
    emphasis: tuple[str, ...] = ()


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
                    place=str(item["place"]),
                    emphasis=tuple(str(e) for e in item.get("emphasis") or ()),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(
                f"{label} ({item.get('id', '?')}): missing or bad field {exc}"
            ) from None
        if out[-1].place not in PLACES:
            raise CatalogError(
                f"{label} ({out[-1].id}): place {out[-1].place!r} is not one of {', '.join(PLACES)}"
            )
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


def at_office(where: str, now: dt.datetime) -> bool:
    """Is the person at the office (no floor work)? ``auto``: Mon-Fri within working hours."""
    if where == "office":
        return True
    if where == "home":
        return False
    start, end = WORK_HOURS
    return now.weekday() < 5 and start <= now.time().replace(tzinfo=None) < end


def fitting(items: tuple[MicroExercise, ...], phase: int, office: bool) -> list[MicroExercise]:
    """The items for this phase that can be done here (no floor work at the office)."""
    usable = [m for m in items if phase in m.phases and not m.minimum_dose]
    if office:
        usable = [m for m in usable if m.place != "floor"]
    return usable or [minimum_dose(items)]


@dataclass
class Rotation:
    """Which micro-exercise comes next: fitted to the place, the phase and the emphasis.

    Items that serve one of the screening's emphases come every other turn; the rest rotate in
    between. The turn advances only when a new exercise is asked for (a snooze keeps the one
    shown: the daemon asks again only for a new reminder)."""

    items: tuple[MicroExercise, ...]
    phase: int = 1
    emphasis: tuple[str, ...] = ()
    where: str = "auto"
    turn: int = field(default=0)

    def next(self, now: dt.datetime) -> MicroExercise:
        usable = fitting(self.items, self.phase, at_office(self.where, now))
        wanted = [m for m in usable if set(m.emphasis) & set(self.emphasis)]
        others = [m for m in usable if m not in wanted] or usable
        turn, self.turn = self.turn, self.turn + 1
        if not wanted:
            return usable[turn % len(usable)]
        if turn % 2 == 0:
            return wanted[(turn // 2) % len(wanted)]
        return others[(turn // 2) % len(others)]
