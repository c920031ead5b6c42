"""Export and import round-trip a whole history, on SQLite and PostgreSQL, losing nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from export_history import store_history
from glutecoach.backup_services import export_document, import_document
from glutecoach.errors import InputError
from glutecoach.export.jsonio import read_document
from glutecoach.store import repository as repo
from glutecoach.store.db import Store, open_store

NOW = dt.datetime(2026, 3, 1, 12, 0)


def fill(store: Store) -> None:
    """A realistic history: the README's simulated months, stored for two people."""
    for person in ("ana", "bo"):
        store_history(store, person, units="lb")


def test_desk_rows_are_part_of_the_export(store: Store) -> None:
    fill(store)
    people = _people(store)
    desk = people[0]["extensions"]["desk"]
    assert len(desk["bouts"]) == 2 and desk["prompts"][0]["answer"] == "done"
    assert desk["micro"][0]["exercise_id"] == "half_kneeling_hip_flexor_stretch"


def _people(store: Store) -> list[dict]:
    return export_document(store, NOW).model_dump(mode="json")["people"]


def test_round_trip_loses_nothing(store: Store, tmp_path: Path) -> None:
    fill(store)
    original = _people(store)
    assert sum(len(s["sets"]) for s in original[0]["sessions"]) > 100
    target = open_store(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        import_document(target, export_document(store, NOW), NOW)
        assert _people(target) == original
    finally:
        target.close()


def test_cli_export_import_round_trip(run, tmp_path: Path, monkeypatch) -> None:
    first_home = tmp_path / "a"
    monkeypatch.setenv("GLUTECOACH_HOME", str(first_home))
    store = open_store(f"sqlite:///{first_home / 'glutecoach.db'}")
    fill(store)
    store.close()
    backup = tmp_path / "backup.json"
    assert run("export", "-o", str(backup)).exit_code == 0
    again = run("export", "-o", str(backup))
    assert again.exit_code == 2 and "already exists" in again.output
    monkeypatch.setenv("GLUTECOACH_HOME", str(tmp_path / "b"))
    imported = run("import", str(backup), "--json")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["people"] == 2
    second = tmp_path / "second.json"
    assert run("export", "-o", str(second)).exit_code == 0
    a, b = json.loads(backup.read_text()), json.loads(second.read_text())
    assert a["people"] == b["people"]
    refused = run("import", str(backup))
    assert refused.exit_code == 2 and "already has data" in refused.output


def test_bad_import_writes_nothing(store: Store, tmp_path: Path) -> None:
    fill(store)
    document = export_document(store, NOW).model_dump(mode="json")
    document["people"][1]["name"] = "cy"
    document["people"][1]["sessions"][3]["sets"][0]["pain"] = 42
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(InputError, match=r"people.1.sessions.3.sets.0.pain"):
        read_document(path)
    target = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        document["people"][1]["sessions"][3]["sets"][0]["pain"] = 4
        document["people"][0]["name"] = "dup"
        document["people"][1]["name"] = "dup"
        path.write_text(json.dumps(document))
        with pytest.raises(InputError, match="already has data"):
            import_document(target, read_document(path), NOW)
        with target.transaction() as db:
            assert repo.list_people(db) == []
    finally:
        target.close()


def test_not_an_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(InputError, match="not a glutecoach export"):
        read_document(path)
