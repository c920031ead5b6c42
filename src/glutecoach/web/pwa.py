"""Installable and resilient: the web app manifest, the icons, the service worker (served
from the root so it may look after every page) and the page it shows when the server is away."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.responses import Response

from glutecoach.web.render import render

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"
MANIFEST = {
    "name": "glutecoach",
    "short_name": "glutecoach",
    "description": "A local-first coach for gluteal amnesia: guided sessions, sitting breaks.",
    "start_url": "/",
    "scope": "/",
    "display": "standalone",
    "background_color": "#fbfaf7",
    "theme_color": "#14324f",
    "icons": [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {
            "src": "/static/icons/icon-maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ],
}


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return JSONResponse(MANIFEST, media_type="application/manifest+json")


@router.get("/favicon.ico")
def favicon() -> Response:
    return FileResponse(STATIC / "icons" / "favicon.ico", media_type="image/x-icon")


@router.get("/sw.js")
def service_worker() -> Response:
    """At the root, so its scope is the whole app; never cached, so updates arrive."""
    return FileResponse(
        STATIC / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/offline")
def offline(request: Request) -> Response:
    """What the service worker shows for a page it has not kept, while the server is away."""
    return render(request, "offline.html")
