"""Draw the app icons (favicon, install icons) into src/glutecoach/web/static/icons/.

Run once after changing the design: `.venv/bin/python scripts/make_icons.py`. The PNGs are
committed, so the app needs no image library at run time.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src" / "glutecoach" / "web" / "static" / "icons"
NAVY = (20, 50, 79)
GOLD = (242, 169, 0)
WHITE = (255, 255, 255)


def draw(size: int, maskable: bool = False) -> Image.Image:
    """A person in a glute bridge, white on navy, with a gold floor line."""
    image = Image.new("RGB", (size, size), NAVY)
    pen = ImageDraw.Draw(image)
    s = size / 100
    inset = 10 if maskable else 0  # keep the drawing inside the maskable safe zone

    def xy(x: float, y: float) -> tuple[float, float]:
        return (
            (inset + x * (100 - 2 * inset) / 100) * s,
            (inset + y * (100 - 2 * inset) / 100) * s,
        )

    width = max(2, round(7 * s))
    pen.line([xy(8, 78), xy(92, 78)], fill=GOLD, width=max(2, round(5 * s)))
    pen.line(
        [xy(24, 70), xy(52, 50), xy(70, 40), xy(78, 72)], fill=WHITE, width=width, joint="curve"
    )
    pen.line([xy(24, 70), xy(42, 74)], fill=WHITE, width=width)
    cx, cy = xy(16, 68)
    r = 8 * s * (100 - 2 * inset) / 100
    pen.ellipse([cx - r, cy - r, cx + r, cy + r], fill=WHITE)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180).save(OUT / "apple-touch-icon.png", optimize=True)
    draw(48).save(OUT / "favicon.png", optimize=True)
    draw(32).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32)])


if __name__ == "__main__":
    main()
