"""What the web guard costs per request (a script, not a test).

    .venv/bin/python benchmarks/bench_guard.py [--requests N]

Calls a trivial ASGI app directly (no HTTP, no server) N times bare and N times behind
`GuardMiddleware` (Host check, cross-site check, body buffering, security headers), for a GET
and for a POST with a 1 kB JSON body, with and without a bearer token to check. Reports µs per
request and the ratio guarded / bare of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from glutecoach.web.guard import GuardMiddleware
from glutecoach.web.security import FailureLimiter, HostPolicy, Signer, generate_token

BODY = b'{"exercise_id": "glute_bridge", "notes": "' + b"x" * 1000 + b'"}'


async def trivial(scope: Any, receive: Any, send: Any) -> None:
    if scope["method"] == "POST":
        while (await receive()).get("more_body"):
            pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def scope(method: str, token: str | None) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench")]
    if method == "POST":
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]
        headers += [(b"origin", b"http://127.0.0.1:8000"), (b"sec-fetch-site", b"same-origin")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    return {
        "type": "http",
        "method": method,
        "path": "/api/x",
        "headers": headers,
        "client": ("127.0.0.1", 1),
    }


async def time_calls(app: Any, request: dict[str, Any], n: int) -> float:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            await app(request, receive, send)
        samples.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(samples)


async def main(n: int) -> None:
    token = generate_token()
    for label, auth in (("no token", None), ("bearer token", token)):
        guarded = GuardMiddleware(
            trivial,
            signer=Signer(),
            auth_token=auth,
            hosts=HostPolicy.create(),
            limiter=FailureLimiter(),
        )
        for method in ("GET", "POST"):
            request = scope(method, auth)
            bare = await time_calls(trivial, request, n)
            wrapped = await time_calls(guarded, request, n)
            print(
                f"{method:4} {label:12}  bare {bare:6.2f} µs  guarded {wrapped:6.2f} µs  "
                f"(+{wrapped - bare:5.2f} µs, {wrapped / bare:4.1f}× the bare call)"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().requests))
