"""The API under retries and races: Idempotency-Key on set logging, parallel session opens,
and a busy or unreachable database answering 503 with Retry-After (never 500)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError
from tests.builders import answers
from tests.web.conftest import LOCAL, Web
from tests.web.test_api import a_set, open_session
from tests.web.test_pages import count

from glutecoach.errors import StoreBusy, StoreUnreachable
from glutecoach.store.tables import SessionRow, SetRow


@pytest.fixture
def api(web: Web) -> Web:
    response = web.api("POST", "/api/screening", answers().model_dump(mode="json"))
    assert response.status_code == 200, response.text
    return web


def _post_set(api: Web, session_id: int, key: str | None, **kw: Any) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.client.post(f"/api/sessions/{session_id}/sets", json=a_set(**kw), headers=headers)


def test_a_retry_with_the_same_key_returns_the_first_answer(api: Web) -> None:
    session_id = open_session(api)
    first = _post_set(api, session_id, "9f0c2b1e-set-1")
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    retry = _post_set(api, session_id, "9f0c2b1e-set-1")
    assert retry.status_code == 201 and retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert count(api, SetRow) == 1
    other = _post_set(api, session_id, "9f0c2b1e-set-2")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert count(api, SetRow) == 2


def test_a_reused_key_with_another_set_is_a_conflict(api: Web) -> None:
    session_id = open_session(api)
    assert _post_set(api, session_id, "k1").status_code == 201
    clash = _post_set(api, session_id, "k1", reps=12)
    assert clash.status_code == 409 and "Idempotency-Key" in clash.json()["detail"]
    assert count(api, SetRow) == 1


@pytest.mark.parametrize("key", ["", "x" * 65, "has space", "semi;colon"])
def test_a_malformed_key_is_refused(api: Web, key: str) -> None:
    session_id = open_session(api)
    response = _post_set(api, session_id, key)
    assert response.status_code == 422
    assert count(api, SetRow) == 0


def test_after_finishing_a_retry_is_answered_and_a_new_set_refused(api: Web) -> None:
    session_id = open_session(api)
    first = _post_set(api, session_id, "before-finish")
    assert api.api("POST", f"/api/sessions/{session_id}/finish").status_code == 200
    retry = _post_set(api, session_id, "before-finish")
    assert retry.status_code == 201 and retry.json() == first.json()
    late = _post_set(api, session_id, "after-finish")
    assert late.status_code == 409 and "finished" in late.json()["detail"]
    assert count(api, SetRow) == 1


def test_parallel_session_opens_over_http_give_one_session(api: Web) -> None:
    app = api.client.app

    async def open_many() -> list[Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=LOCAL) as client:
            return list(
                await asyncio.gather(*(client.post("/api/sessions", json={}) for _ in range(8)))
            )

    replies = asyncio.run(open_many())
    assert {r.status_code for r in replies} == {200}
    assert len({r.json()["id"] for r in replies}) == 1
    assert count(api, SessionRow) == 1


# --- busy and down ----------------------------------------------------------------------------


class _Locked(Exception):
    """Stands in for sqlite3.OperationalError("database is locked")."""

    def __str__(self) -> str:
        return "database is locked"


@pytest.mark.parametrize(
    ("raised", "retry_after", "words"),
    [
        (StoreBusy("the database is busy: nothing was saved, try again"), "2", "busy"),
        (OperationalError("INSERT INTO sets ... pain=9", {"pain": 9}, _Locked()), "2", "busy"),
        (StoreUnreachable("the database server cannot be reached"), "30", "reached"),
    ],
)
def test_busy_or_unreachable_store_is_503_with_retry_after(
    api: Web, monkeypatch: pytest.MonkeyPatch, raised: Exception, retry_after: str, words: str
) -> None:
    session_id = open_session(api)

    def fail(*args: Any, **kw: Any) -> Any:
        raise raised

    from glutecoach.services import Coach

    monkeypatch.setattr(Coach, "log_set", fail)
    response = _post_set(api, session_id, None)
    assert response.status_code == 503
    assert response.headers["retry-after"] == retry_after
    assert words in response.json()["detail"]
    assert "pain" not in response.text and "INSERT" not in response.text  # no SQL, no data
    monkeypatch.setattr(Coach, "today_page", fail, raising=False)
    monkeypatch.setattr(Coach, "settings", fail)
    page = api.get("/settings")
    assert page.status_code == 503 and page.headers["retry-after"] == retry_after
    assert "try again" in page.text.lower()


def _driver_error(url: str, statement: str, *, hold_lock: bool = False) -> OperationalError:
    """A real OperationalError from SQLite for ``statement``."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"timeout": 0})
    blocker = create_engine(url).connect() if hold_lock else None
    if blocker is not None:
        blocker.exec_driver_sql("BEGIN EXCLUSIVE")
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    except OperationalError as exc:
        return exc
    finally:
        if blocker is not None:
            blocker.close()
        engine.dispose()
    raise AssertionError(f"{statement} did not fail")


def test_driver_errors_are_told_apart_truthfully(tmp_path: Any) -> None:
    from glutecoach.web.store_errors import classify

    db = tmp_path / "x.db"
    url = f"sqlite:///{db}"
    _driver_error(url, "SELECT 1 FROM nowhere")  # creates the file
    locked = classify(_driver_error(url, "CREATE TABLE t (a INT)", hold_lock=True))
    assert isinstance(locked, StoreBusy)
    missing = classify(_driver_error(url, "SELECT * FROM no_such_table"))
    assert type(missing).__name__ == "StoreError" and "no such table" in str(missing)
    readonly = classify(
        _driver_error(f"sqlite:///file:{db}?mode=ro&uri=true", "CREATE TABLE u (a INT)")
    )
    assert isinstance(readonly, StoreUnreachable) and "nothing was saved" in str(readonly)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("equipment", 0.5),
        ("session_days", 3),
        ("equipment", {"band": True}),
        ("session_days", None),
    ],
)
def test_a_setting_of_the_wrong_shape_is_a_400_naming_it(api: Web, name: str, value: Any) -> None:
    before = api.get("/api/settings").json()
    response = api.client.put(f"/api/settings/{name}", json={"value": value})
    assert response.status_code == 400 and name in response.json()["detail"]
    assert api.get("/api/settings").json() == before


def test_an_infinite_number_is_a_400_not_a_crash(api: Web) -> None:
    response = api.client.put(
        "/api/settings/reminder_interval_minutes",
        content=b'{"value": Infinity}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)


def test_a_nul_character_in_a_note_is_refused_on_every_database(api: Web) -> None:
    cleared = api.client.post(
        "/api/clearance", json={"cleared_by_clinician": True, "note": "ok\u0000"}
    )
    assert cleared.status_code == 422 and "note" in cleared.text
    session_id = open_session(api)
    finished = api.client.post(f"/api/sessions/{session_id}/finish", json={"notes": "a\u0000b"})
    assert finished.status_code == 422 and "notes" in finished.text
    assert api.get("/api/today").json()["session_id"] == session_id  # still open
