"""The web app's templates, static files and vendored chart library ship with the package."""

from __future__ import annotations

from importlib import resources

import pytest
from tests.web.conftest import require_chromium

from glutecoach.web.app import plotly_js


def test_templates_and_static_are_package_files() -> None:
    web = resources.files("glutecoach.web")
    for name in ("base.html", "today.html", "progress.html", "screening.html"):
        assert (web / "templates" / name).is_file(), name
    for name in ("app.css", "guide.js", "charts.js"):
        assert (web / "static" / name).is_file(), name


def test_plotly_is_bundled_not_fetched() -> None:
    assert plotly_js().is_file()
    assert plotly_js().stat().st_size > 1_000_000


def test_missing_chromium_fails_in_ci_and_skips_elsewhere() -> None:
    assert require_chromium("/usr/bin/chromium", in_ci=True) == "/usr/bin/chromium"
    with pytest.raises(pytest.fail.Exception):
        require_chromium(None, in_ci=True)
    with pytest.raises(pytest.skip.Exception):
        require_chromium(None, in_ci=False)
