"""`glutecoach serve`: run the web app on this computer (127.0.0.1:8000 by default)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket

import click

from glutecoach.errors import InputError

TOKEN_ENV = "GLUTECOACH_WEB_TOKEN"
LIVE_META = "glutecoach.live_coach"  # ctx.meta: () -> (factory | None, problem), set by the CLI
LOCAL_HOSTS = {"localhost"}


def is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _root_options() -> tuple[str, dt.date | None]:
    """The main command's --person and an explicit --today (fixed clock), if given."""
    ctx = click.get_current_context().find_root()
    person = ctx.params.get("person") or "me"
    today = ctx.params.get("today")
    return str(person), today if isinstance(today, dt.date) else None


def _check_free(host: str, port: int) -> None:
    """A clear message, rather than a server log line, when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(
                f"cannot listen on {host}:{port} ({exc.strerror}): is glutecoach already "
                f"running? Open it, or pick another port with --port {port + 1}"
            ) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow binding an address other than this computer's (needs an access token).",
)
@click.option(
    "--token",
    default=None,
    help=f"Access token for logging in (safer: set ${TOKEN_ENV}). Required with --allow-remote.",
)
@click.option(
    "--https",
    "use_https",
    is_flag=True,
    help="Serve over HTTPS with a certificate made on this computer (a phone's camera needs it).",
)
def serve(host: str, port: int, allow_remote: bool, token: str | None, use_https: bool) -> None:
    """Start the web app: screening, today's guided session, check-ins, progress, settings.

    \b
    Examples:
      glutecoach serve                       # http://127.0.0.1:8000
      GLUTECOACH_WEB_TOKEN=... glutecoach serve --host 0.0.0.0 --allow-remote
    \b
    A phone as the camera coach's camera (same Wi-Fi; prints the address as a QR code):
      GLUTECOACH_WEB_TOKEN=... glutecoach serve --host 0.0.0.0 --allow-remote --https
    """
    import uvicorn

    from glutecoach.web.app import create_app

    token = token or os.environ.get(TOKEN_ENV) or None
    if not is_local(host):
        if not allow_remote:
            raise InputError(
                f"--host {host} is reachable from other computers: add --allow-remote and set "
                f"an access token (${TOKEN_ENV}) to do that"
            )
        if not token:
            raise InputError(f"--allow-remote needs an access token: set ${TOKEN_ENV}")
    _check_free(host, port)
    person, fixed_today = _root_options()
    clock = (lambda: fixed_today) if fixed_today is not None else dt.date.today
    provider = click.get_current_context().meta.get(LIVE_META)
    live_coach, live_problem = provider() if provider else (None, "")
    app = create_app(
        clock=clock,
        auth_token=token,
        person=person,
        live_coach=live_coach,
        live_problem=live_problem,
    )
    shown = f"[{host}]" if ":" in host else host
    cert: tuple[str, str] | None = None
    if use_https:
        cert, shown = _https(host, shown, port)
    scheme = "https" if cert else "http"
    click.echo(f"glutecoach is running at {scheme}://{shown}:{port} — press Ctrl-C to stop")
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        ssl_certfile=cert[0] if cert else None,
        ssl_keyfile=cert[1] if cert else None,
    )


def _https(host: str, shown: str, port: int) -> tuple[tuple[str, str], str]:
    """The certificate for this computer's addresses, and the phone's instructions printed."""
    from glutecoach.paths import user_dir
    from glutecoach.web.tls import ensure_certificate, lan_address, phone_instructions

    everywhere = host in {"0.0.0.0", "::"}
    address = (lan_address() if everywhere else host) or "127.0.0.1"
    certificate = ensure_certificate(user_dir() / "tls", [address])
    shown = (f"[{address}]" if ":" in address else address) if everywhere else shown
    if not is_local(address):
        hint = f"Log in with your access token (${TOKEN_ENV})."
        click.echo(phone_instructions(f"https://{shown}:{port}", certificate.fingerprint, hint))
    return (str(certificate.cert), str(certificate.key)), shown
