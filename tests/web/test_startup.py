"""The server prepares the store, catalog and templates while it starts; a broken database
does not stop it starting and is still reported on every page."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from glutecoach.web.app import create_app
from glutecoach.web.render import templates


def test_store_and_catalog_are_ready_before_the_first_request(tmp_path: Path) -> None:
    assert templates.env.cache is not None
    templates.env.cache.clear()  # as in a fresh process
    app = create_app(f"sqlite:///{tmp_path / 'fresh.db'}")
    state = app.state.web
    assert state._store is None and state._catalog is None
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert state._store is not None and state._catalog is not None
        compiled = {name for _loader, name in templates.env.cache.keys()}  # noqa: SIM118
        assert {"base.html", "home.html", "progress.html"} <= compiled
        assert client.get("/").status_code in (200, 303)
    state.close()


def test_a_corrupt_database_at_start_is_reported_on_each_page(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 10)
    with TestClient(create_app(f"sqlite:///{bad}"), base_url="http://127.0.0.1") as client:
        for _ in range(2):
            page = client.get("/")
            assert page.status_code == 503
            assert "not a glutecoach database" in page.text
        assert client.get("/api/plan").status_code == 503
    assert bad.read_bytes().startswith(b"this is not")
