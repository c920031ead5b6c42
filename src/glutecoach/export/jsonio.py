"""The backup document as a file: write it (new, 0600, whole or not at all) and read it back.

The document's schema and checks are ``glutecoach.backup``; reading it from the database and
writing it into one (one transaction, all or nothing, never overwriting) is
``glutecoach.backup_services``. A file is validated as a whole before anything is written.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Collection
from pathlib import Path

from glutecoach.backup import FORMAT, VERSION, ExportDocument, document_problems
from glutecoach.errors import InputError
from glutecoach.fileio import read_data, validate
from glutecoach.inputs import MAX_IMPORT_BYTES, MAX_IMPORT_NODES
from glutecoach.paths import create_private_file

__all__ = ["ExportDocument", "read_document", "write_document"]


def write_document(document: ExportDocument, path: Path | None) -> str:
    """The document as JSON text; written to ``path`` (new, 0600, never overwriting) if given."""
    text = json.dumps(document.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if path is not None:
        _write_new_private(path, text)
    return text


def _write_new_private(path: Path, text: str) -> None:
    """Write ``text`` to a new 0600 file at ``path`` whole or not at all; never overwrite."""
    if path.exists() or path.is_symlink():
        raise InputError(f"{path} already exists; choose another name (nothing was written)")
    if not path.parent.is_dir():
        what = "is not a folder" if path.parent.exists() else "does not exist"
        raise InputError(
            f"{path}: {path.parent} {what}; create the folder or choose another place "
            "(nothing was written)"
        )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fd = create_private_file(tmp)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, path)
    except FileExistsError:
        raise InputError(
            f"{path} already exists; choose another name (nothing was written)"
        ) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be written ({exc.strerror}); nothing was written"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _publish(tmp: Path, path: Path) -> None:
    """Give the finished file its name; a hard link fails if the name was taken meanwhile."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if path.exists():  # a file system without hard links: check, then rename
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)


def read_document(path: Path, known_exercises: Collection[str] | None = None) -> ExportDocument:
    """Read and validate a whole export; every problem names its place (nothing is written)."""
    data = read_data(path, MAX_IMPORT_BYTES, MAX_IMPORT_NODES)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f'{path}: not a glutecoach export (expected "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise InputError(
            f"{path}: export version {data.get('version')!r} is not supported by this "
            f"glutecoach (it reads version {VERSION}); upgrade glutecoach"
        )
    document = validate(ExportDocument, data, str(path))
    problems = document_problems(document, known_exercises)
    if problems:
        shown = "\n  ".join(problems[:8])
        more = f"\n  ... and {len(problems) - 8} more" if len(problems) > 8 else ""
        raise InputError(f"{path}: cannot be imported (nothing was written)\n  {shown}{more}")
    return document
