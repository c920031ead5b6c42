"""`glutecoach settings`, `export` and `import`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from glutecoach.backup import ExportDocument
from glutecoach.backup_services import export_document, import_document
from glutecoach.cli.context import AppContext, json_option, pass_app, print_json
from glutecoach.cli.export_cmd import format_options, run_export
from glutecoach.export.jsonio import read_document, write_document
from glutecoach.settings import SETTINGS


@click.group(name="settings", invoke_without_command=True)
@json_option
@pass_app
@click.pass_context
def settings_group(ctx: click.Context, app: AppContext, as_json: bool) -> None:
    """Show your settings, or change one with `glutecoach settings set NAME VALUE`."""
    if ctx.invoked_subcommand is not None:
        return
    values = app.coach.settings()
    if as_json:
        print_json(values)
        return
    table = Table()
    for column in ("name", "value", "meaning"):
        table.add_column(column)
    for setting in SETTINGS:
        table.add_row(setting.name, str(values[setting.name]), setting.help)
    app.console.print(table)


@settings_group.command(name="set")
@click.argument("name", type=click.Choice([s.name for s in SETTINGS]))
@click.argument("value")
@pass_app
def settings_set(app: AppContext, name: str, value: str) -> None:
    """Change one setting, e.g. `glutecoach settings set equipment band,dumbbells`."""
    stored = app.coach.set_setting(name, value)
    app.console.print(f"{name} = {stored}")


@click.command(name="export")
@format_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (refuses to overwrite). Default: standard output.",
)
@pass_app
def export_cmd(app: AppContext, /, fmt: str, output: Path | None, **options: Any) -> None:
    """Export everything in the database (every person, all history) as one JSON document,
    or your own record as a calendar (ics), FHIR R4 Bundle, CSV zip or PDF handout.

    \b
    Examples: glutecoach export -o backup.json
              glutecoach export --format ics --weeks 6 --at 07:30 -o sessions.ics
              glutecoach export --format fhir -o record.fhir.json
              glutecoach export --format csv -o record.zip
    """
    if fmt != "json" or any(v is not None for v in options.values()):
        run_export(app, fmt, output, options)
        return
    document = export_document(app.store, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    text = write_document(document, output)
    if output is None:
        sys.stdout.write(text)
    else:
        click.echo(f"Exported {len(document.people)} person(s) to {output}", err=True)


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--schema", is_flag=True, help="Print the export format's JSON Schema and exit.")
@json_option
@pass_app
def import_cmd(app: AppContext, file: Path, schema: bool, as_json: bool) -> None:
    """Import a document made by `glutecoach export` (all or nothing; never overwrites).

    \b
    Example:  GLUTECOACH_HOME=~/new glutecoach import backup.json
    """
    if schema:
        print_json(ExportDocument.model_json_schema())
        return
    document = read_document(file, set(app.catalog.exercises))
    counts = import_document(app.store, document, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    if as_json:
        print_json(counts)
    else:
        click.echo("Imported " + ", ".join(f"{v} {k}" for k, v in counts.items()))


DATA_COMMANDS: list[click.Command] = [settings_group, export_cmd, import_cmd]
