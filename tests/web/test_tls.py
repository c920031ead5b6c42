"""HTTPS for a phone's camera: the locally made certificate, the QR code, and a real server."""

from __future__ import annotations

import datetime as dt
import json
import os
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from tests.web.conftest import _free_port, _wait_until_accepting
from websockets.sync.client import connect as ws_connect

from glutecoach.web.tls import ensure_certificate, phone_instructions


def test_the_certificate_covers_the_address_and_its_key_is_private(tmp_path: Path) -> None:
    made = ensure_certificate(tmp_path, ["192.168.1.20"])
    cert = x509.load_pem_x509_certificate(made.cert.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {str(ip) for ip in san.get_values_for_type(x509.IPAddress)} == {
        "127.0.0.1",
        "192.168.1.20",
    }
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert made.key.stat().st_mode & 0o777 == 0o600
    assert len(made.fingerprint.split(":")) == 32


def test_the_certificate_is_kept_until_the_address_changes_or_it_nears_its_end(
    tmp_path: Path,
) -> None:
    first = ensure_certificate(tmp_path, ["192.168.1.20"])
    assert ensure_certificate(tmp_path, ["192.168.1.20"]).fingerprint == first.fingerprint
    moved = ensure_certificate(tmp_path, ["10.0.0.7"])
    assert moved.fingerprint != first.fingerprint
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=340)
    assert ensure_certificate(tmp_path, ["10.0.0.7"], now=later).fingerprint != moved.fingerprint


def test_the_phone_instructions_show_the_address_its_qr_code_and_the_fingerprint() -> None:
    text = phone_instructions("https://192.168.1.20:8000", "AB:CD", "Log in with your token.")
    assert "https://192.168.1.20:8000" in text and "AB:CD" in text and "token" in text
    assert "█" in text or "▀" in text or "▄" in text  # the QR code, drawn with blocks
    assert "Use camera" in text


def test_serve_https_answers_over_tls_with_the_certificate_it_made(tmp_path: Path) -> None:
    port = _free_port()
    home = tmp_path / "home"
    env = {**os.environ, "GLUTECOACH_HOME": str(home)}
    env.pop("GLUTECOACH_DATABASE_URL", None)
    log = tmp_path / "server.log"
    command = [sys.executable, "-c", "from glutecoach.cli import main; main()"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "serve", "--port", str(port), "--https"], env=env, stdout=out, stderr=out
        )
    try:
        _wait_until_accepting(port, proc, log)
        cert = home / "tls" / "glutecoach-cert.pem"
        trusted = ssl.create_default_context(cafile=str(cert))
        response = httpx.get(f"https://127.0.0.1:{port}/api/health", verify=trusted)
        assert response.status_code == 200
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"https://127.0.0.1:{port}/api/health")  # not trusted by default
        status = httpx.get(f"https://127.0.0.1:{port}/api/live/status", verify=trusted).json()
        assert set(status) == {"available", "message", "sessions"}
        # the camera socket works over TLS too (wss://), as a phone's page uses it
        with ws_connect(f"wss://127.0.0.1:{port}/live/ws", ssl=trusted) as socket:
            socket.send(json.dumps({"type": "start", "exercise_id": "glute_bridge", "side": None}))
            first = json.loads(socket.recv(timeout=60))
        expected = "ready" if status["available"] else "unavailable"
        assert first["type"] == expected, first
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert f"https://127.0.0.1:{port}" in log.read_text()
    assert "Traceback" not in log.read_text(), log.read_text()[-4000:]
