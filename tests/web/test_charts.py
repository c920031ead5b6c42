"""Progress chart traces: what they show, and the grown JSON equals the JSON built whole."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import glutecoach.web.charts as charts_module
from glutecoach.core.catalog import Catalog
from glutecoach.core.models import History
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.progress_ledger import ProgressLedger
from glutecoach.web.charts import GrowingChartJson, charts, dumps

EXAMPLE = Path(__file__).parents[2] / "examples" / "simulation.json"
DAYS = [0, 2, 4]


@pytest.fixture(scope="module")
def history() -> History:
    from glutecoach.catalog.loader import load_catalog

    script = SimulationScript.model_validate(json.loads(EXAMPLE.read_text()))
    return simulate(script, load_catalog()).history


def test_traces_show_pain_per_region_loads_per_exercise_and_decisions(
    history: History, catalog: Catalog
) -> None:
    summary = ProgressLedger().summarize(history, catalog, DAYS, history.sessions[-1].performed_on)
    drawn = charts(summary, "lb")
    assert list(drawn) == ["pain", "adherence", "load", "timeline"]
    session_pain = next(t for t in drawn["pain"] if t["name"] == "During sessions (worst set)")
    worst = [max(s.pain for s in x.sets) for x in history.sessions if x.sets]
    assert session_pain["y"] == worst
    loaded = [p for p in summary.loads if p.load_kg]
    if loaded:
        trace = next(t for t in drawn["load"] if t["name"] == f"{loaded[0].exercise_id} load")
        assert trace["y"][0] == round(loaded[0].load_kg * 2.20462, 1)
    kinds = {t["name"] for t in drawn["timeline"]}
    assert kinds == {d.kind.value for d in history.decisions}


@pytest.mark.parametrize("units", ["kg", "lb"])
def test_grown_json_equals_the_whole_at_every_step(
    history: History, catalog: Catalog, units: str
) -> None:
    ledger, grown = ProgressLedger(), GrowingChartJson(units)
    for i in range(1, len(history.sessions) + 1):
        last = history.sessions[i - 1]
        for n in range(1, len(last.sets) + 1):  # the latest session growing set by set
            open_one = last.model_copy(
                update={"sets": last.sets[:n], "completed": n == len(last.sets)}
            )
            partial = history.model_copy(
                update={"sessions": (*history.sessions[: i - 1], open_one)}
            )
            summary = ledger.summarize(partial, catalog, DAYS, last.performed_on)
            assert grown.json(summary) == dumps(charts(summary, units))


def test_after_a_write_only_the_latest_days_points_are_encoded(
    history: History, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, grown = ProgressLedger(), GrowingChartJson("kg")
    latest = max(history.sessions[-1].performed_on, history.checkins[-1].day)
    today = latest + dt.timedelta(days=1)
    grown.json(ledger.summarize(history, catalog, DAYS, today))
    encoded: list[int] = []
    real = charts_module._columns

    def counting(chart: Any, points: Any) -> Any:
        encoded.append(len(points))
        return real(chart, points)

    monkeypatch.setattr(charts_module, "_columns", counting)
    last = history.sessions[-1]
    more = last.model_copy(update={"performed_on": today, "completed": False})
    grown_history = history.model_copy(update={"sessions": (*history.sessions, more)})
    summary = ledger.summarize(grown_history, catalog, DAYS, today)
    assert grown.json(summary) == dumps(charts(summary, "kg"))
    total = len(summary.pain) + len(summary.loads) + len(summary.timeline)
    assert sum(encoded[:3]) < total / 5  # the grown JSON encoded a handful of points
