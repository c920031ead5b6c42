"""`glutecoach clinic ...`: run a practice's clinic server and its accounts (PostgreSQL only)."""

from __future__ import annotations

import datetime as dt
import os

import click

from glutecoach.errors import InputError
from glutecoach.paths import database_url


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _clinic_url() -> str:
    from glutecoach.clinic.app import require_postgresql

    return require_postgresql(database_url())


@click.group("clinic")
def clinic_group() -> None:
    """Clinic mode: clinicians and their patients on one PostgreSQL database.

    Set GLUTECOACH_DATABASE_URL=postgresql+psycopg://USER@HOST/DBNAME first; SQLite is
    refused (it is for one person on one computer: use `glutecoach serve`).

    \b
    Examples:
      glutecoach clinic add-clinician kim@practice.example
      glutecoach clinic invite --clinician kim@practice.example --email pat@example.org \\
          --name "Pat Doe" --base-url https://coach.practice.example
      glutecoach clinic serve --host 0.0.0.0 --allow-remote --allow-host coach.practice.example
      glutecoach clinic worker            # form review: one process per core
    """


@clinic_group.command("add-clinician")
@click.argument("email")
@click.password_option(
    "--password",
    envvar="GLUTECOACH_CLINIC_PASSWORD",
    help="Asked for when not given (never put it on the command line); or set "
    "$GLUTECOACH_CLINIC_PASSWORD.",
)
def add_clinician(email: str, password: str) -> None:
    """Create a clinician account (password hashed with argon2id)."""
    from glutecoach.clinic import accounts
    from glutecoach.store.db import open_store

    store = open_store(_clinic_url())
    try:
        with store.transaction() as db:
            account = accounts.create_clinician(db, email, password, _utc_now())
    finally:
        store.close()
    click.echo(f"Clinician {account.email} added. Sign in at /clinic/login.")


@clinic_group.command("invite")
@click.option("--clinician", required=True, help="The e-mail of the clinician in charge.")
@click.option("--email", required=True, help="The patient's e-mail (their sign-in name).")
@click.option("--name", required=True, help="The name of the patient's record (1-80 chars).")
@click.option(
    "--base-url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Where patients reach the clinic server.",
)
def invite(clinician: str, email: str, name: str, base_url: str) -> None:
    """Add a patient and print their one-time sign-up link (valid 7 days, shown once)."""
    from glutecoach.clinic import accounts
    from glutecoach.store.db import open_store

    store = open_store(_clinic_url())
    try:
        with store.transaction() as db:
            lead = accounts.find_clinician(db, clinician)
            _, token = accounts.invite_patient(db, lead.id, email, name, _utc_now())
    finally:
        store.close()
    click.echo(f"Send this link to {email.strip()} (it works once, for 7 days):")
    click.echo(f"{base_url.rstrip('/')}/clinic/invite#{token}")


@clinic_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow an address other than this computer's (put a TLS proxy in front).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name the server answers to besides its address; repeatable.",
)
def serve(host: str, port: int, allow_remote: bool, allow_hosts: tuple[str, ...]) -> None:
    """Start the clinic server: patients' home app (each sees only their own record) and
    the clinicians' dashboard, over PostgreSQL."""
    import uvicorn

    from glutecoach.clinic.app import create_clinic_app
    from glutecoach.web.cli import _check_free, _shown_url, is_local

    url = _clinic_url()
    if not is_local(host) and not allow_remote:
        raise InputError(
            f"--host {host} is reachable from other computers: add --allow-remote (and serve "
            "it behind HTTPS; sign-in cookies are marked Secure there)"
        )
    _check_free(host, port)
    app = create_clinic_app(url, bound_host=host, allowed_hosts=allow_hosts)
    click.echo(f"glutecoach clinic is running at {_shown_url(host, port)} — Ctrl-C to stop")
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")


@clinic_group.command("worker")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=None,
    help="Worker processes (default: one per core).",
)
@click.option("--hostname", default=None, help="This worker's name (default: celery@HOST).")
def worker(concurrency: int | None, hostname: str | None) -> None:
    """Run form-review workers (Celery) against $GLUTECOACH_BROKER_URL and the database.

    Workers on other machines need the same two settings and read access to the clips'
    folder (docs/clinic.md).
    """
    from glutecoach.clinic.worker import run_worker

    _clinic_url()
    run_worker(concurrency or os.cpu_count() or 1, hostname)


@clinic_group.command("requeue")
def requeue() -> None:
    """Queue again the form reviews not finished (e.g. after the broker was down)."""
    from glutecoach.clinic.worker import QueueDown, requeue_waiting
    from glutecoach.store.db import open_store

    store = open_store(_clinic_url())
    try:
        count = requeue_waiting(store)
    except QueueDown:
        raise InputError(
            "the analysis queue cannot be reached: check that redis-server is running and "
            "that $GLUTECOACH_BROKER_URL points at it"
        ) from None
    finally:
        store.close()
    click.echo(f"{count} review(s) queued again.")
