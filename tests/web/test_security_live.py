"""The guard on the real `glutecoach serve` (uvicorn, real sockets): DNS rebinding, a 50 MB
chunked body, cross-site writes and the headers, as a browser or curl would meet them."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import psutil
from tests.builders import answers

FIFTY_MB = 50 * 1024 * 1024


def _raw_request(base: str, request: bytes) -> bytes:
    """Send ``request`` as is (any Host header) and return the start of the answer."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as conn:
        conn.sendall(request)
        return conn.recv(65536)


def test_a_rebinding_host_gets_nothing_from_the_real_server(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=30) as client:
        assert (
            client.post("/api/screening", json=answers().model_dump(mode="json")).status_code == 200
        )
    read = _raw_request(
        live_server, b"GET /api/screening HTTP/1.1\r\nHost: evil.example:8000\r\n\r\n"
    )
    assert read.startswith(b"HTTP/1.1 400") and b"outcome" not in read
    body = b'{"value": "lb"}'
    write = _raw_request(
        live_server,
        b"PUT /api/settings/units HTTP/1.1\r\nHost: evil.example\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body),
    )
    assert write.startswith(b"HTTP/1.1 400")
    with httpx.Client(base_url=live_server, timeout=30) as client:
        assert client.get("/api/settings").json()["units"] == "kg"


def _server_rss(base: str) -> int:
    """Resident memory of the `glutecoach serve` process listening at ``base``."""
    port = str(urlsplit(base).port)
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "serve" in cmdline and port in cmdline:
            return int(proc.memory_info().rss)
    raise AssertionError(f"no server process for {base}")


def test_a_50_mb_chunked_body_is_refused_without_being_kept(live_server: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"value": "'
        block = b"x" * 65536
        for _ in range(FIFTY_MB // len(block)):
            yield block
        yield b'"}'

    with httpx.Client(base_url=live_server, timeout=60) as client:
        assert client.get("/api/settings").status_code == 200  # warm: the store is open
        before = _server_rss(live_server)
        try:
            response = client.put(
                "/api/settings/units",
                content=chunks(),
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code == 413
        except httpx.TransportError:
            pass  # the server answered 413 and closed while we were still sending: also fine
        grown = _server_rss(live_server) - before
        assert grown < 16 * 1024 * 1024, f"the server grew by {grown / 2**20:.0f} MB"
        alive = client.get("/api/health")
        assert alive.status_code == 200 and alive.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in alive.headers["content-security-policy"]


def test_a_cross_site_write_is_refused_by_the_real_server(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=30) as client:
        refused = client.put(
            "/api/settings/units",
            json={"value": "lb"},
            headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        )
        assert refused.status_code == 403
        assert client.get("/api/settings").status_code in (200, 409)
