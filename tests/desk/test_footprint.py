"""The long-running coach's modules stay lean: no SQLAlchemy, Alembic, pydantic or matplotlib."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "pydantic", "matplotlib")

PROBE = """
import sys
import glutecoach.desk.cli, glutecoach.desk.daemon, glutecoach.desk.sink, glutecoach.desk.notify
import glutecoach.desk.idle, glutecoach.desk.idle.x11, glutecoach.desk.micro
import glutecoach.core.sedentary
import glutecoach.desk.runner, glutecoach.desk.calls, glutecoach.desk.control
import glutecoach.desk.live, glutecoach.desk.exercise, glutecoach.desk.status
from glutecoach.desk.micro import load_micro
load_micro()
print(sorted({m.split(".")[0] for m in sys.modules}))
"""


def test_the_coach_loop_imports_no_heavy_library() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    loaded = done.stdout
    for name in HEAVY:
        assert f"'{name}'" not in loaded, f"{name} is imported by the coach loop"
    assert "'glutecoach'" in loaded
