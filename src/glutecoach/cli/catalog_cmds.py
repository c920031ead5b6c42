"""`glutecoach catalog`: the exercises, one exercise, and the rules with their sources."""

from __future__ import annotations

import click
from rich.table import Table

from glutecoach.cli.context import AppContext, json_option, pass_app, print_json
from glutecoach.errors import InputError


@click.group(name="catalog")
def catalog_group() -> None:
    """The exercise library and the rules, with their sources."""


@catalog_group.command(name="list")
@json_option
@pass_app
def catalog_list(app: AppContext, as_json: bool) -> None:
    """Every exercise: id, phase, category, equipment."""
    exercises = sorted(app.catalog.exercises.values(), key=lambda e: (e.phase, e.id))
    if as_json:
        print_json(exercises)
        return
    table = Table()
    for column in ("id", "name", "phase", "category", "equipment"):
        table.add_column(column)
    for e in exercises:
        table.add_row(
            e.id,
            e.name,
            str(e.phase),
            e.category,
            ", ".join(x.value for x in (*e.equipment, *e.load_equipment)),
        )
    app.console.print(table)


@catalog_group.command(name="show")
@click.argument("exercise_id")
@json_option
@pass_app
def catalog_show(app: AppContext, exercise_id: str, as_json: bool) -> None:
    """One exercise: setup, cues, faults, dose, regressions, progressions, sources."""
    try:
        e = app.catalog.exercise(exercise_id)
    except KeyError as exc:
        raise InputError(str(exc.args[0])) from None
    if as_json:
        print_json(e)
        return
    c = app.console
    c.print(f"[bold]{e.name}[/] ({e.id}) - phase {e.phase}, {e.category}")
    c.print(f"Targets: {', '.join(e.targets)}; camera view: {e.camera_view}")
    c.print(f"Setup: {e.setup}")
    c.print("Cues:\n" + "\n".join(f"  - {x}" for x in e.cues))
    c.print("Common faults:\n" + "\n".join(f"  - {x}" for x in e.faults))
    c.print(
        f"Regressions: {', '.join(e.regressions) or '-'}; "
        f"progressions: {', '.join(e.progressions) or '-'}"
    )
    c.print("Sources:\n" + "\n".join(f"  - {x}" for x in app.catalog.cite(e.sources)))


@catalog_group.command(name="rules")
@json_option
@pass_app
def catalog_rules(app: AppContext, as_json: bool) -> None:
    """Every rule with its parameters and sources (red flags included)."""
    rules = app.catalog.rules
    if as_json:
        print_json(rules)
        return
    for name, rule in rules:
        app.console.print(f"[bold]{name}[/]: {rule.description}")
        if hasattr(rule, "params"):
            app.console.print(f"  params: {rule.params!r}")
        app.console.print(f"  sources: {', '.join(getattr(rule, 'sources', ()) or ())}")
