"""The export formats: one writer per module in ``glutecoach.export.formats``.

A writer is a :class:`~glutecoach.export.writer.Writer` named ``WRITER`` in its module; adding
a format is adding one file there (it imports ``glutecoach.export.writer``, never this module).
The registry finds them, and :func:`save` writes a writer's bytes to a file without ever
overwriting one or leaving half a file behind.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from glutecoach.errors import InputError
from glutecoach.export.writer import ExportRequest as ExportRequest
from glutecoach.export.writer import Writer as Writer


@cache
def writers() -> dict[str, Writer]:
    """Every writer in ``glutecoach.export.formats``, by format name."""
    from glutecoach.export import formats

    found: dict[str, Writer] = {}
    for info in sorted(pkgutil.iter_modules(formats.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{formats.__name__}.{info.name}")
        writer = getattr(module, "WRITER", None)
        if isinstance(writer, Writer):
            found[writer.name] = writer
    return found


def writer_for(name: str) -> Writer:
    found = writers()
    if name not in found:
        raise InputError(f"unknown export format {name!r}; known formats: {', '.join(found)}")
    writer = found[name]
    missing = [m for m in writer.needs if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(
            f"the {name} export needs {', '.join(missing)}: install it with "
            "`pip install 'glutecoach[export]'`"
        )
    return writer


def check_options(writer: Writer, options: Mapping[str, Any]) -> None:
    """Refuse options the format does not read, instead of silently ignoring them."""
    unused = sorted(k for k, v in options.items() if v is not None and k not in writer.options)
    if unused:
        flags = ", ".join("--" + k.replace("_", "-") for k in unused)
        reads = ", ".join("--" + k.replace("_", "-") for k in writer.options) or "no options"
        raise InputError(f"{flags}: not used by --format {writer.name} (it reads {reads})")


def save(data: bytes, path: Path) -> None:
    """Write ``data`` to a new file ``path``: refuses to overwrite, never leaves a partial file."""
    if path.exists():
        raise InputError(f"{path} already exists; choose another name (nothing was written)")
    if not path.parent.is_dir():
        raise InputError(f"{path.parent} is not a folder; create it first (nothing was written)")
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
