"""What the person's equipment allows: the loads they own, bands, the step, what to get next.

Loads only ever move to weights the person has. When they have not said what they own, the
catalog's increments up to an assumed ``max_kg`` stand in (and the coach asks them to say).
"""

from __future__ import annotations

from glutecoach.core.catalog import Catalog, Exercise, Increment
from glutecoach.core.models import BandStrength, Equipment, OwnedEquipment

LOAD_EQUIPMENT_PREFERENCE = (Equipment.DUMBBELLS, Equipment.KETTLEBELL)


def available(exercise: Exercise, equipment: tuple[Equipment, ...]) -> bool:
    """Whether the person has what the exercise needs (``none`` is always at hand)."""
    have = {*equipment, Equipment.NONE}
    return all(item in have for item in exercise.equipment)


def _default_weights(increment: Increment) -> list[float]:
    out = []
    load = increment.first_kg
    while load <= increment.max_kg + 1e-9:
        out.append(round(load, 2))
        load += increment.step_kg
    return out


def _owned_weights(item: Equipment, owned: OwnedEquipment | None) -> tuple[float, ...]:
    if owned is None:
        return ()
    if item is Equipment.DUMBBELLS:
        return owned.dumbbell_pairs_kg
    if item is Equipment.KETTLEBELL:
        return owned.kettlebells_kg
    return ()


def load_options(
    exercise: Exercise,
    equipment: tuple[Equipment, ...],
    owned: OwnedEquipment | None,
    catalog: Catalog,
) -> tuple[float, ...]:
    """Every load (kg) the person can use for this exercise, lightest first.

    Once the person has listed any weights in ``owned``, those are exactly what they have; with
    no weights listed, a ticked kind of equipment uses the catalog's steps up to the assumed
    maximum.
    """
    increments = catalog.rules.equipment_increments.params
    listed = owned is not None and bool(owned.dumbbell_pairs_kg or owned.kettlebells_kg)
    loads: set[float] = set()
    for item in LOAD_EQUIPMENT_PREFERENCE:
        if item not in exercise.load_equipment:
            continue
        if listed:
            loads.update(_owned_weights(item, owned))
        elif item in equipment and item.value in increments:
            loads.update(_default_weights(increments[item.value]))
    return tuple(sorted(loads))


def ownership_known(owned: OwnedEquipment | None) -> bool:
    """Whether the person listed the weights they own (else loads are assumed)."""
    return owned is not None and bool(owned.dumbbell_pairs_kg or owned.kettlebells_kg)


def next_load(options: tuple[float, ...], current: float) -> float | None:
    return next((w for w in options if w > current + 1e-9), None)


def lower_load(options: tuple[float, ...], current: float) -> float:
    """The next lighter load owned (0 = bodyweight when there is none lighter)."""
    lighter = [w for w in options if w < current - 1e-9]
    return lighter[-1] if lighter else 0.0


def load_at_most(options: tuple[float, ...], target: float) -> float:
    """The heaviest owned load not above ``target`` (0 = bodyweight)."""
    fitting = [w for w in options if w <= target + 1e-9]
    return fitting[-1] if fitting else 0.0


def suggest_next(
    exercise: Exercise, equipment: tuple[Equipment, ...], catalog: Catalog, heaviest: float
) -> str:
    """What to get next to keep adding load: one step above the heaviest owned."""
    increments = catalog.rules.equipment_increments.params
    ideas = []
    for item in LOAD_EQUIPMENT_PREFERENCE:
        if item not in exercise.load_equipment or item.value not in increments:
            continue
        step = increments[item.value].step_kg
        target = (int(heaviest / step + 1e-9) + 1) * step
        word = "dumbbell pair" if item is Equipment.DUMBBELLS else "kettlebell"
        ideas.append(f"a {target:g} kg {word}")
    return " or ".join(ideas) if ideas else "a heavier weight"


def bands_owned(
    equipment: tuple[Equipment, ...], owned: OwnedEquipment | None, catalog: Catalog
) -> tuple[BandStrength, ...]:
    """Band strengths at hand, lightest first (a ticked band with no strengths: one light band)."""
    if Equipment.BAND not in equipment and not (owned and owned.bands):
        return ()
    order = catalog.rules.band_progression.params.order
    have = set(owned.bands) if owned and owned.bands else {order[0]}
    return tuple(b for b in order if b in have)


def next_band(current: BandStrength | None, bands: tuple[BandStrength, ...]) -> BandStrength | None:
    if not bands:
        return None
    if current is None:
        return bands[0]
    later = [b for b in bands if bands.index(b) > bands.index(current)] if current in bands else []
    return later[0] if later else None


def step_allows(exercise: Exercise, owned: OwnedEquipment | None, catalog: Catalog) -> bool:
    """A harder step exercise (one that regresses to a step exercise) needs a high enough step,
    when the step's height is known."""
    if Equipment.STEP not in exercise.equipment or owned is None or owned.step_height_cm is None:
        return True
    harder = any(Equipment.STEP in catalog.exercise(r).equipment for r in exercise.regressions)
    return not harder or owned.step_height_cm >= (
        catalog.rules.double_progression.params.high_step_min_cm
    )
