"""Property tests against the OpenAPI document: no input makes the API answer 5xx."""

from __future__ import annotations

import datetime as dt
import tempfile
import warnings
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from tests.builders import answers

from glutecoach.services import Coach
from glutecoach.web.app import create_app

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

_HOME = Path(tempfile.mkdtemp(prefix="glutecoach-openapi-"))
APP = create_app(f"sqlite:///{_HOME / 'api.db'}", clock=lambda: dt.date(2026, 1, 5))
_state = APP.state.web
Coach(_state.store(), _state.catalog()).screen(answers(), dt.date(2026, 1, 5))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
