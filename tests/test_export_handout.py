"""The PDF handout read back with poppler (pdftotext, pdfinfo, pdftoppm) and looked at as
rendered pages (PIL counts the figure's pixels; the PNGs are left in the test's folder)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from export_history import BEFORE_RED_FLAG, store_history
from glutecoach.catalog.loader import load_catalog
from glutecoach.paths import database_url
from glutecoach.services import Coach
from glutecoach.store.db import open_store

TODAY = BEFORE_RED_FLAG
LB_PER_KG = 2.20462
MM_PER_INCH = 25.4


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils")
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=True)
    return done.stdout


def pdf_text(path: Path) -> str:
    """The PDF's text with runs of white space collapsed (wrapped lines read as one)."""
    return re.sub(r"\s+", " ", poppler("pdftotext", str(path), "-"))


def fill_home(person: str = "ana", until=TODAY, units: str = "lb") -> Coach:
    store = open_store(database_url())
    store_history(store, person, until, units)
    return Coach(store, load_catalog(), person)


def make_handout(run, tmp_path: Path, person: str, *args: str) -> Path:
    out = tmp_path / "plan.pdf"
    result = run("--person", person, "--today", TODAY.isoformat(), "handout", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out


def test_handout_shows_each_exercise_the_safety_rules_and_progress(run, tmp_path) -> None:
    coach = fill_home()
    plan, progress, state = coach.plan(TODAY), coach.progress(TODAY), coach.state()
    decisions = coach.decisions()
    catalog = coach.catalog
    coach.store.close()
    text = pdf_text(make_handout(run, tmp_path, "ana", "--name", "Zoë Ødegård"))
    assert "For Zoë Ødegård" in text
    for flag in catalog.rules.red_flags.flags:
        assert flag.question in text, flag.id
    assert "emergency" in text and "GP or physiotherapist" in text
    limit = catalog.rules.pain_model.params.during_acceptable_max
    assert f"above {limit}/10" in text
    for exercise_id in {p.exercise_id for s in plan.sessions for p in s.prescriptions}:
        exercise = catalog.exercise(exercise_id)
        for words in (exercise.name, *exercise.cues, *exercise.faults):
            assert words in text, (exercise_id, words)
        if exercise.unilateral:
            assert "the dose is per side" in text
    loaded = [e for e in state.exercises if e.load_kg]
    assert loaded
    for e in loaded:
        assert f"{e.load_kg * LB_PER_KG:.1f} lb" in text
    assert "Phase 2" in text
    assert progress.adherence_share is not None
    assert f"{progress.adherence_share:.0%} of planned sessions" in text
    assert decisions[-1].reasons[0].text[:40] in text
    assert "not a diagnosis" in text


def test_handout_is_private_without_a_name(run, tmp_path) -> None:
    fill_home("pat-4711").store.close()
    out = make_handout(run, tmp_path, "pat-4711")
    assert "pat-4711" not in pdf_text(out)
    assert b"pat-4711" not in out.read_bytes()
    assert "For " not in pdf_text(out).split("Made on")[0]


@pytest.mark.parametrize(("paper", "size"), [("a4", "595.28 x 841.89"), ("letter", "612 x 792")])
def test_handout_paper_sizes(run, tmp_path, paper: str, size: str) -> None:
    fill_home().store.close()
    info = poppler("pdfinfo", str(make_handout(run, tmp_path, "ana", "--paper", paper)))
    assert f"Page size:       {size} pts" in info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3


def rendered(pdf: Path, page: int, folder: Path, dpi: int = 72) -> Image.Image:
    folder.mkdir(exist_ok=True)
    prefix = folder / f"page{page}"
    poppler(
        "pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), str(pdf), str(prefix)
    )
    (png,) = folder.glob(f"page{page}*.png")
    return Image.open(png).convert("RGB")


def test_rendered_exercise_page_shows_the_stick_figures(run, tmp_path) -> None:
    fill_home().store.close()
    pdf = make_handout(run, tmp_path, "ana")
    page = rendered(pdf, 2, tmp_path)
    px_per_mm = 72 / MM_PER_INCH

    def dark_pixels(box_mm: tuple[float, float, float, float]) -> int:
        box = tuple(round(v * px_per_mm) for v in box_mm)
        return int((np.asarray(page.crop(box).convert("L")) < 90).sum())

    figure = dark_pixels((16, 26, 64, 52))  # the first figure's box, left of the text
    margin = dark_pixels((1, 26, 13, 52))  # the page margin beside it
    assert figure > 150 and margin == 0, (figure, margin)
    accents = [rendered(pdf, n, tmp_path / f"p{n}") for n in (2, 3, 4)]
    orange = 0
    for image in accents:
        rgb = np.asarray(image).astype(int)
        r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
        orange += int(((r > 170) & (g > 60) & (g < 120) & (b < 60)).sum())
    assert orange > 20  # props (band, weight, step) are drawn in the accent colour


def test_paused_program_handout_says_stop_and_lists_no_exercises(run, tmp_path) -> None:
    fill_home(until=None).store.close()  # the example ends with a red flag
    text = pdf_text(make_handout(run, tmp_path, "ana"))
    assert "paused after a red flag" in text and "see a clinician" in text
    assert "Your exercises" not in text
    assert "Red flags: stop" in text and "Progress" in text


def test_handout_bad_input_is_a_clear_message(run, tmp_path) -> None:
    out = tmp_path / "plan.pdf"
    unscreened = run("handout", "-o", str(out))
    assert unscreened.exit_code == 2 and "glutecoach screen" in unscreened.output
    assert not out.exists()
    fill_home().store.close()
    long_name = run("--person", "ana", "handout", "-o", str(out), "--name", "x" * 81)
    assert long_name.exit_code == 2 and "--name" in long_name.output and not out.exists()
    no_file = run("--person", "ana", "export", "--format", "pdf")
    assert no_file.exit_code == 2 and "-o" in no_file.output
    out.write_bytes(b"mine")
    kept = run("--person", "ana", "handout", "-o", str(out))
    assert kept.exit_code == 2 and out.read_bytes() == b"mine"
    via_export = tmp_path / "same.pdf"
    made = run(
        "--person", "ana", "export", "--format", "pdf", "--paper", "letter", "-o", str(via_export)
    )
    assert made.exit_code == 0, made.output
    assert "612 x 792" in poppler("pdfinfo", str(via_export))


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient` is deprecated")
def test_web_plan_page_offers_the_handout_download(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from glutecoach.web.app import create_app
    from glutecoach.web.deps import get_today

    fill_home().store.close()
    app = create_app(database_url(), person="ana")
    app.dependency_overrides[get_today] = lambda: TODAY
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert 'href="/handout.pdf"' in client.get("/plan").text
        response = client.get("/handout.pdf?paper=letter")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["cache-control"] == "no-store"
        assert "attachment" in response.headers["content-disposition"]
        pdf = tmp_path / "download.pdf"
        pdf.write_bytes(response.content)
        assert "612 x 792" in poppler("pdfinfo", str(pdf))
        assert "Red flags: stop" in pdf_text(pdf)
        assert client.get("/handout.pdf?paper=a5").status_code == 422
    app.state.web.close()
