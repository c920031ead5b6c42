"""What every command needs, opened lazily: the catalog, the store, the person, today."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click
from pydantic import BaseModel
from rich.console import Console

from glutecoach.catalog.loader import load_catalog
from glutecoach.core.catalog import Catalog
from glutecoach.paths import database_url
from glutecoach.services import BUSY_TIMEOUT_S, Coach, Store, open_database


@dataclass
class AppContext:
    person: str
    today: dt.date
    console: Console = field(default_factory=lambda: Console(highlight=False))
    _store: Store | None = None
    _catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_database(database_url(), on_wait=_say_waiting)
        return self._store

    @property
    def coach(self) -> Coach:
        return Coach(self.store, self.catalog, self.person)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _say_waiting() -> None:
    click.echo(
        "Waiting for the database: another program may be using it (up to "
        f"{BUSY_TIMEOUT_S:g} s)...",
        err=True,
    )


pass_app = click.make_pass_decorator(AppContext)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(func)
