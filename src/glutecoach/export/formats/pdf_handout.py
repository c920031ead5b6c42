"""``export --format pdf`` (and ``glutecoach handout``): the clinician handout."""

from __future__ import annotations

from glutecoach.errors import InputError
from glutecoach.export.record import gather
from glutecoach.export.writer import ExportRequest, Writer


def write_pdf(request: ExportRequest) -> bytes:
    from glutecoach.export.handout import handout_pdf

    paper = str(request.options.get("paper") or "a4").lower()
    if paper not in {"a4", "letter"}:
        raise InputError(f"--paper: expected a4 or letter, got {paper!r}")
    name = request.options.get("name") or None
    if name is not None and not 1 <= len(name.strip()) <= 80:
        raise InputError("--name: give 1 to 80 characters, or leave it out")
    record = gather(request.coach, request.today)
    return handout_pdf(record, paper, name.strip() if name else None)


WRITER = Writer(
    name="pdf",
    suffix=".pdf",
    binary=True,
    summary="a handout for your physiotherapist or GP (same as `glutecoach handout`)",
    write=write_pdf,
    options=("paper", "name"),
    needs=("fpdf",),
)
