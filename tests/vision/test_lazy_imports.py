"""The base package (and replaying recordings) must work without mediapipe and OpenCV."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BLOCK = (
    "import sys\n"
    "for name in ('mediapipe', 'cv2'):\n"
    "    sys.modules[name] = None  # any import of them now raises ImportError\n"
)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK + code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_vision_imports_without_mediapipe_or_opencv() -> None:
    done = _run(
        "import glutecoach.vision, glutecoach.vision.cli, glutecoach.vision.evaluate\n"
        "from glutecoach.vision import summarize\n"
        "print(summarize([]).reps_observed)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


def test_a_recording_is_analysed_without_mediapipe_or_opencv(squat_recording: Path) -> None:
    done = _run(
        "from click.testing import CliRunner\n"
        "from glutecoach.vision.cli import vision_group\n"
        f"r = CliRunner().invoke(vision_group, ['analyze', {str(squat_recording)!r}, "
        "'--exercise', 'bodyweight_squat', '--json'])\n"
        "print(r.stdout)\n"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["summary"]["reps_observed"] == 4


def test_a_video_without_opencv_says_what_to_install(tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"x")
    done = _run(
        "from click.testing import CliRunner\n"
        "from glutecoach.vision.cli import vision_group\n"
        f"args = ['analyze', {str(video)!r}, '--exercise', 'clamshell']\n"
        "r = CliRunner().invoke(vision_group, args)\n"
        "print(r.exit_code, r.stderr)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 Error:") and "glutecoach[vision]" in done.stdout
