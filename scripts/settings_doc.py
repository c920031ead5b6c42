"""Write docs/settings.md from the settings model (glutecoach.settings.UserSettings).

Run after changing a setting: `python scripts/settings_doc.py`. A test fails when the page
and the model differ (an undocumented, renamed or changed setting).
"""

from __future__ import annotations

from pathlib import Path

from glutecoach.settings import settings_table

TARGET = Path(__file__).resolve().parent.parent / "docs" / "settings.md"
HEAD = """# Settings

Every setting glutecoach knows, declared once in `src/glutecoach/settings.py` (the
`UserSettings` model: type, default, range, meaning; the desk coach's defaults are the desk
engine's own, `DeskSettings` in `src/glutecoach/core/sedentary_model.py`, shown in minutes
and HH:MM). This page is generated from it by
`python scripts/settings_doc.py` (a test fails when the two differ). Show them with
`glutecoach settings`, change one with `glutecoach settings set NAME VALUE`, or use the web
app's settings page. Stored values are validated when they are read: a value that is not
valid (an edited database) is refused with a message naming the setting and the database.

"""


def render() -> str:
    return HEAD + settings_table()


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
