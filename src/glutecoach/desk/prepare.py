"""The coach's set-up step: open and migrate the store, find the person, read their settings.

It needs SQLAlchemy, Alembic and pydantic (about 45 MB of memory that Python would keep for the
life of the process), so the long-running coach runs it in a short-lived child process
(``python -m glutecoach.desk.prepare --person NAME``, which prints JSON) and keeps only the small
result.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

from glutecoach.desk.live import DESK_SETTINGS
from glutecoach.errors import GlutecoachError, StoreError


@dataclass(frozen=True)
class Prepared:
    person_id: int
    settings: dict[str, Any]
    phase: int
    recent_standing: list[float]
    sqlite_path: str | None  # the SQLite file, or None for another database (use the ORM)
    url: str
    emphasis: list[str] = field(default_factory=list)  # the latest screening's emphasis
    defaults: dict[str, Any] = field(default_factory=dict)  # every setting's default
    stored: dict[str, Any] = field(default_factory=dict)  # the settings the person changed


def prepare(person: str, url: str | None = None) -> Prepared:
    """Do the set-up in this process (imports the store, through the desk's use cases)."""
    from sqlalchemy.engine import make_url

    from glutecoach.desk_services import read_start
    from glutecoach.paths import database_url
    from glutecoach.settings import defaults

    url = url or database_url()
    start = read_start(person, url, dt.date.today(), dt.datetime.now())
    parsed = make_url(url)
    sqlite_path = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        sqlite_path = parsed.database
    desk_defaults = {k: v for k, v in defaults().items() if k in DESK_SETTINGS}
    desk_stored = {k: v for k, v in start.stored.items() if k in DESK_SETTINGS}
    return Prepared(
        start.person_id,
        start.settings,
        start.phase,
        start.recent_standing,
        sqlite_path,
        url,
        start.emphasis,
        desk_defaults,
        desk_stored,
    )


def prepare_in_child(person: str) -> Prepared:
    """Run :func:`prepare` in a child process so this one never imports the store."""
    done = subprocess.run(
        [sys.executable, "-m", "glutecoach.desk.prepare", "--person", person],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        message = done.stderr.strip().removeprefix("Error: ") or f"exit status {done.returncode}"
        raise StoreError(f"setting up the coach failed: {message}")
    data = json.loads(done.stdout)
    return Prepared(**data)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    person = args[args.index("--person") + 1] if "--person" in args else "me"
    try:
        prepared = prepare(person)
    except GlutecoachError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps(prepared.__dict__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
