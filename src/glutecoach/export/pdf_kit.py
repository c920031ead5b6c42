"""Drawing helpers for the PDF handout (fpdf2): fonts, headings, bullets, stick figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from glutecoach.figures import FLOOR_Y, HEAD_RADIUS, pose

INK = (30, 30, 30)
MUTED = (100, 100, 100)
ACCENT = (200, 90, 20)  # props: band, weight, step (as the web app's accent)
STOP_RED = (170, 20, 20)
FONT = "DejaVu"
PAPERS = {"a4": "A4", "letter": "Letter"}


def font_files() -> tuple[Path, Path]:
    """A Unicode TrueType font that is always installed: matplotlib ships DejaVu Sans."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def new_document(paper: str, title: str) -> Any:
    from fpdf import FPDF

    class Handout(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, size=8)
            self.set_text_color(*MUTED)
            self.cell(
                0,
                5,
                f"glutecoach handout - a self-guided program, not a diagnosis - page "
                f"{self.page_no()} of {{nb}}",
                align="C",
            )

    pdf = Handout(format=PAPERS[paper.lower()])
    regular, bold = font_files()
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(title)
    pdf.set_creator("glutecoach")
    pdf.alias_nb_pages()
    return pdf


def heading(pdf: Any, text: str, size: float = 15, color: tuple[int, int, int] = INK) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    pdf.set_text_color(*INK)


def paragraph(pdf: Any, text: str, size: float = 10, bold: bool = False) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def bullets(pdf: Any, items: list[str], size: float = 10, indent: float = 4) -> None:
    pdf.set_font(FONT, "", size)
    for item in items:
        x = pdf.get_x()
        pdf.cell(indent, size * 0.5, "•")
        pdf.multi_cell(0, size * 0.5, item, new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(x)
    pdf.ln(1)


def label_value(pdf: Any, label: str, value: str, size: float = 10) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.write(size * 0.5, f"{label}: ")
    pdf.set_font(FONT, "", size)
    pdf.write(size * 0.5, value)
    pdf.ln(size * 0.5 + 1)


def stick_figure(pdf: Any, exercise_id: str, x: float, y: float, width: float) -> float:
    """Draw the exercise's figure (the web app's pose data) in a box at (x, y); its height."""
    scale = width / 100
    height = 60 * scale
    head, limbs, props = pose(exercise_id)

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return (x + point[0] * scale, y + point[1] * scale)

    pdf.set_draw_color(215, 215, 215)
    pdf.set_line_width(0.3)
    pdf.rect(x, y, width, height)
    pdf.set_draw_color(*MUTED)
    pdf.line(x, y + FLOOR_Y * scale, x + width, y + FLOOR_Y * scale)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(1.1 * scale * 2.5)
    cx, cy = at(head)
    r = HEAD_RADIUS * scale
    pdf.ellipse(cx - r, cy - r, 2 * r, 2 * r)
    for limb in limbs:
        pdf.polyline([at(p) for p in limb])
    pdf.set_draw_color(*ACCENT)
    for prop in props:
        pdf.polyline([at(p) for p in prop])
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.2)
    return height


def table(
    pdf: Any,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    width: float | None = None,
) -> None:
    """A simple ruled table (column widths relative, the table ``width`` mm or the page's)."""
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        width=width or pdf.epw,
        col_widths=widths,
        text_align="LEFT",
        line_height=4.5,
        align="LEFT",
    ) as t:
        head = t.row()
        for text in header:
            head.cell(text)
        for values in rows:
            row = t.row()
            for text in values:
                row.cell(text)
    pdf.ln(2)
