"""The key that signs form (CSRF) tokens and the sign-in cookie, kept across restarts.

A per-process key would make every open form, and every page the service worker keeps
offline, fail after a server restart ("this form has expired"). So the key lives in a private
file: ``.glutecoach-signing-key`` in the data folder (0600, 256 random bits as hex), made on
the first start and read on every later one. Several server processes behind one address (a
clinic) must share one key: point ``$GLUTECOACH_SIGNING_KEY_FILE`` at the same file for all
of them. Deleting the file (or writing a new key) signs out every browser and expires every
open form: that is how the key is rotated.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

from glutecoach.errors import InputError
from glutecoach.paths import make_file_private, user_dir

KEY_FILE_ENV = "GLUTECOACH_SIGNING_KEY_FILE"
KEY_FILE_NAME = ".glutecoach-signing-key"
KEY_BYTES = 32


def signing_key_path() -> Path:
    """``$GLUTECOACH_SIGNING_KEY_FILE``, else the key file in the data folder."""
    chosen = os.environ.get(KEY_FILE_ENV, "").strip()
    return Path(chosen).expanduser() if chosen else user_dir() / KEY_FILE_NAME


def load_or_create_key(path: Path | None = None) -> bytes:
    """The signing key in ``path`` (made, private, when missing; never replaced)."""
    path = path or signing_key_path()
    if not path.exists():
        _create(path)
    return _read(path)


def _where(path: Path) -> str:
    return f"{KEY_FILE_ENV}={path}" if os.environ.get(KEY_FILE_ENV) else f"the key file {path}"


def _create(path: Path) -> None:
    """Write a fresh key atomically: a private temporary file, hard-linked into place, so two
    processes starting at once agree on one key (the second link fails and it reads the
    first's)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".glutecoach-key-", dir=path.parent)
    except OSError as exc:
        raise InputError(
            f"{_where(path)}: cannot create the form-signing key ({exc.strerror}); point "
            f"{KEY_FILE_ENV} at a file in a folder you can write"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:  # mkstemp makes it 0600
            out.write(secrets.token_hex(KEY_BYTES) + "\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use its key
            os.link(temp, path)
    finally:
        os.unlink(temp)


def _read(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            make_file_private(path)
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not text"
        raise InputError(
            f"{_where(path)}: cannot read the form-signing key ({why}); fix its permissions, "
            "or delete it to make a new one (open forms will then ask for a reload)"
        ) from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < KEY_BYTES:
        raise InputError(
            f"{_where(path)}: this is not a form-signing key ({KEY_BYTES * 2} hex digits "
            "expected); delete the file to make a new one (open forms will then ask for a "
            "reload)"
        )
    return key
