"""Progress charts stay readable at three years: grouped by day, week or month per range,
human names, holds in seconds, load and reps on separate charts."""

from __future__ import annotations

import datetime as dt

import pytest

from glutecoach.catalog.loader import load_catalog
from glutecoach.chart_series import series_of
from glutecoach.core.models import History, ScreeningAnswers
from glutecoach.core.progress import summarize
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.web.charts import bucket_of, progress_ranges

START = dt.date(2023, 1, 2)
DAYS = 3 * 365 + 1
EVERY_DAY = list(range(7))


@pytest.fixture(scope="module")
def three_years() -> tuple[History, dt.date]:
    answers = ScreeningAnswers.model_validate(
        {
            "pain": {"low_back": {"score": 3}},
            "sitting_hours_per_day": 9,
            "longest_sitting_minutes": 120,
            "activity_level": "light",
            "equipment": ["band", "dumbbells", "step"],
        }
    )
    half = 730
    events = [
        {"type": "follow_plan", "day": START, "days": half, "session_days": EVERY_DAY},
        {
            "type": "follow_plan",
            "day": START + dt.timedelta(days=half),
            "days": DAYS - half,
            "session_days": EVERY_DAY,
        },
    ]
    script = SimulationScript.model_validate(
        {"start": START, "screening": answers.model_dump(mode="json"), "events": events}
    )
    history = simulate(script, load_catalog()).history
    return history, START + dt.timedelta(days=DAYS - 1)


def test_three_years_are_grouped_to_a_readable_number_of_points(
    three_years: tuple[History, dt.date],
) -> None:
    history, today = three_years
    catalog = load_catalog()
    summary = summarize(history, catalog, EVERY_DAY, today)
    assert len(summary.adherence) > 150  # the raw weeks: what made 157 unreadable bars
    charts = progress_ranges(summary, series_of(history, summary), catalog, "kg", today)
    every = charts["ranges"]["all"]
    assert every["bucket"] == "monthly average"
    for name in ("pain", "adherence", "reps", "holds", "load"):
        for trace in every[name]:
            assert len(trace["x"]) <= 37, (name, trace["name"], len(trace["x"]))
            assert all(x.endswith("-01") for x in trace["x"]), (name, trace["x"][:3])
    year = charts["ranges"]["1y"]
    assert all(len(t["x"]) <= 54 for t in year["pain"] + year["reps"])
    assert len(year["adherence"][0]["x"]) <= 13  # months
    month = charts["ranges"]["4w"]
    assert all(len(t["x"]) <= 28 for t in month["reps"])
    assert len(month["adherence"][0]["x"]) <= 5  # weeks
    # human names, no raw ids; the done sessions of a month add up to that month's sessions
    names = {t["name"] for t in every["reps"] + every["holds"] + every["load"]}
    assert names and not any("_" in n for n in names), names
    assert names <= {e.name for e in catalog.exercises.values()}
    # sessions are counted by week (a week belongs to the month of its Monday): none is
    # lost or counted twice when weeks are grouped into months
    done = every["adherence"][1]
    assert sum(done["y"]) == sum(w.done for w in summary.adherence)
    first = dt.date.fromisoformat(done["x"][0])
    weeks_of_first = [w for w in summary.adherence if bucket_of(w.week_start, "month") == first]
    assert done["y"][0] == sum(w.done for w in weeks_of_first)


def test_holds_are_charted_in_seconds_and_reps_in_reps(
    three_years: tuple[History, dt.date],
) -> None:
    history, today = three_years
    catalog = load_catalog()
    summary = summarize(history, catalog, EVERY_DAY, today)
    every = progress_ranges(summary, series_of(history, summary), catalog, "kg", today)["ranges"][
        "all"
    ]
    holds = {t["name"] for t in every["holds"]}
    held = {
        catalog.exercise(s.exercise_id).name
        for session in history.sessions
        for s in session.sets
        if not s.reps and s.hold_seconds
    }
    assert holds == held and holds, holds
    assert not holds & {t["name"] for t in every["reps"]}  # a hold is never "0 reps"
    assert all(min(t["y"]) > 0 for t in every["holds"])
