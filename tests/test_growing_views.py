"""Views grown with the history equal the same views recomputed from the whole history.

Property-based: a simulated history is grown day by day (with an open session growing set by
set, sessions cut short, decisions that come a day late, same-day check-ins with retests),
and at every step the progress ledger's adherence by sets and its chart sums must equal
:func:`glutecoach.core.progress.done_per_week` and :func:`glutecoach.chart_series.series_of`
over the whole history.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glutecoach.catalog.loader import load_catalog
from glutecoach.chart_series import SIZES, ChartSeries, series_of
from glutecoach.core.models import CheckIn, History, SelfTests
from glutecoach.core.progress import ProgressSummary, done_per_week, summarize
from glutecoach.core.simulate import SimulationScript, simulate
from glutecoach.progress_ledger import ProgressLedger

EXAMPLE = Path(__file__).parent.parent / "examples" / "simulation.json"
DAYS = [0, 2, 4]
CATALOG = load_catalog()
FULL = simulate(SimulationScript.model_validate(json.loads(EXAMPLE.read_text())), CATALOG).history
LAST = max(s.performed_on for s in FULL.sessions)
SPAN = (LAST - FULL.screened_on).days + 1


# the screening found the right side weaker (its extra set); a retest finds the left weaker
WEAK_LEFT = SelfTests(single_leg_bridge_reps_left=4, single_leg_bridge_reps_right=15)


def _variant(
    history: History, cut: frozenset[int], extra: frozenset[int], retests: frozenset[int]
) -> History:
    """Sessions ``cut`` short (a third of their sets), ``extra`` ones done twice (a second,
    shorter session the same day: two credits and two sets of chart values), and a retest
    moving the extra set to the other side, checked in on the day of the ``retests``."""
    sessions = []
    checkins = list(history.checkins)
    for i, s in enumerate(history.sessions):
        if i in cut:
            s = s.model_copy(update={"sets": s.sets[: max(1, len(s.sets) // 3)]})
        sessions.append(s)
        if i in extra:
            sessions.append(s.model_copy(update={"sets": s.sets[:2]}))
        if i in retests:
            checkins.append(CheckIn(day=s.performed_on, self_tests=WEAK_LEFT))
    checkins.sort(key=lambda c: c.day)  # stable: a retest comes after that day's check-ins
    return history.model_copy(update={"sessions": tuple(sessions), "checkins": tuple(checkins)})


def _up_to(
    history: History, day: dt.date, late_decision: bool, late_checkin: bool = False
) -> History:
    """The history as it stood on ``day``: the very same entry objects, as the cache keeps;
    with ``late_decision`` the day's decisions are not written yet, with ``late_checkin``
    its check-ins (a retest after the day's session and decision)."""
    return history.model_copy(
        update={
            "sessions": tuple(s for s in history.sessions if s.performed_on <= day),
            "checkins": tuple(
                c for c in history.checkins if c.day < day or (c.day == day and not late_checkin)
            ),
            "decisions": tuple(
                d for d in history.decisions if d.day < day or (d.day == day and not late_decision)
            ),
        }
    )


def _means(series: ChartSeries, day: dt.date) -> dict[object, object]:
    keys = [(chart, k) for chart in ("pain", "reps", "holds", "load") for k in series.keys(chart)]
    out: dict[object, object] = {("first",): series.first_session}
    for key in keys:
        for size in SIZES:
            for first in (None, day - dt.timedelta(days=20)):
                means = series.means(key, size, first)
                out[(key, size, first)] = means
                # the charts' read (kept settled part, rest added) gives the very same
                days, values = series.points(key, size, first)
                assert days == [b.isoformat() for b, _ in means]
                assert values == [mean for _, mean in means]
    return out


def _whole(history: History, day: dt.date) -> tuple[object, object]:
    summary = summarize(history, CATALOG, DAYS, day)
    return done_per_week(history, CATALOG), _means(series_of(history, summary), day)


def _grown(ledger: ProgressLedger, history: History, day: dt.date) -> tuple[object, object]:
    done = ledger.done_per_week(history, CATALOG)

    def read(summary: ProgressSummary, series: ChartSeries) -> object:
        assert summary == summarize(history, CATALOG, DAYS, day)
        return _means(series, day)

    return done, ledger.charts(history, CATALOG, DAYS, day, read)


indices = st.frozensets(st.integers(0, len(FULL.sessions) - 1), max_size=8)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=indices,
    extra=indices,
    steps=st.lists(st.integers(0, SPAN - 1), min_size=2, max_size=10, unique=True),
    retests=indices,
    late=st.booleans(),
    open_sets=st.integers(0, 3),
)
def test_grown_views_equal_the_whole_recompute(
    cut: frozenset[int],
    extra: frozenset[int],
    retests: frozenset[int],
    steps: list[int],
    late: bool,
    open_sets: int,
) -> None:
    history = _variant(FULL, cut, extra, retests)
    ledger = ProgressLedger()
    retest_days = {(FULL.sessions[i].performed_on - FULL.screened_on).days for i in retests}
    for offset in sorted({*steps, *retest_days}):
        day = FULL.screened_on + dt.timedelta(days=offset)
        grown = _up_to(history, day, late)
        todays = [s for s in grown.sessions if s.performed_on == day]
        if todays and open_sets:  # the day's last session still open, a few sets in
            done = todays[-1]
            open_one = done.model_copy(update={"sets": done.sets[:open_sets], "completed": False})
            partial = grown.model_copy(update={"sessions": (*grown.sessions[:-1], open_one)})
            assert _grown(ledger, partial, day) == _whole(partial, day)
        before_retest = _up_to(history, day, late, late_checkin=True)
        assert _grown(ledger, before_retest, day) == _whole(before_retest, day)
        assert _grown(ledger, grown, day) == _whole(grown, day)
    whole = _up_to(history, LAST, False)
    assert _grown(ledger, whole, LAST) == _whole(whole, LAST)


def test_the_sums_are_exact_whatever_the_order() -> None:
    """Floats summed in thousandths: the settled part plus the rest is the whole, exactly."""
    history = _up_to(FULL, LAST, False)
    ledger = ProgressLedger()
    middle = FULL.screened_on + dt.timedelta(days=SPAN // 2)
    _grown(ledger, _up_to(FULL, middle, False), middle)
    assert _grown(ledger, history, LAST) == _whole(history, LAST)
    done, means = _whole(history, LAST)
    assert done and any(v for v in means.values())  # something was compared
