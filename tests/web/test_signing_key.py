"""The form-signing (CSRF) key survives a restart: a private key file in the data folder (or
``$GLUTECOACH_SIGNING_KEY_FILE`` shared by several servers); forged or old-key tokens are
refused."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import SCREENING_FORM, local_client

from glutecoach.errors import InputError
from glutecoach.web.app import create_app
from glutecoach.web.signing_key import KEY_FILE_NAME, load_or_create_key, signing_key_path

TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def test_the_key_file_is_private_and_kept(isolated_home: Path) -> None:
    key = load_or_create_key()
    path = isolated_home / KEY_FILE_NAME
    assert signing_key_path() == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 32 and load_or_create_key() == key
    path.chmod(0o644)
    assert load_or_create_key() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "a loosened mode is tightened"
    assert [p.name for p in isolated_home.iterdir()] == [KEY_FILE_NAME], "no temporary left"


def test_a_shared_key_file_and_a_damaged_one(tmp_path: Path, monkeypatch) -> None:
    shared = tmp_path / "clinic" / "signing-key"
    monkeypatch.setenv("GLUTECOACH_SIGNING_KEY_FILE", str(shared))
    first = load_or_create_key()
    assert shared.exists() and load_or_create_key() == first
    shared.write_text("not a key\n")
    with pytest.raises(InputError, match=r"GLUTECOACH_SIGNING_KEY_FILE=.*not a form-signing key"):
        load_or_create_key()


def _form_token(client: httpx.Client | object, page: str = "/screening") -> str:
    found = TOKEN.search(client.get(page).text)  # type: ignore[attr-defined]
    assert found
    return found.group(1)


def test_a_token_from_one_app_is_accepted_by_the_next(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    first = create_app(url)
    with local_client(first) as before:
        token = _form_token(before)
        cookies = dict(before.cookies)
    second = create_app(url)
    with local_client(second, cookies=cookies) as after:
        saved = after.post(
            "/screening", data={"csrf_token": token, **SCREENING_FORM}, headers=SAME_ORIGIN
        )
        assert saved.status_code == 200, saved.text[:400]
        assert "expired" not in saved.text
    first.state.web.close()
    second.state.web.close()


def _post(base: str, cookies: dict[str, str], token: str) -> httpx.Response:
    with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
        return client.post(
            "/screening",
            data={"csrf_token": token, **SCREENING_FORM},
            headers={**SAME_ORIGIN, "Origin": base},
        )


def test_a_form_survives_a_server_restart_but_not_a_new_key(server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        token = _form_token(client)
        cookies = dict(client.cookies)
    server.stop()
    server.start()
    forged = token.rpartition(".")[0] + "." + "0" * 64
    refused = _post(server.url, cookies, forged)
    assert refused.status_code == 403 and "expired" in refused.text
    kept = _post(server.url, cookies, token)
    assert kept.status_code == 200, kept.text[:400]
    assert "Your starting point" in kept.text
    # a new key (rotated, or another server's): the old token is refused
    server.stop()
    (server.home / KEY_FILE_NAME).unlink()
    server.start()
    old = _post(server.url, cookies, token)
    assert old.status_code == 403 and "expired" in old.text
