"""Static files (the app's CSS and scripts, the bundled plotly.js): compressed and cached.

Each file is read once; its gzip form is made on first request and kept in memory (plotly.js
is 4.8 MB, 1.4 MB gzipped). Pages link assets by :func:`asset_url`, which adds the content
hash (``/static/app.css?v=1a2b3c4d5e``): such a URL never changes meaning, so the browser may
keep it for a year (``Cache-Control: immutable``). Without the version the answer must be
revalidated, which costs a ``304 Not Modified`` thanks to the ``ETag``. Only files listed at
start are served, so no path can reach outside the folders.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

STATIC = Path(__file__).parent / "static"
PLOTLY_URL = "/vendor/plotly.min.js"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
COMPRESSIBLE = (".css", ".js", ".json", ".svg")
MIN_GZIP_BYTES = 1024


def plotly_js() -> Path:
    """plotly.min.js as shipped inside the installed ``plotly`` package (works offline)."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


@dataclass
class Asset:
    path: Path
    media_type: str
    _body: bytes | None = None
    _version: str = ""
    _gzipped: bytes | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def body(self) -> bytes:
        """The file as read on first use (and its version, hashed once)."""
        if self._body is None:
            body = self.path.read_bytes()
            self._version = hashlib.sha256(body).hexdigest()[:12]
            self._body = body
        return self._body

    def gzipped(self) -> bytes:
        with self._lock:
            if self._gzipped is None:
                self._gzipped = gzip.compress(self.body(), compresslevel=6, mtime=0)
            return self._gzipped

    def version(self) -> str:
        self.body()
        return self._version


class Assets:
    """The files the app serves, by URL path."""

    def __init__(self) -> None:
        self.by_url: dict[str, Asset] = {}
        for path in sorted(STATIC.rglob("*")):
            if path.is_file() and path.suffix in MEDIA_TYPES:
                url = f"/static/{path.relative_to(STATIC).as_posix()}"
                self.by_url[url] = Asset(path, MEDIA_TYPES[path.suffix])
        self.by_url[PLOTLY_URL] = Asset(plotly_js(), MEDIA_TYPES[".js"])

    def url(self, url: str) -> str:
        """``url`` with its content version (unknown URLs are returned as given)."""
        asset = self.by_url.get(url)
        return url if asset is None else f"{url}?v={asset.version()}"

    def respond(self, request: Request) -> Response:
        asset = self.by_url.get(request.url.path)
        if asset is None:
            return Response("Not Found", status_code=404, media_type="text/plain")
        version = asset.version()
        etag = f'"{version}"'
        fixed = request.query_params.get("v") == version
        headers = {
            "ETag": etag,
            "Cache-Control": IMMUTABLE if fixed else REVALIDATE,
            "Vary": "Accept-Encoding",
        }
        if etag in _etags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        body = asset.body()
        compressible = asset.path.suffix in COMPRESSIBLE
        if (
            compressible
            and len(body) >= MIN_GZIP_BYTES
            and _accepts_gzip(request.headers.get("accept-encoding"))
        ):
            body = asset.gzipped()
            headers["Content-Encoding"] = "gzip"
        return Response(body, headers=headers, media_type=asset.media_type)


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False
