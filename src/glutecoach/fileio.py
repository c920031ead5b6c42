"""Read user-supplied JSON/YAML files into validated models, with errors that say where."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from glutecoach.errors import InputError

M = TypeVar("M", bound=BaseModel)


def read_data(path: Path) -> Any:
    """Parse ``path`` as JSON (``.json``) or YAML (anything else); errors name line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(f"{path}: not valid YAML{where}") from None


def describe_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """One line per problem: the field's dotted path, what is wrong, and the value given."""
    lines = []
    for error in exc.errors()[:8]:
        loc = ".".join(str(part) for part in error["loc"] if not str(part).startswith("function"))
        got = error.get("input")
        shown = "" if isinstance(got, dict | list) or got is None else f" (got {got!r})"
        lines.append(f"{prefix}{loc or '(top level)'}: {error['msg']}{shown}")
    if exc.error_count() > 8:
        lines.append(f"... and {exc.error_count() - 8} more")
    return "\n  ".join(lines)


def validate(model: type[M], data: Any, where: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{where}: invalid\n  {describe_validation_error(exc)}") from None


def load_model_file(path: Path, model: type[M]) -> M:
    return validate(model, read_data(path), str(path))
