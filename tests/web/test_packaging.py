"""The web app's templates, static files and vendored chart library ship with the package."""

from __future__ import annotations

from importlib import resources

import pytest
from tests.realparts import missing_real_part
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


def test_missing_chromium_fails_when_required_and_skips_elsewhere() -> None:
    assert require_chromium("/usr/bin/chromium", required=True) == "/usr/bin/chromium"
    with pytest.raises(pytest.fail.Exception, match="system-deps"):
        require_chromium(None, required=True)
    with pytest.raises(pytest.skip.Exception):
        require_chromium(None, required=False)


def test_make_test_requires_the_real_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("GLUTECOACH_REAL_PARTS", "required")
    with pytest.raises(pytest.fail.Exception):
        missing_real_part("Xvfb is missing")
    monkeypatch.delenv("GLUTECOACH_REAL_PARTS")
    with pytest.raises(pytest.skip.Exception):
        missing_real_part("Xvfb is missing")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa() -> None:
    import re

    css = (resources.files("glutecoach.web") / "static" / "app.css").read_text()
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    pairs = [
        ("ink", "bg"),
        ("ink", "card"),
        ("muted", "bg"),
        ("muted", "card"),
        ("accent", "card"),
        ("accent-ink", "accent"),
        ("ok", "card"),
        ("warn", "card"),
        ("stop", "card"),
    ]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg)
    assert contrast("#ffffff", "#14324f") >= 4.5  # the header
