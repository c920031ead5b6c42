"""Load and validate the catalog data files (exercises, rules, sources).

The packaged files live in ``glutecoach/catalog/data``. ``$GLUTECOACH_CATALOG_DIR`` (or the
``directory`` argument) points at a folder whose files replace the packaged ones of the same
name, so a physiotherapist can tune thresholds without touching code. Any problem raises
:class:`~glutecoach.errors.CatalogError` naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from glutecoach.core.catalog import Catalog, Exercise, Rules, Source
from glutecoach.core.program import PROGRAM_EXERCISES
from glutecoach.errors import CatalogError, InputError
from glutecoach.fileio import DuplicateKey, UniqueKeyLoader, read_text_checked
from glutecoach.inputs import MAX_FILE_BYTES, MAX_NESTING, data_shape_problem, text_nesting_depth

CATALOG_DIR_ENV = "GLUTECOACH_CATALOG_DIR"


def _read_yaml(name: str, directory: Path | None) -> tuple[str, Any]:
    if directory is not None and (directory / name).exists():
        path = directory / name
        label = str(path)
        try:
            text = read_text_checked(path, MAX_FILE_BYTES, "catalog YAML file")
        except InputError as exc:
            raise CatalogError(str(exc)) from None
    else:
        resource = resources.files("glutecoach.catalog") / "data" / name
        label = f"glutecoach/catalog/data/{name}"
        text = resource.read_text(encoding="utf-8")
    if text_nesting_depth(text) > MAX_NESTING:
        raise CatalogError(f"{label}: nests more than {MAX_NESTING} levels deep")
    try:
        data = yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass: safe
    except RecursionError:
        raise CatalogError(f"{label}: nests more than {MAX_NESTING} levels deep") from None
    except DuplicateKey as exc:
        raise CatalogError(
            f"{label} at line {exc.line}, column {exc.column}: the key {exc.key!r} appears "
            "twice in one section; keep one"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError(f"{label}{where}: not valid YAML ({problem})") from None
    problem = data_shape_problem(data)
    if problem is not None:
        raise CatalogError(f"{label}: {problem}")
    return label, data


def _location(loc: tuple[int | str, ...], data: Any) -> str:
    """Render a pydantic error location, naming list entries by their ``id`` where they have one."""
    parts: list[str] = []
    node = data
    for key in loc:
        label = str(key)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(key, int) and isinstance(node, dict) and "id" in node:
            label = f"[{key}] (id {node['id']})"
        elif isinstance(key, int):
            label = f"[{key}]"
        parts.append(label)
    return ".".join(parts).replace(".[", "[")


def _validation_message(label: str, exc: ValidationError, data: Any) -> str:
    first = exc.errors()[0]
    extra = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return f"{label}: entry {_location(first['loc'], data)}: {first['msg']}{extra}"


def _require_mapping(label: str, data: Any, key: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise CatalogError(f"{label}: expected a top-level '{key}:' section")
    return data[key]


def load_catalog(directory: Path | str | None = None) -> Catalog:
    """Read, validate and cross-check the catalog; cached per directory."""
    if directory is None:
        env = os.environ.get(CATALOG_DIR_ENV)
        directory = Path(env) if env else None
    return _load_cached(Path(directory) if directory is not None else None)


@lru_cache(maxsize=8)
def _load_cached(directory: Path | None) -> Catalog:
    if directory is not None and not directory.is_dir():
        what = "is not a folder" if directory.exists() else "does not exist"
        raise CatalogError(f"catalog directory {directory} {what} (GLUTECOACH_CATALOG_DIR)")
    sources = _load_sources(directory)
    exercises = _load_exercises(directory)
    rules = _load_rules(directory)
    catalog = Catalog(exercises=exercises, rules=rules, sources=sources)
    _cross_check(catalog, directory)
    return catalog


def _load_sources(directory: Path | None) -> dict[str, Source]:
    label, data = _read_yaml("sources.yaml", directory)
    raw = _require_mapping(label, data, "sources")
    if not isinstance(raw, dict):
        raise CatalogError(f"{label}: 'sources' must map ids to citations")
    out: dict[str, Source] = {}
    for source_id, body in raw.items():
        try:
            out[str(source_id)] = Source.model_validate(body)
        except ValidationError as exc:
            raise CatalogError(
                _validation_message(f"{label}: source {source_id}", exc, body)
            ) from None
    return out


def _load_exercises(directory: Path | None) -> dict[str, Exercise]:
    label, data = _read_yaml("exercises.yaml", directory)
    raw = _require_mapping(label, data, "exercises")
    if not isinstance(raw, list):
        raise CatalogError(f"{label}: 'exercises' must be a list")
    out: dict[str, Exercise] = {}
    for index, body in enumerate(raw):
        name = body.get("id", f"#{index}") if isinstance(body, dict) else f"#{index}"
        try:
            exercise = Exercise.model_validate(body)
        except ValidationError as exc:
            raise CatalogError(
                _validation_message(f"{label}: exercise {name}", exc, body)
            ) from None
        if exercise.id in out:
            raise CatalogError(f"{label}: exercise {exercise.id}: id appears twice")
        out[exercise.id] = exercise
    return out


def _load_rules(directory: Path | None) -> Rules:
    label, data = _read_yaml("rules.yaml", directory)
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_validation_message(label, exc, data)) from None


def _cross_check(catalog: Catalog, directory: Path | None) -> None:
    """References between files must resolve: exercise links, source ids, gate exercises."""
    where = str(directory) if directory else "glutecoach/catalog/data"
    for exercise in catalog.exercises.values():
        for linked in (*exercise.regressions, *exercise.progressions):
            if linked not in catalog.exercises:
                raise CatalogError(
                    f"{where}/exercises.yaml: exercise {exercise.id}: links to unknown "
                    f"exercise {linked!r}"
                )
        _check_sources(catalog, exercise.sources, f"{where}/exercises.yaml: exercise {exercise.id}")
    rules = catalog.rules
    for name in (
        "pain_model",
        "phase_gate",
        "phase1_ladder",
        "double_progression",
        "equipment_increments",
        "regression",
        "screening",
    ):
        rule = getattr(rules, name)
        _check_sources(catalog, rule.sources, f"{where}/rules.yaml: rule {name}")
    for flag in rules.red_flags.flags:
        _check_sources(catalog, flag.sources, f"{where}/rules.yaml: red flag {flag.id}")
    missing = [e for e in PROGRAM_EXERCISES if e not in catalog.exercises]
    if missing:
        raise CatalogError(
            f"{where}/exercises.yaml: the program needs exercise(s) {', '.join(missing)}, "
            "which this catalog lacks; add them (copy them from the packaged catalog)"
        )
    for exercise_id in rules.phase_gate.params.target_dose:
        if exercise_id not in catalog.exercises:
            raise CatalogError(
                f"{where}/rules.yaml: rule phase_gate: target_dose names unknown exercise "
                f"{exercise_id!r}"
            )


def _check_sources(catalog: Catalog, source_ids: tuple[str, ...], what: str) -> None:
    for source_id in source_ids:
        if source_id not in catalog.sources:
            raise CatalogError(f"{what}: cites unknown source {source_id!r}")
