"""``export --format json``: the whole database, every person, losing nothing (see jsonio)."""

from __future__ import annotations

from glutecoach.backup_services import export_document
from glutecoach.export.jsonio import write_document
from glutecoach.export.writer import ExportRequest, Writer


def write_json(request: ExportRequest) -> bytes:
    document = export_document(request.coach.store, request.now)
    return write_document(document, None).encode("utf-8")


WRITER = Writer(
    name="json",
    suffix=".json",
    binary=False,
    summary="everything in the database (every person), for backup and `glutecoach import`",
    write=write_json,
)
