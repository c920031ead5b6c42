"""The shared input rules at their edges, and the pre-parse depth scan against real parsing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glutecoach.errors import InputError
from glutecoach.inputs import (
    MAX_NESTING,
    check_day,
    clean_person_name,
    data_shape_problem,
    day_problem,
    name_problem,
    text_nesting_depth,
    text_problem,
)

REAL_TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (dt.date(1999, 12, 31), False),
        (dt.date(2000, 1, 1), True),
        (REAL_TODAY, True),
        (REAL_TODAY + dt.timedelta(days=366), True),
        (REAL_TODAY + dt.timedelta(days=367), False),
        (dt.date.max, False),
        (dt.date.min, False),
    ],
)
def test_day_window_edges(day: dt.date, ok: bool) -> None:
    assert (day_problem(day, REAL_TODAY) is None) is ok


def test_check_day_names_where() -> None:
    with pytest.raises(InputError, match=r"events\[3\]\.day: 9999-12-31 is outside"):
        check_day(dt.date(9999, 12, 31), "events[3].day", REAL_TODAY)


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("me", "me"),
        ("  Ana María  ", "Ana María"),
        ("x" * 80, "x" * 80),
        ("x" * 81, None),
        ("", None),
        ("   ", None),
        ("a\tb", None),
        ("a\nb", None),
        ("zero\u200bwidth", None),
        ("Zoë 🙂", "Zoë 🙂"),
    ],
)
def test_person_name_rule(name: str, cleaned: str | None) -> None:
    if cleaned is None:
        with pytest.raises(InputError, match="--person"):
            clean_person_name(name)
    else:
        assert clean_person_name(name) == cleaned
        assert name_problem(cleaned) is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("", True),
        ("line one\nline two\ttabbed\r\n", True),
        ("n" * 500, True),
        ("n" * 501, False),
        ("a\x00b", False),
        ("\x1b[2J", False),
        ("del\x7f", False),
    ],
)
def test_free_text_rule(text: str, ok: bool) -> None:
    assert (text_problem(text) is None) is ok


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


tricky_text = st.text(alphabet='[]{}"\\ab:,', max_size=12)
json_values = st.recursive(
    st.none() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=30,
)


@given(json_values)
def test_pre_parse_depth_scan_matches_parsed_depth(value: Any) -> None:
    """Brackets inside strings, escaped quotes and backslashes never fool the scan."""
    assert text_nesting_depth(json.dumps(value)) == _depth(value)


@given(json_values)
def test_shape_check_agrees_with_depth(value: Any) -> None:
    too_deep = _depth(value) > MAX_NESTING
    assert (data_shape_problem(value) is not None) is too_deep


def test_shape_check_counts_shared_nodes_of_yaml_aliases() -> None:
    row: list[Any] = ["x"] * 9
    for _ in range(8):
        row = [row] * 9  # 9 ** 9 leaves, but only a few objects: YAML anchors do this
    problem = data_shape_problem({"a": row})
    assert problem is not None and "values" in problem


@pytest.mark.parametrize(("levels", "refused"), [(MAX_NESTING, False), (MAX_NESTING + 1, True)])
def test_nesting_limit_edge(levels: int, refused: bool) -> None:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    assert (data_shape_problem(value) is not None) is refused
    assert text_nesting_depth(json.dumps(value)) == levels
