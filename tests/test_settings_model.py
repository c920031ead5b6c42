"""Settings: one validated model is the only source of names, defaults, ranges and meanings."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import sqlite3
from pathlib import Path

import pytest

from glutecoach.core.sedentary import DeskSettings
from glutecoach.errors import InputError
from glutecoach.setting_rules import RULES, check_values
from glutecoach.settings import SETTINGS, UserSettings, defaults, load_settings, parse_setting

REPO = Path(__file__).parent.parent


def _settings_doc_script():
    spec = importlib.util.spec_from_file_location(
        "settings_doc", REPO / "scripts" / "settings_doc.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_settings_page_is_the_model() -> None:
    on_disk = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    assert on_disk == _settings_doc_script().render(), "run python scripts/settings_doc.py"
    for setting in SETTINGS:  # and so every setting is documented
        assert f"| `{setting.name}` |" in on_disk


def test_the_table_is_the_models_fields_and_each_default_is_valid() -> None:
    assert [s.name for s in SETTINGS] == list(UserSettings.model_fields)
    assert defaults() == {s.name: s.default for s in SETTINGS}
    for setting in SETTINGS:
        assert setting.parse(setting.default) == setting.default, setting.name
        assert setting.help == UserSettings.model_fields[setting.name].description


def test_every_field_is_checked_by_its_one_rule() -> None:
    assert list(RULES) == list(UserSettings.model_fields)
    assert all(setting.parse is RULES[setting.name] for setting in SETTINGS)


def test_the_desk_coach_checks_the_settings_it_reloads() -> None:
    """The coach's reload path (no pydantic in the daemon) uses the same rules."""
    assert check_values({"max_snoozes": "4", "other": 1}, "x") == {"max_snoozes": 4}
    with pytest.raises(InputError, match="setting max_snoozes in the settings table: expected"):
        check_values({"max_snoozes": 9}, "the settings table")


@pytest.mark.parametrize("setting", [s for s in SETTINGS if re.search(r"\(\d+-\d+\)", s.help)])
def test_the_range_in_the_meaning_is_the_range_enforced(setting) -> None:
    low, high = map(int, re.findall(r"\((\d+)-(\d+)\)", setting.help)[-1])
    assert parse_setting(setting.name, str(low)) == low
    assert parse_setting(setting.name, high) == high
    for outside in (low - 1, high + 1):
        with pytest.raises(InputError, match=f"setting {setting.name}: expected a whole number"):
            parse_setting(setting.name, outside)


def test_the_desk_engine_defaults_agree_with_the_model() -> None:
    """The settings model's desk defaults are the desk engine's (declared once, in the core),
    converted both ways without loss (minutes, HH:MM)."""
    from_model = DeskSettings.from_values(defaults())
    assert dataclasses.asdict(from_model) == dataclasses.asdict(DeskSettings())


def test_stored_values_are_validated_when_read() -> None:
    values = load_settings({"max_snoozes": "4", "units": "lb", "not_a_setting": 1}, "here")
    assert values["max_snoozes"] == 4 and values["units"] == "lb"
    assert "not_a_setting" not in values
    with pytest.raises(InputError) as caught:
        load_settings({"quiet_hours_start": "25:99"}, "the database /x/glutecoach.db")
    message = str(caught.value)
    assert "setting quiet_hours_start in the database /x/glutecoach.db" in message
    assert "expected a time HH:MM" in message and "glutecoach settings set" in message


def test_a_bad_stored_setting_is_a_clear_exit_2_naming_key_and_database(
    run, isolated_home: Path
) -> None:
    assert run("settings", "set", "units", "lb").exit_code == 0
    db = isolated_home / "glutecoach.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE settings SET value = '\"stone\"' WHERE key = 'units'")
    for args in (("settings",), ("settings", "--json")):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert f"setting units in the database {db}" in result.output
        assert "expected one of kg, lb, got 'stone'" in result.output
        assert "Traceback" not in result.output
    assert run("settings", "set", "units", "kg").exit_code == 0  # the way out it names
    assert run("settings").exit_code == 0


def test_the_desk_coach_refuses_a_bad_stored_setting_at_start(tmp_path: Path) -> None:
    """Its set-up reads the settings through the model: a clear refusal, not a crash later."""
    from glutecoach.desk.prepare import prepare

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    prepare("me", url)  # creates the person
    with sqlite3.connect(tmp_path / "desk.db") as conn:
        conn.execute("INSERT INTO settings (person_id, key, value) VALUES (1, 'max_snoozes', '99')")
    with pytest.raises(InputError, match=r"setting max_snoozes in the database .*desk\.db"):
        prepare("me", url)
