"""`glutecoach serve`: run the web app on this computer (127.0.0.1:8000 by default)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import stat
import sys
from pathlib import Path

import click

from glutecoach.errors import InputError
from glutecoach.web.security import WILDCARD_ADDRESSES, check_token, generate_token

TOKEN_ENV = "GLUTECOACH_WEB_TOKEN"
TOKEN_FILE_ENV = "GLUTECOACH_WEB_TOKEN_FILE"
LIVE_META = "glutecoach.live_coach"  # ctx.meta: () -> (factory | None, problem), set by the CLI
REVIEW_META = "glutecoach.review_analyser"  # ctx.meta: () -> the form-review analyser | None
LOCAL_HOSTS = {"localhost"}
MAX_TOKEN_FILE_BYTES = 4096


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


def read_token_file(path: Path) -> str:
    """The token kept in ``path`` (first line); a clear message when it can't be used."""
    where = f"--token-file {path}"
    try:
        if not path.is_file():
            raise InputError(f"{where}: no such file (write the token into it, one line)")
        if path.stat().st_size > MAX_TOKEN_FILE_BYTES:
            raise InputError(f"{where}: too large for a token file (one line expected)")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{where}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{where}: not a text file") from None
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        click.echo(
            f"Warning: {path} can be read by other users of this computer: chmod 600 {path}",
            err=True,
        )
    lines = text.strip().splitlines()
    if not lines:
        raise InputError(f"{where}: the file is empty (write the token into it, one line)")
    return check_token(lines[0], where)


def resolve_token(token_file: Path | None) -> str | None:
    """The access token from --token-file, $GLUTECOACH_WEB_TOKEN_FILE or $GLUTECOACH_WEB_TOKEN."""
    from_env_file = os.environ.get(TOKEN_FILE_ENV, "").strip()
    if token_file is None and from_env_file:
        token_file = Path(from_env_file)
    if token_file is not None:
        return read_token_file(token_file)
    from_env = os.environ.get(TOKEN_ENV, "").strip()
    return check_token(from_env, f"${TOKEN_ENV}") if from_env else None


def lan_address() -> str:
    """This computer's address on the local network (best guess; no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return socket.gethostname()


def show_new_token(token: str, url: str) -> None:
    """Print a generated token once, with a QR code a phone can scan to log in."""
    import segno

    login = f"{url}/login#token={token}"
    click.echo(f"Access token (made for this run; set ${TOKEN_ENV} to keep one): {token}")
    click.echo("On a phone, scan this to open the login page with the token filled in:")
    qr = segno.make(login, error="m")
    qr.terminal(out=sys.stdout, compact=True)
    sys.stdout.flush()


def _shown_url(host: str, port: int) -> str:
    if host in WILDCARD_ADDRESSES:
        host = lan_address()
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow binding an address other than this computer's (login with an access token).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name the server answers to besides its address (e.g. my-pc.local); repeatable.",
)
@click.option(
    "--token-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"File holding the access token (one line, chmod 600). Or set ${TOKEN_ENV}.",
)
@click.option(
    "--token",
    default=None,
    hidden=True,
    help="Refused: a token on the command line is visible to every user (ps).",
)
@click.option(
    "--https",
    "use_https",
    is_flag=True,
    help="Serve over HTTPS with a certificate made on this computer (a phone's camera needs it).",
)
def serve(
    host: str,
    port: int,
    allow_remote: bool,
    allow_hosts: tuple[str, ...],
    token_file: Path | None,
    token: str | None,
    use_https: bool,
) -> None:
    """Start the web app: screening, today's guided session, check-ins, progress, settings.

    Off this computer (--allow-remote) every visitor logs in with an access token of at
    least 128 bits: from --token-file, $GLUTECOACH_WEB_TOKEN, or, when neither is given,
    a new one printed with a QR code for a phone.

    \b
    Examples:
      glutecoach serve                       # http://127.0.0.1:8000
      glutecoach serve --host 0.0.0.0 --allow-remote          # prints a new token + QR code
      glutecoach serve --host 0.0.0.0 --allow-remote --token-file ~/.glutecoach-token
    \b
    A phone as the camera coach's camera (same Wi-Fi; prints the address as a QR code):
      glutecoach serve --host 0.0.0.0 --allow-remote --https
    """
    import uvicorn

    from glutecoach.web.app import create_app

    if token is not None:
        raise InputError(
            "--token: a token on the command line can be read by every user of this computer "
            f"(ps). Put it in a file (chmod 600) and use --token-file, or set ${TOKEN_ENV}"
        )
    if allow_hosts and not allow_remote:
        raise InputError("--allow-host: add --allow-remote to let other devices in by name")
    secret = resolve_token(token_file)
    generated = False
    if not is_local(host):
        if not allow_remote:
            raise InputError(
                f"--host {host} is reachable from other computers: add --allow-remote (an "
                "access token is then required; one is made for you if none is given)"
            )
        if secret is None:
            secret, generated = generate_token(), True
    _check_free(host, port)
    person, fixed_today = _root_options()
    clock = (lambda: fixed_today) if fixed_today is not None else dt.date.today
    meta = click.get_current_context().meta
    provider = meta.get(LIVE_META)
    live_coach, live_problem = provider() if provider else (None, "")
    reviewer = meta.get(REVIEW_META)
    app = create_app(
        clock=clock,
        auth_token=secret,
        person=person,
        bound_host=host,
        allowed_hosts=allow_hosts,
        live_coach=live_coach,
        live_problem=live_problem,
        review_analyser=reviewer() if reviewer else None,
    )
    cert: tuple[str, str] | None = None
    url = _shown_url(host, port)
    if use_https:
        cert, shown = _https(host, f"[{host}]" if ":" in host else host, port)
        url = f"https://{shown}:{port}"
    if generated:
        assert secret is not None
        show_new_token(secret, url)
    click.echo(f"glutecoach is running at {url} — press Ctrl-C to stop")
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
        hint = "Log in with your access token (printed above, or from your token file)."
        click.echo(phone_instructions(f"https://{shown}:{port}", certificate.fingerprint, hint))
    return (str(certificate.cert), str(certificate.key)), shown
