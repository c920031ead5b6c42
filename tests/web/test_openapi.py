"""Property tests against the OpenAPI document, on SQLite and PostgreSQL: no input makes the
API answer 5xx (ids beyond a 32-bit column, huge numbers, odd strings...)."""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from tests.builders import answers

from glutecoach.services import Coach
from glutecoach.web.app import create_app

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

LOCAL_HOST = {"Host": "127.0.0.1"}  # the app refuses other host names (DNS rebinding)
MONDAY = dt.date(2026, 1, 5)
EXAMPLES_PER_OPERATION = int(os.environ.get("GLUTECOACH_API_EXAMPLES", "12"))


def _check_operation(operation: Any, statuses: Counter[int]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def no_server_error(case: schemathesis.Case) -> None:
        response = case.call_and_validate(checks=[not_a_server_error], headers=LOCAL_HOST)
        statuses[response.status_code] += 1

    no_server_error()


def test_no_server_errors(store_url: str) -> None:
    """Every operation of the API, over a screened person, on each backend."""
    app = create_app(store_url, clock=lambda: MONDAY)
    state = app.state.web
    Coach(state.store(), state.catalog()).screen(answers(), MONDAY)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=LOCAL_HOST)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18, [op.label for op in operations]
    statuses: Counter[int] = Counter()
    try:
        for operation in operations:
            _check_operation(operation, statuses)
    finally:
        state.close()
    print(f"schemathesis {store_url.split(':')[0]}: {len(operations)} operations,", dict(statuses))
    assert sum(n for status, n in statuses.items() if status >= 500) == 0
