"""Read user-supplied JSON/YAML files into validated models, with errors that say where."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from glutecoach.errors import InputError
from glutecoach.inputs import MAX_FILE_BYTES, MAX_NESTING, data_shape_problem, text_nesting_depth

M = TypeVar("M", bound=BaseModel)


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (else the last wins)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:
            continue  # an unhashable key: the constructor itself reports it
        if duplicate:
            mark = key_node.start_mark
            raise DuplicateKey(key, mark.line + 1, mark.column + 1)
        seen.add(key)
    return loader.construct_mapping(node)


class DuplicateKey(Exception):
    def __init__(self, key: Any, line: int, column: int) -> None:
        super().__init__(key)
        self.key, self.line, self.column = key, line, column


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _unique_json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key, 0, 0)
        out[key] = value
    return out


def read_text_checked(path: Path, max_bytes: int, what: str = "file") -> str:
    """The file's text, refused (InputError naming it) when missing, a folder, too large,
    binary or not UTF-8: checked before anything is parsed."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a {what}")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if size > max_bytes:
        raise InputError(
            f"{path}: {size:,} bytes is too large for a {what} (at most {max_bytes:,})"
        )
    try:
        raw = path.read_bytes()[: max_bytes + 1]
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if b"\x00" in raw:
        raise InputError(f"{path}: is a binary file, not a text {what}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def read_data(path: Path, max_bytes: int = MAX_FILE_BYTES, max_nodes: int | None = None) -> Any:
    """Parse ``path`` as JSON (``.json``) or YAML (anything else); errors name line and column.

    Size, nesting depth and duplicate keys are refused with a message naming the file; the
    depth is checked before parsing so a hostile file cannot exhaust the stack or memory.
    """
    text = read_text_checked(path, max_bytes)
    if text_nesting_depth(text) > MAX_NESTING:
        raise InputError(
            f"{path}: nests more than {MAX_NESTING} levels deep; not a glutecoach file"
        )
    try:
        data = _parse(path, text)
    except RecursionError:
        raise InputError(
            f"{path}: nests more than {MAX_NESTING} levels deep; not a glutecoach file"
        ) from None
    except DuplicateKey as exc:
        where = f" at line {exc.line}, column {exc.column}" if exc.line else ""
        raise InputError(
            f"{path}: the key {exc.key!r} appears twice in one section{where}; keep one"
        ) from None
    problem = data_shape_problem(data, max_nodes)
    if problem is not None:
        raise InputError(f"{path}: {problem}; not a glutecoach file")
    return data


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text, object_pairs_hook=_unique_json_object)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
            ) from None
        except ValueError as exc:  # a number too long to convert
            raise InputError(f"{path}: not valid JSON ({exc})") from None
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass: safe
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


def load_model_file(path: Path, model: type[M], max_bytes: int = MAX_FILE_BYTES) -> M:
    return validate(model, read_data(path, max_bytes), str(path))
