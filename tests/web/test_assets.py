"""Static files are sent gzipped, linked by versioned URLs, and revalidated by ETag."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from tests.web.conftest import Web

from glutecoach.web.app import plotly_js
from glutecoach.web.assets import STATIC, Asset


def _raw_get(web: Web, url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET without the client's automatic decompression: the bytes as they travel."""
    with web.client.stream("GET", url, headers=headers) as response:
        body = b"".join(response.iter_raw())
        return response.status_code, dict(response.headers), body


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("/vendor/plotly.min.js", plotly_js()),
        ("/static/app.css", STATIC / "app.css"),
        ("/static/charts.js", STATIC / "charts.js"),
        ("/static/guide.js", STATIC / "guide.js"),
    ],
)
def test_assets_travel_gzipped_and_unpack_to_the_file(web: Web, url: str, source: object) -> None:
    status, headers, body = _raw_get(web, url, **{"Accept-Encoding": "gzip, deflate"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    expected = source.read_bytes()  # type: ignore[attr-defined]
    assert gzip.decompress(body) == expected
    assert len(body) < len(expected) / 2


def test_without_gzip_accepted_the_file_is_sent_as_is(web: Web) -> None:
    status, headers, body = _raw_get(web, "/static/app.css", **{"Accept-Encoding": "identity"})
    assert status == 200 and "content-encoding" not in headers
    assert body == (STATIC / "app.css").read_bytes()
    refused = _raw_get(web, "/static/app.css", **{"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused[1]


def test_pages_link_versioned_urls_kept_for_a_year(screened: Web) -> None:
    page = screened.get("/progress").text
    urls = re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', page)
    assert {u.split("?")[0] for u in urls} >= {
        "/static/app.css",
        "/vendor/plotly.min.js",
        "/static/charts.js",
    }
    for url in urls:
        assert "?v=" in url, url
        response = screened.get(url)
        assert response.status_code == 200
        assert "immutable" in response.headers["cache-control"]
        assert "max-age=31536000" in response.headers["cache-control"]


def test_unversioned_or_stale_urls_revalidate_and_a_known_etag_gets_304(web: Web) -> None:
    first = web.get("/static/charts.js")
    assert first.headers["cache-control"] == "no-cache"
    stale = web.get("/static/charts.js?v=0000")
    assert stale.headers["cache-control"] == "no-cache"
    etag = first.headers["etag"]
    again = web.get("/static/charts.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = web.get("/static/charts.js", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content


def test_a_changed_file_gets_a_new_version(tmp_path: Path) -> None:
    path = tmp_path / "app.css"
    path.write_text("body { color: black }")
    before = Asset(path, "text/css").version()
    path.write_text("body { color: navy }")
    after = Asset(path, "text/css").version()
    assert before != after and len(after) == 12
    assert Asset(path, "text/css").version() == after


def test_only_listed_files_are_served(web: Web) -> None:
    assert web.get("/static/../app.py").status_code == 404
    assert web.get("/static/missing.css").status_code == 404
    assert web.get("/static/%2e%2e/app.py").status_code == 404
